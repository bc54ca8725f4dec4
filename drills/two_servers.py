"""Drill 1: two app servers, one database, one Redis.

Every account casts, supports and answers twice, through both servers; afterwards the
database holds exactly one of each per account. A rate limit hit through both servers adds
up in Redis. And neither server's per-process caches (the ballot box, the survey cache)
let a stale set-up through: staff close the vote and the survey early on server A, and
server B, which has both cached, refuses every ballot and response after that.
"""

import random
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import checks
import clients
import world
from common import VOTE_SLUG
from load import Connection  # bench/load.py
from measure import get
from report import Row
from servers import Gunicorn
from sqlalchemy import text

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db

CLIENTS = 16
LOGIN_LIMIT = 10  # accounts/views.py AUTH_LIMIT: 10 per minute per address
LATE_ACCOUNTS = 20  # kept aside: they try after staff closed the vote and the survey


def run(report, app, env, tmp, accounts: int, database: str) -> None:
    built = world.build(app, accounts + LATE_ACCOUNTS)
    voters, late = built.voters[:accounts], built.voters[accounts:]
    rng = random.Random(1)
    with Gunicorn("a", env, tmp) as a, Gunicorn("b", env, tmp) as b:
        ports = [a.port, b.port]
        _idea_page_counts(built, ports)  # visitors' pages read (and kept, where kept) first
        lists = clients.spread([world.actions(built, v, rng) for v in voters], voters,
                               CLIENTS, len(ports), twice=True)
        tally = clients.run(ports, lists, world.outcome, seconds=300)
        outcome = checks.compare(app, tally)
        report.add(checks.row("1 two servers: cast, support, answer, each twice", database, tally,
                              outcome), *outcome.notes, _statuses(tally))
        _visitor_pages(report, app, built, ports, database)
        _rate_limit(report, built, ports, database)
        _stale_setups(report, app, built, late, ports, database)


def _statuses(tally) -> str:
    return "answers by status: " + ", ".join(f"{s}: {n:,}" for s, n in
                                              sorted(tally.statuses.items()))


def _idea_page_counts(built, ports) -> list[int | None]:
    """The support count a visitor reads on the idea's page, from each server."""
    counts = []
    for port in ports:
        connection = Connection(port)
        try:
            status, _location, body = connection.exchange(
                get(f"/boards/{world.BOARD_SLUG}/ideas/{built.idea_id}", port))
        finally:
            connection.close()
        found = re.search(rb'class="support-count">(\d+)', body) if status == 200 else None
        counts.append(int(found.group(1)) if found else None)
    return counts


def _visitor_pages(report, app, built, ports, database) -> None:
    """After supports through both servers, a visitor's idea page on each server shows
    the count the database holds, whatever either server kept from before."""
    shown = _idea_page_counts(built, ports)
    with app.app_context(), db.engine.connect() as connection:
        stored = connection.execute(text("SELECT supports_count FROM ideas WHERE id = :i"),
                                    {"i": built.idea_id}).scalar()
    right = sum(1 for count in shown if count == stored)
    report.add(Row("1 visitor's idea page on both servers after the load", database,
                   len(ports), right, len(ports), 0, 0, 0, 0, len(ports) - right),
               f"supports in the database {stored}, the page shows {shown} (A, B)")


def _rate_limit(report, built, ports, database) -> None:
    """Twice the login limit from one address, half through each server: the limit holds
    for both together, so exactly LOGIN_LIMIT are let through."""
    attempts = [clients.Action(0, "login", world.post("/login", built.staff, {
        "login": f"nobody-{n}", "password": "falsch"}), n % 2)
        for n in range(2 * LOGIN_LIMIT)]
    tally = clients.run(ports, [attempts], _login_outcome, seconds=60)
    through = sum(1 for action in attempts if action.outcome == "ok")
    limited = sum(1 for action in attempts if action.outcome == "limited")
    report.add(Row(f"1 login limit ({LOGIN_LIMIT}/min) hit through both servers", database,
                   tally.requests, through, LOGIN_LIMIT, max(0, LOGIN_LIMIT - through), 0,
                   tally.retried_503, tally.server_errors,
                   abs(through - LOGIN_LIMIT) + (len(attempts) - through - limited)),
               f"{through} let through, {limited} refused with 429 (one limit in Redis)")


def _login_outcome(_kind, status, _location) -> str:
    return {200: "ok", 429: "limited"}.get(status, f"HTTP {status}")


def _stale_setups(report, app, built, late, ports, database) -> None:
    """Both servers have the vote's box and the survey cached from the load; staff close
    both early through server A; then accounts that have not taken part yet try through
    server B: every try must be refused and nothing written."""
    warm = [clients.Action(v.user_id, kind, request, 1)
            for v in late[:2] for kind, request in world.actions(built, v, random.Random(2))
            if kind == "support"]
    clients.run(ports, [warm], world.outcome, seconds=30)  # B reads pages as usual
    before = _counts(app)
    staff = built.staff
    closing = [
        clients.Action(0, "close vote", world.post(f"/manage/votes/{VOTE_SLUG}/close",
                                                   staff, {}), 0),
        clients.Action(0, "close survey", world.post(
            f"/manage/surveys/{world.SURVEY_SLUG}", staff, _survey_closed_now(app)), 0),
    ]
    staff_tally = clients.run(ports, [closing], lambda _k, status, _l: f"HTTP {status}", 60)
    closed = _closed(app)
    rng = random.Random(3)
    tries = [clients.Action(v.user_id, kind, request, 1)
             for v in late for kind, request in world.actions(built, v, rng)
             if kind in ("cast", "answer")]
    tally = clients.run(ports, [tries[0::2], tries[1::2]], world.outcome, seconds=60)
    after = _counts(app)
    accepted = sum(1 for action in tries if action.outcome == "ok")
    written = sum(after[key] - before[key] for key in after)
    report.add(Row("1 staff close on server A, cast/answer on B", database, tally.requests,
                   accepted, written, 0, 0, tally.retried_503 + staff_tally.retried_503,
                   tally.server_errors + staff_tally.server_errors,
                   accepted + written + (0 if closed else 1)),
               f"staff answers {[action.outcome for action in closing]}, closed in the "
               f"database: {closed}; {len(tries)} tries on B after the close: "
               f"{sum(1 for a in tries if a.outcome == 'refused')} refused")


def _survey_closed_now(app) -> dict:
    """The survey's settings form as staff send it, with the closing time now (Berlin
    time, minutes: the form's precision, so already past)."""
    berlin = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    with app.app_context(), db.engine.connect() as connection:
        title, opens_at = connection.execute(text(
            "SELECT title, opens_at FROM surveys WHERE slug = :s"),
            {"s": world.SURVEY_SLUG}).one()
    if isinstance(opens_at, str):  # SQLite hands back text
        opens_at = datetime.fromisoformat(opens_at)
    opens_local = opens_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(berlin)
    now_local = datetime.now(berlin)
    return {"title": title, "intro": "", "audience": "citizens",
            "opens_at": opens_local.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": now_local.strftime("%Y-%m-%dT%H:%M")}


def _closed(app) -> bool:
    with app.app_context(), db.engine.connect() as connection:
        moments = connection.execute(text(
            "SELECT (SELECT closes_at FROM votes WHERE slug = :v), "
            "(SELECT closes_at FROM surveys WHERE slug = :s)"),
            {"v": VOTE_SLUG, "s": world.SURVEY_SLUG}).one()
    now = utcnow()
    return all((datetime.fromisoformat(m) if isinstance(m, str) else m) <= now
               for m in moments)


def _counts(app) -> dict:
    with app.app_context(), db.engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in ("vote_participations", "ballot_inbox", "survey_responses")}
