"""The attacker holds the database: can they pair online ballots with voters?

Each voter chooses an option nobody else chooses, so a ballot names its voter, and the
attacker's guesses can be scored. They read every table, the order of rows, and on
PostgreSQL the transaction id (`xmin`) and place (`ctid`) of every heap tuple, live or
dead, through the pageinspect extension; on SQLite the rowids and the raw file. What must
hold (docs/secrecy.md): after the vote's close no guess beats chance within groups of at
least k; while it is open, only ballots still waiting in the inbox (fewer than k) pair up.

These tests commit for real, so they run on their own empty database (a SQLite file or a
new PostgreSQL database), not inside the rolled-back transaction of the other tests.
"""

from __future__ import annotations

import sqlite3
import struct
from collections import defaultdict
from contextlib import closing, contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from mitwirkung import create_app
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes.models import Option, Vote, new_box_version

from ... import factories
from ...conftest import app_settings, signed_in_client
from ...projects import factories as project_factories
from .. import factories as vote_factories

K = 10
VOTERS = 45  # four groups of k, and five still waiting when the vote closes
# With random order inside each group, an attacker lining up voters and ballots hits about
# one pair per group by chance (four or five in all); all 45 without mixing. Far above
# chance and far below 45, so the test neither flakes nor lets a real leak through.
CHANCE_LIMIT = 18


@pytest.fixture
def world(tmp_path_factory, empty_database_url):
    """A live-results vote with one option per voter, and the voters in the order they vote."""
    with secret_vote(tmp_path_factory, empty_database_url) as built:
        yield built


@contextmanager
def secret_vote(tmp_path_factory, database_url: str):
    """The world of these tests (also of tests/core/test_backup_secrecy.py) on a new database."""
    app = create_app(app_settings(tmp_path_factory, database_url) | {"BALLOT_MIX_SIZE": K})
    with app.app_context():
        db.create_all()
        options = [(f"O{n:02}", f"Option {n}") for n in range(1, VOTERS + 1)]
        vote = vote_factories.make_vote(project_factories.project(), slug="geheim",
                                        questions=[("wahl", "Wahl", options)])
        voters = [(factories.user().id, code) for code, _title in options]
        option_ids = dict(db.session.execute(
            select(Option.code, Option.id).where(Option.question_id == vote.questions[0].id)).all())
    world = {"app": app, "vote_id": vote.id, "voters": voters, "option_ids": option_ids}
    yield world
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _cast_all(world) -> list[int]:
    """Every voter casts through the real form, one after the other; the online figure the
    public JSON shows after each cast."""
    app, shown = world["app"], []
    public = app.test_client()
    for user_id, code in world["voters"]:
        with app.app_context():
            voter = db.session.get(factories.User, user_id)
            client = signed_in_client(app, voter)
        response = client.post("/votes/geheim/cast", data={"q-wahl": code})
        assert response.headers["Location"].endswith("/votes/geheim/receipt")
        shown.append(public.get("/api/votes/geheim/results").get_json()["ballots"]["online"])
    return shown


def _close(world) -> dict:
    """Close the vote as staff would (a new box version too), then read the results, which
    notices the close and mixes what still waits."""
    app = world["app"]
    with app.app_context():
        db.session.execute(update(Vote).where(Vote.id == world["vote_id"]).values(
            closes_at=utcnow() - timedelta(seconds=1), box_version=new_box_version()))
        db.session.commit()
    return app.test_client().get("/api/votes/geheim/results").get_json()


def _truth(world) -> dict[int, int]:
    """user id -> the option id only that voter chose."""
    return {user_id: world["option_ids"][code] for user_id, code in world["voters"]}


def _hits(voters_in_order, ballots_in_order, truth) -> int:
    """Correct pairs when the i-th voter is paired with the i-th ballot."""
    return sum(truth[user] == option for user, option in zip(voters_in_order, ballots_in_order,
                                                             strict=False))


def _grouped_hits(voters_in_order, groups_in_order, truth) -> int:
    """Correct pairs when voters, in cast order, are dealt to the groups in order, and
    within a group paired in the group's stored order: the best an attacker can do with
    the groups' order."""
    hits, start = 0, 0
    for group in groups_in_order:
        hits += _hits(voters_in_order[start:start + len(group)], group, truth)
        start += len(group)
    return hits


def test_the_results_move_only_in_steps_of_k_ballots(world):
    shown = _cast_all(world)
    final = _close(world)
    steps = [b - a for a, b in zip([0, *shown], [*shown, final["ballots"]["online"]],
                                   strict=True) if b != a]
    assert shown[:2 * K - 1] == [0] * (2 * K - 1), "no online figure before the first k"
    assert steps and all(step >= K for step in steps), steps
    assert final["ballots"]["online"] == VOTERS  # nothing lost: every receipt counts
    assert sum(option["online"] for option in final["questions"][0]["options"]) == VOTERS


def test_staff_see_the_same_steps(world):
    app = world["app"]
    with app.app_context():
        staff = signed_in_client(app, factories.user(role="staff"))
    _cast_all(world)
    online = staff.get("/api/votes/geheim/results").get_json()["ballots"]["online"]
    assert online == 3 * K  # groups 1-3 counted; group 4 and the five waiting are not


def test_sqlite_orders_pair_nobody_beyond_chance(world):
    if not world["app"].config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("rowids and the file are SQLite's; PostgreSQL has its own test")
    _cast_all(world)
    app, truth = world["app"], _truth(world)
    with app.app_context():
        connection = db.session.connection()
        waiting_ids = [row[0] for row in connection.execute(text("SELECT id FROM ballot_inbox"))]
        assert 0 < len(waiting_ids) < K
        voters = [row[0] for row in connection.execute(
            text("SELECT user_id FROM vote_participations ORDER BY rowid"))]
        db.session.rollback()
    _close(world)
    with app.app_context():
        path = db.engine.url.database
        db.engine.dispose()
    with closing(sqlite3.connect(path)) as copy:  # the file as an attacker's copy
        assert copy.execute("SELECT COUNT(*) FROM ballot_inbox").fetchone()[0] == 0
        copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file as a backup would take it
        assert_sqlite_pairs_nobody(copy, voters, truth)
    raw = open(path, "rb").read()  # noqa: SIM115 - read the whole file as the attacker would
    assert not [i for i in waiting_ids if i.encode() in raw], "a deleted inbox row left a trace"


def assert_sqlite_pairs_nobody(copy: sqlite3.Connection, voters: list[int], truth,
                               ballots: str = "ballots", answers: str = "ballot_answers",
                               ballot_id: str = "ballot_id") -> None:
    """The ballots and their answers have no rowid, are mixed in groups of at least k, and
    no order of their rows, alone or by group, pairs voters (in cast order) with their
    choices beyond chance. (The responses of an anonymous survey and their answers too.)"""
    for table in (ballots, answers):
        with pytest.raises(sqlite3.OperationalError, match="rowid"):
            copy.execute(f"SELECT rowid FROM {table}")
    joined = f"{ballots} b JOIN {answers} a ON a.{ballot_id} = b.id"
    stored = [row[0] for row in copy.execute(f"SELECT option_id FROM {answers}")]
    by_ballot = [row[0] for row in copy.execute(f"SELECT a.option_id FROM {joined}")]
    groups = defaultdict(list)
    for mix, option in copy.execute(f"SELECT b.mix, a.option_id FROM {joined} ORDER BY b.mix"):
        groups[mix].append(option)
    assert sorted(len(group) for group in groups.values()) == [K, K, K, K + VOTERS % K]
    assert max(_hits(voters, stored, truth), _hits(voters, by_ballot, truth),
               _hits(voters, list(reversed(stored)), truth),
               _grouped_hits(voters, [groups[m] for m in sorted(groups)], truth)) <= CHANCE_LIMIT


def _tuples(connection, table: str):
    """Every heap tuple of `table`, live or dead: (xmin, ctid, attribute bytes) via
    pageinspect; tuples VACUUM has cleared have no xmin."""
    pages = _page_count(connection, table)
    found = []
    for page in range(pages):
        found += connection.execute(text(
            f"SELECT t_xmin::text::bigint, t_ctid::text, t_attrs FROM heap_page_item_attrs("
            f"get_raw_page('{table}', {page}), '{table}'::regclass) WHERE t_xmin IS NOT NULL"
        )).all()
    return found


def _place(heap_tuple) -> tuple[int, int]:
    """(page, item) of a tuple's ctid "(page,item)": the order it lies in the table."""
    page, item = heap_tuple[1].strip("()").split(",")
    return int(page), int(item)


def _int4(value: bytes) -> int:
    return struct.unpack("<i", bytes(value))[0]


def test_postgresql_transaction_ids_and_tuple_order_pair_nobody_beyond_chance(world):
    if not world["app"].config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("xmin and ctid are PostgreSQL's; SQLite has its own test")
    app, truth = world["app"], _truth(world)
    with app.app_context():
        with db.engine.connect() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
            connection.commit()
    _cast_all(world)
    with app.app_context(), db.engine.connect() as connection:
        newest_group = [row[0] for row in connection.execute(
            text("SELECT id FROM ballots WHERE mix = (SELECT MAX(mix) FROM ballots)"))]

    def look():
        with app.app_context(), db.engine.connect() as connection:
            # vote_participations: id, vote_id, user_id, voted_on; answers: ballot_id,
            # question_id, option_id, kind
            voters = [(xmin, ctid, _int4(attrs[2]))
                      for xmin, ctid, attrs in _tuples(connection, "vote_participations")]
            answers = [(xmin, ctid, _int4(attrs[2]) if attrs[2] is not None else None)
                       for xmin, ctid, attrs in _tuples(connection, "ballot_answers")]
            others = {table: {xmin for xmin, _ctid, _attrs in _tuples(connection, table)}
                      for table in ("ballots", "ballot_inbox", "online_tallies")}
        return voters, answers, others

    def paired_by_xmin(voters, answers) -> int:
        by_xmin = defaultdict(set)
        for xmin, _ctid, user in voters:
            by_xmin[xmin].add(user)
        return sum(1 for xmin, _ctid, option in answers
                   if any(truth[user] == option for user in by_xmin.get(xmin, ())))

    voters, answers, others = look()
    assert paired_by_xmin(voters, answers) == 0  # open: waiting ballots are not answers yet
    waiting = len([x for x in others["ballot_inbox"] if x in {v[0] for v in voters}])
    assert 0 < waiting < K  # only these pair up, by design (docs/secrecy.md)

    _close(world)
    voters, answers, others = look()
    cast_xmins = {xmin for xmin, _ctid, _user in voters}
    assert len(answers) == VOTERS, "dead answers of the mixed-again group are vacuumed"
    assert not others["ballot_inbox"], "deleted inbox tuples are vacuumed"
    for table, xmins in others.items():
        assert not cast_xmins & xmins, f"{table} shares a transaction with a cast"
    assert paired_by_xmin(voters, answers) == 0
    groups = defaultdict(list)
    for xmin, _ctid, option in sorted(answers, key=_place):
        groups[xmin].append(option)
    assert sorted(len(group) for group in groups.values()) == [K, K, K, K + VOTERS % K]
    in_cast_order = [user for _xmin, _ctid, user in sorted(voters)]
    by_ctid = [option for group in (groups[x] for x in sorted(groups)) for option in group]
    assert max(_grouped_hits(in_cast_order, [groups[x] for x in sorted(groups)], truth),
               _hits(in_cast_order, by_ctid, truth)) <= CHANCE_LIMIT
    # The raw pages, too: the ballots mixed again at the close left no bytes behind (VACUUM
    # compacts each page's live tuples over the dead ones). PostgreSQL does not write over
    # the free space of a page it empties, such as the inbox's (docs/secrecy.md).
    with app.app_context(), db.engine.connect() as connection:
        for table in ("ballots", "ballot_answers"):
            raw = _raw_pages(connection, table)
            assert not [i for i in newest_group if i.encode() in raw], table


def _page_count(connection, table: str) -> int:
    return connection.execute(text(
        f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int")).scalar()


def _raw_pages(connection, table: str) -> bytes:
    """The table's pages byte for byte, free space included: what a copy of its file holds."""
    return b"".join(bytes(connection.execute(text(f"SELECT get_raw_page('{table}', {page})"))
                          .scalar()) for page in range(_page_count(connection, table)))
