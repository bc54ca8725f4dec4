"""Mail goes out over SMTP when MAIL_URL is set, else into the outbox folder."""

import socket

import pytest
from aiosmtpd.controller import Controller

from mitwirkung.core.mail import send_mail


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    controller.stop()


def test_mail_is_sent_through_a_real_smtp_server(app, app_ctx, smtp_server, monkeypatch):
    url, inbox = smtp_server
    monkeypatch.setitem(app.config, "MAIL_URL", url)
    send_mail("erika@example.org", "Grüße aus Kaiserslautern", "Hallo Pfalztheater")
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["erika@example.org"]
    assert b"Pfalztheater" in envelope.content


def test_registration_mail_reaches_smtp(app, client, smtp_server, monkeypatch):
    from ..accounts.helpers import REGISTRATION

    url, inbox = smtp_server
    monkeypatch.setitem(app.config, "MAIL_URL", url)
    client.post("/register", data=REGISTRATION)
    [envelope] = inbox.messages
    assert b"/confirm/" in envelope.content


def test_without_mail_url_mail_lands_in_the_outbox(app, app_ctx, outbox):
    send_mail("erika@example.org", "Betreff", "Text mit Link http://x/confirm/abc")
    [message] = outbox()
    assert message["Subject"] == "Betreff"
    assert "http://x/confirm/abc" in message.get_content()
