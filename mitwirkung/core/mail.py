"""Outgoing mail through a database outbox.

`send_mail` only adds a row to the session, so a mail exists exactly when the change that
causes it is committed, and no request waits for a mail server. A worker delivers what is
due: a thread of each app process (woken after a commit that queued mail, polling besides)
and `mitwirkung mail deliver` for cron. Delivery goes over SMTP when MAIL_URL is set, else
into .eml files in instance/outbox/. A failed delivery is retried with growing pauses.

Each mail is claimed before it is sent, so two workers never send it both. It is recorded
as sent the moment the mail server has taken it, before the goodbye; only a worker killed
in that moment (between the server's "250" and the commit) sends it again, once its claim
expires, under the same Message-ID, which lets the receiving side tell (SMTP has no way
to take a mail exactly once). Once sent, its body, which may hold a reset link, is erased.
"""

import logging
import os
import smtplib
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, has_app_context
from sqlalchemy import delete, event, or_, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from . import backlogs, data_rights
from .models import OutgoingMail
from .time import utcnow

CLAIM = timedelta(minutes=5)  # longer than any SMTP conversation with its timeouts
SMTP_TIMEOUT = 20
MAX_ATTEMPTS = 12  # about two days of retries with the pauses below
POLL_SECONDS = 30
BATCH = 50
logger = logging.getLogger(__name__)


def register_sender(app: Flask, describe) -> None:
    """Let a feature name the sender: `describe()` returns (the display name of the From
    address, a signature line under every mail), either None to keep the default."""
    app.extensions["mail_sender"] = describe


def _sender() -> tuple[str | None, str | None]:
    describe = current_app.extensions.get("mail_sender")
    return describe() if describe else (None, None)


def send_mail(to: str, subject: str, body: str) -> OutgoingMail:
    """Queue a plain-text mail to one address; it leaves once the caller commits."""
    _name, signature = _sender()
    if signature:
        body = f"{body.rstrip()}\n\n-- \n{signature}\n"
    mail = OutgoingMail(recipient=to, subject=subject, body=body,
                        message_id=f"<{uuid.uuid4()}@mitwirkung>", next_attempt_at=utcnow())
    db.session.add(mail)
    db.session.info["mail_queued"] = True
    return mail


def retry_pause(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0  # will be tried again
    given_up: int = 0


def deliver_due(limit: int = BATCH) -> Delivery:
    """Send the mails that are due, each claimed, sent and recorded in its own short
    transaction, so no lock is held while a mail server answers."""
    result = Delivery()
    now = utcnow()
    due = db.session.scalars(
        select(OutgoingMail.id).where(
            OutgoingMail.sent_at.is_(None), OutgoingMail.failed_at.is_(None),
            OutgoingMail.next_attempt_at <= now,
            or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now),
        ).order_by(OutgoingMail.id).limit(limit)
    ).all()
    db.session.commit()
    for mail_id in due:
        mail = _claim(mail_id)
        if mail is None:
            continue  # another worker has it

        recorded = []

        def record_sent(mail=mail, recorded=recorded):
            mail.sent_at, mail.body, mail.claimed_until = utcnow(), "", None
            db.session.commit()
            recorded.append(mail.id)
            result.sent += 1

        try:
            _transport(_message(mail), record_sent)
        except Exception as error:  # noqa: BLE001  whatever broke, the mail is tried again
            if recorded:  # the server has the mail: only the goodbye after it failed
                logger.warning("Mail %s sent; the goodbye failed: %s", mail.id, error)
                continue
            db.session.rollback()
            _record_failure(mail, error, result)
            db.session.commit()
    return result


def _claim(mail_id: int) -> OutgoingMail | None:
    now = utcnow()
    claimed = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, OutgoingMail.sent_at.is_(None),
               OutgoingMail.failed_at.is_(None),
               or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now))
        .values(claimed_until=now + CLAIM)
    ).rowcount
    db.session.commit()
    return db.session.get(OutgoingMail, mail_id, populate_existing=True) if claimed else None


def _record_failure(mail: OutgoingMail, error: Exception, result: Delivery) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(error).__name__}: {error}"[:1000]
    mail.claimed_until = None
    if mail.attempts >= MAX_ATTEMPTS:
        mail.failed_at = utcnow()
        result.given_up += 1
        logger.error("Gave up on mail %s to %s: %s", mail.id, mail.recipient, mail.last_error)
    else:
        mail.next_attempt_at = utcnow() + retry_pause(mail.attempts)
        result.failed += 1
        logger.warning("Mail %s to %s failed (attempt %d): %s", mail.id, mail.recipient,
                       mail.attempts, mail.last_error)


def _message(mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    sender = current_app.config["MAIL_FROM"]
    name, _signature = _sender()
    if name:
        sender = formataddr((name, parseaddr(sender)[1]))
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = mail.message_id
    message.set_content(mail.body)
    return message


def _transport(message: EmailMessage, record_sent) -> None:
    """Deliver `message` and call `record_sent()` the moment it is delivered: for SMTP,
    once the server has taken it and before the goodbye (QUIT), so that neither a failed
    goodbye nor a worker killed during it sends the mail again."""
    url = current_app.config["MAIL_URL"]
    if url:
        _send_smtp(url, message, record_sent)
    else:
        _write_outbox(message)
        record_sent()


def _send_smtp(url: str, message: EmailMessage, record_sent) -> None:
    parts = urlsplit(url)
    secure = parts.scheme == "smtps"
    port = parts.port or (465 if secure else 25)
    connect = smtplib.SMTP_SSL if secure else smtplib.SMTP
    smtp = connect(parts.hostname, port, timeout=SMTP_TIMEOUT)
    try:
        if parts.scheme == "smtp+starttls":
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)
        record_sent()
        smtp.quit()
    finally:
        smtp.close()


def _write_outbox(message: EmailMessage) -> None:
    outbox = Path(current_app.config["OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}.eml"
    (outbox / name).write_bytes(bytes(message))
    # Offline set-ups (make run) need the confirmation link: it is in the logged body.
    current_app.logger.info(
        "Mail to %s written to %s\n%s", message["To"], outbox / name, message.get_content()
    )


# The worker thread --------------------------------------------------------------------------


class MailWorker:
    """One delivery thread per process, started on first need (after a fork, anew)."""

    def __init__(self, app: Flask):
        self.app = app
        self.wanted = threading.Event()
        self.stopped = False
        self.pid = None
        self.lock = threading.Lock()

    def stop(self) -> None:
        """End the thread after its current round (tests; a clean shutdown)."""
        self.stopped = True
        self.wanted.set()

    def wake(self) -> None:
        self.ensure_running()
        self.wanted.set()

    def ensure_running(self) -> None:
        if self.pid == os.getpid():
            return
        with self.lock:
            if self.pid != os.getpid():
                self.pid = os.getpid()
                threading.Thread(target=self._run, name="mail-worker", daemon=True).start()

    def _run(self) -> None:
        while True:
            self.wanted.wait(POLL_SECONDS)
            self.wanted.clear()
            if self.stopped:
                return
            try:
                with self.app.app_context():
                    try:
                        while deliver_due().sent == BATCH:
                            pass  # more may be due
                    finally:
                        db.session.remove()
            except Exception:  # noqa: BLE001  a worker that dies would leave mail waiting
                logger.exception("Mail delivery failed; trying again later")


def register(app: Flask) -> None:
    """Start the worker with the first request or queued mail of each process, unless
    MAIL_WORKER is off (tests, or cron running `mitwirkung mail deliver` alone)."""
    if not app.config["MAIL_WORKER"]:
        return
    worker = app.extensions["mail_worker"] = MailWorker(app)
    app.before_request(worker.ensure_running)


def _addresses(user) -> list[str]:
    """The person's address, and the one they asked to change to unless it is another
    account's (a change to a taken address leaves it pending): that one's mail is not theirs."""
    addresses = [user.email] if user.email else []
    account = type(user)
    if user.pending_email and db.session.scalar(
        select(account.id).where(account.email == user.pending_email)
    ) is None:
        addresses.append(user.pending_email)
    return addresses


def _export_person(user) -> list[dict]:
    """The mails to the person's addresses that the outbox still holds (a sent mail keeps
    its address, subject and time; its text is erased once sent)."""
    mails = db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.recipient.in_(_addresses(user)))
        .order_by(OutgoingMail.id)
    )
    return [{"to": mail.recipient, "subject": mail.subject,
             "queued_at": mail.created_at.isoformat() + "Z",
             "sent_at": mail.sent_at.isoformat() + "Z" if mail.sent_at else None}
            for mail in mails]


def _erase_person(user) -> None:
    """Sent or waiting, no mail to the person's addresses stays."""
    db.session.execute(
        delete(OutgoingMail).where(OutgoingMail.recipient.in_(_addresses(user)))
    )


data_rights.register("mails", export=_export_person, erase=_erase_person)
backlogs.register("mail_outbox_waiting", "Mails in the outbox not sent yet (or being retried)",
                  backlogs.rows(OutgoingMail, OutgoingMail.sent_at.is_(None),
                                OutgoingMail.failed_at.is_(None)))
backlogs.register("mail_outbox_failed", "Mails given up after every retry failed",
                  backlogs.rows(OutgoingMail, OutgoingMail.failed_at.is_not(None)))


@event.listens_for(Session, "after_commit")
def _wake_worker(session: Session) -> None:
    # A flag left by a rolled-back transaction only wakes the worker once for nothing.
    if session.info.pop("mail_queued", False) and has_app_context():
        worker = current_app.extensions.get("mail_worker")
        if worker is not None:
            worker.wake()
