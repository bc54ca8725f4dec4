"""Mail goes into a database outbox with the change that causes it; a worker delivers it over
SMTP (MAIL_URL) or into .eml files, retries when the server is down, and never sends twice."""

import socket
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from mitwirkung.core import mail as mail_module
from mitwirkung.core.mail import MAX_ATTEMPTS, deliver_due, send_mail
from mitwirkung.core.models import OutgoingMail
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db

from .. import factories
from ..accounts.helpers import REGISTRATION


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    controller.stop()


@pytest.fixture
def smtp_url(app, monkeypatch):
    def use(url):
        monkeypatch.setitem(app.config, "MAIL_URL", url)
    return use


def queued() -> list[OutgoingMail]:
    return list(db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def test_mail_waits_in_the_outbox_until_it_is_delivered(app, app_ctx, smtp_server, smtp_url):
    url, inbox = smtp_server
    smtp_url(url)
    send_mail("erika@example.org", "Grüße aus Kaiserslautern", "Hallo Pfalztheater")
    db.session.commit()
    assert inbox.messages == [] and queued()[0].sent_at is None
    assert deliver_due().sent == 1
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["erika@example.org"] and b"Pfalztheater" in envelope.content
    [row] = queued()
    assert row.sent_at is not None and row.body == ""  # a sent reset link is not kept
    assert deliver_due().sent == 0 and len(inbox.messages) == 1


def test_a_rolled_back_change_sends_no_mail(app, app_ctx, outbox):
    with db.session.begin_nested() as savepoint:
        send_mail("erika@example.org", "Betreff", "Text")
        savepoint.rollback()
    assert queued() == [] and outbox() == []


def test_registration_mail_reaches_smtp(app, client, smtp_server, smtp_url):
    url, inbox = smtp_server
    smtp_url(url)
    client.post("/register", data=REGISTRATION)
    assert inbox.messages == []  # not on the request's path
    with app.app_context():
        deliver_due()
    [envelope] = inbox.messages
    assert b"/confirm/" in envelope.content


def test_without_mail_url_mail_lands_in_eml_files(app, app_ctx, outbox):
    send_mail("erika@example.org", "Betreff", "Text mit Link http://x/confirm/abc")
    [message] = outbox()
    assert message["Subject"] == "Betreff" and message["Message-ID"].endswith("@mitwirkung>")
    assert "http://x/confirm/abc" in message.get_content()


def test_a_mail_server_that_is_down_delays_the_mail_but_loses_it_not(
    app, app_ctx, smtp_server, smtp_url
):
    down = f"smtp://127.0.0.1:{free_port()}"
    smtp_url(down)
    send_mail("erika@example.org", "Betreff", "Text")
    db.session.commit()
    result = deliver_due()
    assert (result.sent, result.failed) == (0, 1)
    [row] = queued()
    assert row.attempts == 1 and row.body == "Text" and "Connection" in row.last_error
    assert row.next_attempt_at > utcnow()
    assert deliver_due().failed == 0  # not due yet
    url, inbox = smtp_server
    smtp_url(url)
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert deliver_due().sent == 1 and len(inbox.messages) == 1


def test_after_many_failures_the_mail_is_given_up_and_logged(app, app_ctx, smtp_url):
    smtp_url(f"smtp://127.0.0.1:{free_port()}")
    send_mail("erika@example.org", "Betreff", "Text")
    db.session.commit()
    for _ in range(MAX_ATTEMPTS):
        queued()[0].next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        deliver_due()
    [row] = queued()
    assert row.attempts == MAX_ATTEMPTS and row.failed_at is not None


def test_a_claimed_mail_is_not_sent_by_a_second_worker(app, app_ctx, smtp_server, smtp_url):
    url, inbox = smtp_server
    smtp_url(url)
    send_mail("erika@example.org", "Betreff", "Text")
    db.session.commit()
    row = queued()[0]
    row.claimed_until = utcnow() + timedelta(minutes=1)  # another worker is sending it
    db.session.commit()
    assert deliver_due().sent == 0 and inbox.messages == []
    row.claimed_until = utcnow() - timedelta(seconds=1)  # that worker died
    db.session.commit()
    assert deliver_due().sent == 1 and len(inbox.messages) == 1


class InboxThatFailsTheGoodbye(Inbox):
    async def handle_QUIT(self, server, session, envelope):
        return "421 closing down"


def test_a_mail_the_server_took_is_not_sent_again_when_the_goodbye_fails(
    app, app_ctx, smtp_url
):
    """The mail counts as sent once the server has taken it (make drills: a worker killed
    during the goodbye, or a goodbye answered with an error, used to send it again)."""
    port = free_port()
    inbox = InboxThatFailsTheGoodbye()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp_url(f"smtp://127.0.0.1:{port}")
        send_mail("erika@example.org", "Betreff", "Text")
        db.session.commit()
        assert deliver_due().sent == 1
        [row] = queued()
        assert row.sent_at is not None and row.attempts == 0 and row.last_error == ""
        row.next_attempt_at = utcnow() - timedelta(minutes=10)  # whenever it would be due
        db.session.commit()
        assert deliver_due().sent == 0 and len(inbox.messages) == 1
    finally:
        controller.stop()


def test_a_slow_mail_server_does_not_slow_a_request(app, client, citizen, smtp_url):
    with socket.socket() as silent:  # accepts connections and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        smtp_url(f"smtp://127.0.0.1:{silent.getsockname()[1]}")
        started = time.perf_counter()
        response = client.post("/reset", data={"email": citizen.email})
        assert response.status_code == 200 and time.perf_counter() - started < 2
    assert len(queued()) == 1


def test_the_deliver_command_sends_and_reports(app, outbox, monkeypatch):
    with app.app_context():
        send_mail("erika@example.org", "Betreff", "Text")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0 and "1 sent" in result.output
    monkeypatch.setattr(mail_module, "_transport", _refuse)
    with app.app_context():
        send_mail("erika@example.org", "Betreff", "Text")
        db.session.commit()
    failing = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert failing.exit_code == 1 and "1 failed" in failing.output


def _refuse(_message, _record_sent):
    raise ConnectionRefusedError("no mail server")


def test_the_worker_thread_delivers_after_the_commit(tmp_path_factory, empty_database_url):
    """A real app with real commits: the thread sees what the request committed."""
    from mitwirkung import create_app

    from ..conftest import app_settings

    settings = app_settings(tmp_path_factory, empty_database_url) | {"MAIL_WORKER": True}
    real = create_app(settings)
    with real.app_context():
        db.create_all()
    try:
        real.test_client().post("/register", data=REGISTRATION)
        outbox = Path(real.config["OUTBOX_DIR"])
        deadline = time.monotonic() + 10
        while not list(outbox.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.05)
        [eml] = outbox.glob("*.eml")
        assert b"/confirm/" in eml.read_bytes()
    finally:
        real.extensions["mail_worker"].stop()
        with real.app_context():
            db.drop_all()
            db.engine.dispose()


def test_a_request_queues_its_mail_and_commits_it(app, client):
    user = factories.user()
    client.post("/reset", data={"email": user.email})
    [row] = queued()
    assert row.recipient == user.email and "/reset/" in row.body
