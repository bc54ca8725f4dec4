"""Drill 2 (mail worker killed) and drill 5 (mail server down), with `mitwirkung mail
deliver` (what cron runs; the app's worker thread runs the same deliver_due) and a local
SMTP sink that counts each mail by its Message-ID.

Time is not waited out where the outbox's rules say "later": a killed worker's claim holds
CLAIM (5 minutes), a failed mail waits retry_pause(1) (1 minute). The drill moves those
moments into the past in the database, as if the time had passed, and says so; with
--wait-retry the mail-server drill waits the real minute instead.
"""

import random
import time
from datetime import timedelta

import world
from common import free_port
from report import Row
from servers import cli, cli_killed_when
from smtp_sink import SmtpSink
from sqlalchemy import select, text

from mitwirkung.core.mail import retry_pause, send_mail
from mitwirkung.core.models import OutgoingMail
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db

PAUSE = 0.02  # seconds the sink takes per mail, so a kill lands in the middle


def run(report, app, env, tmp, mails: int, database: str, wait_retry: bool = False) -> None:
    worker_killed(report, app, env, mails, database)
    server_down(report, app, env, mails, database, wait_retry)


def worker_killed(report, app, env, mails: int, database: str) -> None:
    world.build(app, 1)
    queued = _queue(app, mails)
    with SmtpSink(pause=PAUSE) as sink:
        mail_env = {**env, "MAIL_URL": f"smtp://127.0.0.1:{sink.port}"}
        killed = cli_killed_when(mail_env, ["mail", "deliver"],
                                 _at_a_random_moment(lambda: sink.total >= mails // 3))
        at_kill = sink.total
        claimed = _expire_claims(app)
        finished = cli(mail_env, "mail", "deliver")
        received = dict(sink.ids)
    row, notes = _compare(app, queued, received, "2 SIGKILL the mail worker (mail deliver)",
                          database, runs=2)
    row.wrong += (0 if killed else 1) + (finished.returncode != 0)
    report.add(row, f"killed after {at_kill} of {mails} mails, while it held {claimed} "
                    f"claimed (its claim set to expired, as after {_minutes('CLAIM')}); "
                    f"run again: exit {finished.returncode}", *notes)


def server_down(report, app, env, mails: int, database: str, wait_retry: bool) -> None:
    world.build(app, 1)
    queued = _queue(app, mails)
    port = free_port()  # nobody listens: connections are refused
    mail_env = {**env, "MAIL_URL": f"smtp://127.0.0.1:{port}"}
    down = cli(mail_env, "mail", "deliver")
    waiting = _waiting(app)
    with SmtpSink(port) as sink:
        if wait_retry:
            time.sleep(retry_pause(1).total_seconds() + 1)
        else:
            _make_due(app)
        back = cli(mail_env, "mail", "deliver")
        received = dict(sink.ids)
    row, notes = _compare(app, queued, received, "5 mail server down, then back", database,
                          runs=2)
    row.wrong += (down.returncode == 0) + (waiting != mails) + (back.returncode != 0)
    report.add(row, f"server down: exit {down.returncode}, {waiting} of {mails} waiting in "
                    f"the outbox; back up "
                    f"{'after the real pause' if wait_retry else '(retry moved to now)'}: "
                    f"exit {back.returncode}", *notes)


def _at_a_random_moment(after):
    """A `ready` test that holds a random time (up to two mails' pauses) after `after()`
    first holds: the kill lands anywhere in the worker's round, not always just after the
    sink took a mail."""
    offset, since = random.uniform(0, 2 * PAUSE), []

    def ready() -> bool:
        if not since and after():
            since.append(time.monotonic())
        return bool(since) and time.monotonic() - since[0] >= offset

    return ready


def _queue(app, mails: int) -> list[str]:
    """Queue `mails` mails as the features do (core/mail.py send_mail); their Message-IDs."""
    with app.app_context():
        queued = [send_mail(f"person{n}@example.org", f"Drill {n}", f"Hallo {n}\n").message_id
                  for n in range(mails)]
        db.session.commit()
        db.session.remove()
    return queued


def _compare(app, queued, received: dict, drill: str, database: str, runs: int):
    with app.app_context():
        unsent = db.session.scalar(select(text("count(*)")).select_from(OutgoingMail)
                                   .where(OutgoingMail.sent_at.is_(None)))
        db.session.remove()
    arrived = sum(1 for message_id in queued if received.get(message_id))
    doubled = sum(count - 1 for count in received.values() if count > 1)
    strangers = len(set(received) - set(queued))
    row = Row(drill, database, runs, len(queued), arrived, len(queued) - arrived, doubled,
              0, 0, unsent + strangers)
    notes = [f"{unsent} not marked sent in the outbox"] if unsent else []
    return row, notes


def _expire_claims(app) -> int:
    """Claims of unsent mails end now, as if CLAIM had passed; how many there were."""
    with app.app_context():
        past = utcnow() - timedelta(seconds=1)
        count = db.session.execute(
            OutgoingMail.__table__.update()
            .where(OutgoingMail.sent_at.is_(None), OutgoingMail.claimed_until.is_not(None))
            .values(claimed_until=past)).rowcount
        db.session.commit()
        db.session.remove()
    return count


def _make_due(app) -> None:
    """Every waiting mail due now, as if its retry pause had passed."""
    with app.app_context():
        db.session.execute(OutgoingMail.__table__.update()
                           .where(OutgoingMail.sent_at.is_(None))
                           .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        db.session.remove()


def _waiting(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(text("count(*)")).select_from(OutgoingMail).where(
            OutgoingMail.sent_at.is_(None), OutgoingMail.failed_at.is_(None)))
        db.session.remove()
    return count


def _minutes(name: str) -> str:
    from mitwirkung.core import mail

    return f"{getattr(mail, name).total_seconds() / 60:.0f} minutes"
