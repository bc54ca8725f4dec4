"""The attacker holds a backup, the copy they are most likely to get: the proofs of
tests/votes/casting/test_secrecy_against_the_database.py and
tests/surveys/test_anonymity_against_the_database.py, run against the file `mitwirkung
backup` writes and against a database restored from it. After the close of a vote or of
an anonymous survey, no order of rows, no transaction id and no byte of the backup pairs
a person with a ballot or a response beyond chance.

These tests commit for real, on their own empty databases.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from mitwirkung import create_app
from mitwirkung.extensions import db

from ..backups import copied_rows, dump_as_sql, extract_database, restore, take_backup
from ..conftest import app_settings
from ..surveys import test_anonymity_against_the_database as surveys
from ..votes.casting import test_secrecy_against_the_database as votes
from ..votes.casting.test_secrecy_against_the_database import (
    CHANCE_LIMIT,
    VOTERS,
    K,
    _grouped_hits,
    _hits,
    _raw_pages,
    _tuples,
    assert_sqlite_pairs_nobody,
)

assert (surveys.K, surveys.RESPONDENTS) == (K, VOTERS)  # one measure of chance for both


@dataclass(frozen=True)
class Secret:
    """A secret kept by mixing: its world, how everyone takes part and the close, its
    tables."""

    build: Callable  # (tmp_path_factory, database URL) -> a context manager of the world
    take_part: Callable
    close: Callable
    people: Callable  # world -> [(account id, the option only they chose)], in their order
    participations: str
    inbox: str
    responses: str
    answers: str
    response_id: str


VOTES = Secret(votes.secret_vote, votes._cast_all, votes._close,
               lambda world: [(user, world["option_ids"][code]) for user, code in world["voters"]],
               "vote_participations", "ballot_inbox", "ballots", "ballot_answers", "ballot_id")
SURVEYS = Secret(surveys.secret_survey, surveys._send_all, surveys._close,
                 lambda world: world["people"], "survey_participations", "survey_inbox",
                 "survey_responses", "survey_answers", "response_id")


@pytest.fixture(params=[VOTES, SURVEYS], ids=["votes", "surveys"])
def secret(request, tmp_path_factory, empty_database_url):
    with request.param.build(tmp_path_factory, empty_database_url) as world:
        yield request.param, world


def _ids(app, query: str) -> list[str]:
    with app.app_context(), db.engine.connect() as connection:
        return [row[0] for row in connection.execute(text(query))]


def _take_part_and_close(spec: Secret, world) -> list[str]:
    """Everyone takes part, then the close. The ids of what waited in the inbox at the
    close and of the newest group, which the close mixes again under new ids: none of them
    may be found in a backup."""
    spec.take_part(world)
    waiting = _ids(world["app"], f"SELECT id FROM {spec.inbox}")
    assert 0 < len(waiting) < K
    newest = _ids(world["app"], f"SELECT id FROM {spec.responses}"
                                f" WHERE mix = (SELECT MAX(mix) FROM {spec.responses})")
    spec.close(world)
    return waiting + newest


def _restored_app(tmp_path_factory, url: str, backup):
    """A new, empty database, and the backup restored into it (no --force: it is empty)."""
    app = create_app(app_settings(tmp_path_factory, url))
    done = restore(app, backup)
    assert done.exit_code == 0, done.output
    return app


def test_a_sqlite_backup_and_its_restored_copy_pair_nobody_beyond_chance(
        secret, tmp_path, tmp_path_factory, second_empty_database_url):
    spec, world = secret
    if not world["app"].config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("rowids and the file are SQLite's; PostgreSQL has its own test")
    old_ids = _take_part_and_close(spec, world)
    backup = take_backup(world["app"], tmp_path / "backup.tar")
    restored = _restored_app(tmp_path_factory, second_empty_database_url, backup)
    with restored.app_context():
        restored_file = db.engine.url.database
        db.engine.dispose()
    people = spec.people(world)
    for copy in (extract_database(backup, tmp_path / "copy.db"), restored_file):
        with closing(sqlite3.connect(copy)) as attacker:
            in_order = [row[0] for row in attacker.execute(
                f"SELECT user_id FROM {spec.participations} ORDER BY rowid")]
            assert in_order == [user for user, _option in people]  # stored on purpose
            assert_sqlite_pairs_nobody(attacker, in_order, dict(people), spec.responses,
                                       spec.answers, spec.response_id)
    for raw in (backup.read_bytes(), open(restored_file, "rb").read()):  # noqa: SIM115
        assert not [i for i in old_ids if i.encode() in raw], "an old id in the backup"


def test_a_postgresql_dump_and_its_restored_copy_pair_nobody_beyond_chance(
        secret, tmp_path, tmp_path_factory, second_empty_database_url):
    spec, world = secret
    if not world["app"].config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("pg_dump and pg_restore are PostgreSQL's; SQLite has its own test")
    app = world["app"]
    old_ids = _take_part_and_close(spec, world)
    backup = take_backup(app, tmp_path / "backup.tar")
    people = spec.people(world)

    # The dump itself, in the order it holds the rows.
    sql = dump_as_sql(app, extract_database(backup, tmp_path / "dump"))
    assert not [i for i in old_ids if i in sql], "an old id in the dump"
    mix_of = {row["id"]: int(row["mix"]) for row in copied_rows(sql, spec.responses)}
    in_dump_order = [(mix_of[row[spec.response_id]], int(row["option_id"]))
                     for row in copied_rows(sql, spec.answers)]
    _assert_no_order_pairs(people, in_dump_order)

    # Restored into a new database: its transaction ids, tuple order and pages.
    restored = _restored_app(tmp_path_factory, second_empty_database_url, backup)
    with restored.app_context(), db.engine.connect() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        connection.commit()
        xmins = {xmin for table in (spec.participations, spec.responses, spec.answers)
                 for xmin, _ctid, _attrs in _tuples(connection, table)}
        assert len(xmins) == 1, "restored in one transaction, whose id says nothing"
        in_ctid_order = connection.execute(text(
            f"SELECT r.mix, a.option_id FROM {spec.answers} a JOIN {spec.responses} r"
            f" ON r.id = a.{spec.response_id} ORDER BY a.ctid")).all()
        _assert_no_order_pairs(people, in_ctid_order)
        for table in (spec.responses, spec.answers):
            raw = _raw_pages(connection, table)
            assert not [i for i in old_ids if i.encode() in raw], table
    with restored.app_context():
        db.engine.dispose()


def _assert_no_order_pairs(people, answers) -> None:
    """`answers`: (mix, option id) in the order the attacker reads them. Mixed in groups
    of at least k, and neither the order alone nor by group pairs beyond chance."""
    truth, in_order = dict(people), [user for user, _option in people]
    groups = defaultdict(list)
    for mix, option in answers:
        groups[mix].append(option)
    assert sorted(len(group) for group in groups.values()) == [K, K, K, K + VOTERS % K]
    options = [option for _mix, option in answers]
    assert max(_hits(in_order, options, truth), _hits(in_order, options[::-1], truth),
               _grouped_hits(in_order, [groups[m] for m in sorted(groups)], truth)
               ) <= CHANCE_LIMIT
