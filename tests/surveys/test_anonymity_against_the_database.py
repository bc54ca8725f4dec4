"""The attacker holds the database: can they pair anonymous survey responses with the
accounts that sent them? The proof of tests/votes/casting/test_secrecy_against_the_database.py,
for surveys (docs/secrecy.md, "Umfragen"), with its scoring helpers.

Each respondent chooses an option nobody else chooses, so a response names its sender
and the attacker's guesses can be scored. They read every table, the order of rows, and on
PostgreSQL the transaction id (`xmin`) and place (`ctid`) of every heap tuple, live or
dead, through pageinspect; on SQLite the rowids and the raw file. What must hold: after
the close no guess beats chance within groups of at least k; while the survey is open,
only responses still waiting in the inbox (fewer than k) pair up; results move in steps
of at least k.

These tests commit for real, on their own empty database.
"""

from __future__ import annotations

import random
import sqlite3
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import text, update

from mitwirkung import create_app
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.surveys import services
from mitwirkung.surveys.answering import mixing
from mitwirkung.surveys.models import QuestionKind, Survey

from .. import factories as user_factories
from ..conftest import app_settings, signed_in_client
from ..votes.casting.test_secrecy_against_the_database import (
    _grouped_hits,
    _hits,
    _int4,
    _place,
    _raw_pages,
    _tuples,
)
from . import factories
from .answering import walk

K = 10
RESPONDENTS = 45  # four groups of k, and five still waiting at the close
CHANCE_LIMIT = 18  # as the votes' proof: about one hit per group by chance, 45 without mixing


@pytest.fixture
def world(tmp_path_factory, empty_database_url):
    with secret_survey(tmp_path_factory, empty_database_url) as built:
        yield built


@contextmanager
def secret_survey(tmp_path_factory, database_url: str):
    """The world of these tests (also of tests/core/test_backup_secrecy.py):
    an anonymous survey with one option per respondent, on a new database."""
    app = create_app(app_settings(tmp_path_factory, database_url) | {"SURVEY_MIX_SIZE": K})
    with app.app_context():
        db.create_all()
        survey = factories.survey(slug="geheim", anonymous=True,
                                  title="Verpackungssteuer")
        question = factories.question(survey, QuestionKind.SINGLE, "Wer sind Sie?",
                                      options=[f"Option {n}" for n in range(RESPONDENTS)])
        # Options dealt at random: SQLite may read answers in the order of an index on
        # the option, which must not line up with the order of the accounts by itself.
        options = [option.id for option in question.options]
        random.Random(18).shuffle(options)
        people = [(user_factories.user().id, option_id) for option_id in options]
        world = {"app": app, "survey_id": survey.id, "people": people,
                 "field": f"q{question.id}"}
    yield world
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _results(app, survey_id) -> int:
    """What a results read shows (it seals a closed survey first: mixing.seal_if_closed)."""
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        mixing.seal_if_closed(survey)
        shown = services.response_count(survey)
        db.session.remove()
        return shown


def _send_all(world) -> list[int]:
    """Everyone answers through the real pages, one after the other; the results' count
    after each response."""
    app, shown = world["app"], []
    for user_id, option_id in world["people"]:
        with app.app_context():
            client = signed_in_client(app, db.session.get(user_factories.User, user_id))
        done = walk(client, "geheim", {world["field"]: str(option_id)})
        assert done.headers["Location"].endswith("/surveys/geheim/thanks")
        shown.append(_results(app, world["survey_id"]))
    return shown


def _close(world) -> int:
    app = world["app"]
    with app.app_context():
        db.session.execute(update(Survey).where(Survey.id == world["survey_id"]).values(
            closes_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    return _results(app, world["survey_id"])


def _truth(world) -> dict[int, int]:
    return dict(world["people"])


def test_the_results_move_only_in_steps_of_k_responses(world):
    shown = _send_all(world)
    final = _close(world)
    steps = [b - a for a, b in zip([0, *shown], [*shown, final], strict=True) if b != a]
    assert shown[:2 * K - 1] == [0] * (2 * K - 1), "no figure before 2k responses"
    assert steps and all(step >= K for step in steps), steps
    assert final == RESPONDENTS  # nothing lost


def test_sqlite_orders_pair_nobody_beyond_chance(world):
    if not world["app"].config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("rowids and the file are SQLite's; PostgreSQL has its own test")
    _send_all(world)
    app, truth = world["app"], _truth(world)
    with app.app_context():
        connection = db.session.connection()
        waiting_ids = [row[0] for row in connection.execute(text("SELECT id FROM survey_inbox"))]
        assert 0 < len(waiting_ids) < K
        people = [row[0] for row in connection.execute(
            text("SELECT user_id FROM survey_participations ORDER BY rowid"))]
        db.session.rollback()
    _close(world)
    with app.app_context():
        connection = db.session.connection()
        for table in ("survey_responses", "survey_answers"):
            with pytest.raises(Exception, match="rowid"):
                connection.execute(text(f"SELECT rowid FROM {table}"))
            db.session.rollback()
            connection = db.session.connection()
        stored = [row[0] for row in connection.execute(
            text("SELECT option_id FROM survey_answers"))]
        by_response = [row[0] for row in connection.execute(text(
            "SELECT a.option_id FROM survey_responses r JOIN survey_answers a"
            " ON a.response_id = r.id"))]
        groups = defaultdict(list)
        for mix, option in connection.execute(text(
                "SELECT r.mix, a.option_id FROM survey_responses r JOIN survey_answers a"
                " ON a.response_id = r.id ORDER BY r.mix")):
            groups[mix].append(option)
        assert connection.execute(text("SELECT COUNT(*) FROM survey_inbox")).scalar() == 0
        assert connection.execute(text(
            "SELECT COUNT(*) FROM survey_responses WHERE user_id IS NOT NULL"
            " OR sent_on IS NOT NULL")).scalar() == 0
        db.session.rollback()
        path = db.engine.url.database
        db.engine.dispose()
    with sqlite3.connect(path) as copy:  # the file as a backup would take it
        copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert sorted(len(group) for group in groups.values()) == [K, K, K, K + RESPONDENTS % K]
    assert max(_hits(people, stored, truth), _hits(people, by_response, truth),
               _hits(people, list(reversed(stored)), truth),
               _grouped_hits(people, [groups[m] for m in sorted(groups)], truth)
               ) <= CHANCE_LIMIT
    raw = open(path, "rb").read()  # noqa: SIM115 - the whole file, as the attacker reads it
    assert not [i for i in waiting_ids if i.encode() in raw], "a deleted inbox row left a trace"


def _column(connection, table: str, column: str) -> int:
    """The place of `column` among the table's attributes (pageinspect's t_attrs)."""
    return connection.execute(text(
        "SELECT ordinal_position FROM information_schema.columns"
        " WHERE table_name = :table AND column_name = :column"),
        {"table": table, "column": column}).scalar() - 1


def test_postgresql_transaction_ids_and_tuple_order_pair_nobody_beyond_chance(world):
    if not world["app"].config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("xmin and ctid are PostgreSQL's; SQLite has its own test")
    app, truth = world["app"], _truth(world)
    with app.app_context(), db.engine.connect() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        connection.commit()
    _send_all(world)
    with app.app_context(), db.engine.connect() as connection:
        newest_group = [row[0] for row in connection.execute(text(
            "SELECT id FROM survey_responses WHERE mix = (SELECT MAX(mix) FROM survey_responses)"))]

    def look():
        with app.app_context(), db.engine.connect() as connection:
            user_at = _column(connection, "survey_participations", "user_id")
            option_at = _column(connection, "survey_answers", "option_id")
            people = [(xmin, ctid, _int4(attrs[user_at])) for xmin, ctid, attrs
                      in _tuples(connection, "survey_participations")]
            answers = [(xmin, ctid, _int4(attrs[option_at]) if attrs[option_at] is not None
                        else None) for xmin, ctid, attrs in _tuples(connection, "survey_answers")]
            others = {table: {xmin for xmin, _ctid, _attrs in _tuples(connection, table)}
                      for table in ("survey_responses", "survey_inbox")}
        return people, answers, others

    def paired_by_xmin(people, answers) -> int:
        by_xmin = defaultdict(set)
        for xmin, _ctid, user in people:
            by_xmin[xmin].add(user)
        return sum(1 for xmin, _ctid, option in answers
                   if any(truth[user] == option for user in by_xmin.get(xmin, ())))

    people, answers, others = look()
    assert paired_by_xmin(people, answers) == 0  # open: waiting responses are no answers yet
    waiting = len([x for x in others["survey_inbox"] if x in {p[0] for p in people}])
    assert 0 < waiting < K  # only these pair up, by design (docs/secrecy.md)

    _close(world)
    people, answers, others = look()
    sent_xmins = {xmin for xmin, _ctid, _user in people}
    assert len(answers) == RESPONDENTS, "dead answers of the mixed-again group are vacuumed"
    assert not others["survey_inbox"], "deleted inbox tuples are vacuumed"
    for table, xmins in others.items():
        assert not sent_xmins & xmins, f"{table} shares a transaction with a send"
    assert paired_by_xmin(people, answers) == 0
    groups = defaultdict(list)
    for xmin, _ctid, option in sorted(answers, key=_place):
        groups[xmin].append(option)
    assert sorted(len(group) for group in groups.values()) == [K, K, K, K + RESPONDENTS % K]
    in_send_order = [user for _xmin, _ctid, user in sorted(people)]
    by_ctid = [option for group in (groups[x] for x in sorted(groups)) for option in group]
    assert max(_grouped_hits(in_send_order, [groups[x] for x in sorted(groups)], truth),
               _hits(in_send_order, by_ctid, truth)) <= CHANCE_LIMIT
    with app.app_context(), db.engine.connect() as connection:
        for table in ("survey_responses", "survey_answers"):
            raw = _raw_pages(connection, table)
            assert not [i for i in newest_group if i.encode() in raw], table
