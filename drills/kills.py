"""Drill 2: SIGKILL in the middle of work.

- An app server (master and workers at once) while the load runs, restarted a second later
  on the same port: every success the clients were told is in the database, once, and
  the database passes the integrity check.
- The sealing mix of a vote (`mitwirkung results`, which mixes and counts what waits in the
  inbox after the close) while its transaction is writing: nothing moved, nothing counted;
  run again, every ballot counted once.
- The mail worker: see mail_drills.py.
"""

import json
import random
import threading
import time
import uuid
from datetime import timedelta

import checks
import clients
import world
from common import VOTE_SLUG
from report import Row
from servers import Gunicorn, cli, cli_killed_when, writing
from sqlalchemy import insert, text

from mitwirkung.accounts.models import User
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db

CLIENTS = 16
KILL_AT = 0.4  # share of the actions answered when the server is killed
DOWN_SECONDS = 1.0


def run(report, app, env, tmp, size: dict, database: str) -> None:
    server_killed(report, app, env, tmp, size["accounts"], database)
    mix_killed(report, app, env, size["inbox"], database)


def server_killed(report, app, env, tmp, accounts: int, database: str) -> None:
    built = world.build(app, accounts)
    rng = random.Random(4)
    with Gunicorn("a", env, tmp) as a, Gunicorn("b", env, tmp) as b:
        lists = clients.spread([world.actions(built, v, rng) for v in built.voters],
                               built.voters, CLIENTS, 2, twice=True)
        actions = [action for actions in lists for action in actions]
        result = {}
        load = threading.Thread(target=lambda: result.update(tally=clients.run(
            [a.port, b.port], lists, world.outcome, seconds=300)))
        load.start()
        deadline = time.monotonic() + 120
        while (sum(1 for x in actions if x.outcome != "not sent") < KILL_AT * len(actions)
               and time.monotonic() < deadline and load.is_alive()):
            time.sleep(0.02)
        answered_at_kill = sum(1 for x in actions if x.outcome != "not sent")
        a.kill()
        time.sleep(DOWN_SECONDS)
        restarted = time.monotonic()
        a.start()
        up_after = time.monotonic() - restarted
        load.join()
    tally = result["tally"]
    outcome = checks.compare(app, tally)
    report.add(checks.row("2 SIGKILL an app server mid-load, restart", database, tally, outcome),
               f"killed server A after {answered_at_kill:,} of {len(actions):,} actions, "
               f"down {DOWN_SECONDS:.0f} s, up again {up_after:.1f} s after its start; "
               f"{tally.no_answer} tries got no answer and went to the other server",
               *outcome.notes)


def mix_killed(report, app, env, waiting: int, database: str) -> None:
    """`waiting` ballots in the inbox of a vote that has closed; the first results read
    mixes and counts them all (the sealing mix), in one transaction, which is killed."""
    world.build(app, 1)
    _fill_inbox(app, waiting)
    killed = cli_killed_when(env, ["results", VOTE_SLUG],
                             lambda: writing(_engine(app)))
    after_kill = checks.integrity(app)
    moved, counted = _mixed(app)
    done = cli(env, "results", VOTE_SLUG)
    after_rerun = checks.integrity(app)
    moved_again, counted_again = _mixed(app)
    wrong = len(after_kill) + len(after_rerun) + (0 if killed else 1) + \
        (0 if done.returncode == 0 else 1) + (moved + counted > 0)
    report.add(Row("2 SIGKILL the sealing mix (mitwirkung results)", database, 2, waiting,
                   counted_again, max(0, waiting - counted_again),
                   max(0, counted_again - waiting), 0, 0, wrong),
               f"killed while writing: {killed}; after the kill {moved} ballots moved and "
               f"{counted} counted (the mix rolled back whole); run again: exit "
               f"{done.returncode}, {moved_again:,} ballots mixed, {counted_again:,} counted",
               *after_kill, *after_rerun)


def _engine(app):
    with app.app_context():
        return db.engine


def _fill_inbox(app, n: int) -> None:
    """`n` accounts that cast a ballot (participation and inbox row, as a cast writes
    them) in a vote whose closing time has passed."""
    rng = random.Random(5)
    now = utcnow()
    with app.app_context():
        questions = db.session.execute(text(
            "SELECT q.id, o.id FROM vote_questions q JOIN vote_options o ON o.question_id = q.id "
            "JOIN votes v ON v.id = q.vote_id WHERE v.slug = :v"), {"v": VOTE_SLUG}).all()
        options: dict[int, list[int]] = {}
        for question_id, option_id in questions:
            options.setdefault(question_id, []).append(option_id)
        password = db.session.execute(text("SELECT password_hash FROM users LIMIT 1")).scalar()
        db.session.execute(insert(User), [
            {"username": f"mixer{k:06d}", "first_name": "Max", "last_name": f"Muster{k}",
             "email": f"mixer{k:06d}@example.org", "password_hash": password,
             "role": "citizen", "privacy_accepted_at": now, "confirmed_at": now,
             "created_at": now, "session_token": uuid.uuid4().hex} for k in range(n)])
        vote_id = db.session.execute(text("SELECT id FROM votes WHERE slug = :v"),
                                     {"v": VOTE_SLUG}).scalar()
        db.session.execute(text(
            "INSERT INTO vote_participations (vote_id, user_id, voted_on) "
            "SELECT :v, id, :d FROM users WHERE username LIKE 'mixer%'"),
            {"v": vote_id, "d": now.date()})
        db.session.execute(text(
            "INSERT INTO ballot_inbox (id, vote_id, choices) VALUES (:id, :v, :c)"), [
            {"id": uuid.uuid4().hex, "v": vote_id, "c": json.dumps(
                [[q, rng.choice(o + [None])] for q, o in sorted(options.items())])}
            for _ in range(n)])
        db.session.execute(text("UPDATE votes SET opens_at = :o, closes_at = :c WHERE id = :v"),
                           {"o": now - timedelta(days=2), "c": now - timedelta(seconds=1),
                            "v": vote_id})
        db.session.commit()
        db.session.remove()


def _mixed(app) -> tuple[int, int]:
    """(online ballots mixed, ballots in the tallies of the vote's first question)."""
    with app.app_context(), db.engine.connect() as connection:
        return connection.execute(text(
            "SELECT (SELECT count(*) FROM ballots b WHERE b.vote_id = v.id), "
            "(SELECT coalesce(sum(t.count), 0) FROM online_tallies t WHERE t.question_id = "
            "(SELECT min(q.id) FROM vote_questions q WHERE q.vote_id = v.id)) "
            "FROM votes v WHERE v.slug = :v"), {"v": VOTE_SLUG}).one()


