"""Outgoing mail: SMTP when MAIL_URL is set, else .eml files in instance/outbox/."""

import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from .time import utcnow


def send_mail(to: str, subject: str, body: str) -> EmailMessage:
    """Send a plain-text mail to one address."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate()
    message["Message-ID"] = f"<{uuid.uuid4()}@mitwirkung>"
    message.set_content(body)
    url = current_app.config["MAIL_URL"]
    if url:
        _send_smtp(url, message)
    else:
        _write_outbox(message)
    return message


def _send_smtp(url: str, message: EmailMessage) -> None:
    parts = urlsplit(url)
    secure = parts.scheme == "smtps"
    port = parts.port or (465 if secure else 25)
    connect = smtplib.SMTP_SSL if secure else smtplib.SMTP
    with connect(parts.hostname, port, timeout=10) as smtp:
        if parts.scheme == "smtp+starttls":
            smtp.starttls()
        if parts.username:
            smtp.login(parts.username, parts.password or "")
        smtp.send_message(message)


def _write_outbox(message: EmailMessage) -> None:
    outbox = Path(current_app.config["OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}.eml"
    (outbox / name).write_bytes(bytes(message))
    # Offline set-ups (make run) need the confirmation link: it is in the logged body.
    current_app.logger.info(
        "Mail to %s written to %s\n%s", message["To"], outbox / name, message.get_content()
    )
