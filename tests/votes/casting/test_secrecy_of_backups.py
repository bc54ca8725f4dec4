"""The attacker holds a backup, the copy they are most likely to get: the proof of
test_secrecy_against_the_database.py, run against the file `mitwirkung backup` writes and
against a database restored from it. After the vote's close no order of rows, no
transaction id and no byte of the backup pairs a voter with a ballot beyond chance.

These tests commit for real, on their own empty databases.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from contextlib import closing

import pytest
from sqlalchemy import text

from mitwirkung import create_app
from mitwirkung.extensions import db

from ...backups import copied_rows, dump_as_sql, extract_database, restore, take_backup
from ...conftest import app_settings
from .test_secrecy_against_the_database import (
    CHANCE_LIMIT,
    VOTERS,
    K,
    _cast_all,
    _close,
    _grouped_hits,
    _hits,
    _raw_pages,
    _truth,
    _tuples,
    assert_sqlite_pairs_nobody,
    secret_vote,
)


@pytest.fixture
def world(tmp_path_factory, empty_database_url):
    with secret_vote(tmp_path_factory, empty_database_url) as built:
        yield built


def _ids(app, query: str) -> list[str]:
    with app.app_context(), db.engine.connect() as connection:
        return [row[0] for row in connection.execute(text(query))]


def _cast_and_close(world) -> tuple[list[str], list[str]]:
    """Everyone votes, then the vote closes. The ids of the ballots that waited in the inbox
    at the close, and of the newest group, which the close mixes again under new ids: none
    of them may be found in a backup."""
    _cast_all(world)
    waiting = _ids(world["app"], "SELECT id FROM ballot_inbox")
    assert 0 < len(waiting) < K
    newest = _ids(world["app"], "SELECT id FROM ballots WHERE mix = (SELECT MAX(mix) FROM ballots)")
    _close(world)
    return waiting, newest


def _restored_app(tmp_path_factory, url: str, backup):
    """A new, empty database, and the backup restored into it (no --force: it is empty)."""
    app = create_app(app_settings(tmp_path_factory, url))
    done = restore(app, backup)
    assert done.exit_code == 0, done.output
    return app


def test_a_sqlite_backup_and_its_restored_copy_pair_nobody_beyond_chance(
        world, tmp_path, tmp_path_factory, second_empty_database_url):
    if not world["app"].config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("rowids and the file are SQLite's; PostgreSQL has its own test")
    waiting, newest = _cast_and_close(world)
    backup = take_backup(world["app"], tmp_path / "backup.tar")
    restored = _restored_app(tmp_path_factory, second_empty_database_url, backup)
    with restored.app_context():
        restored_file = db.engine.url.database
        db.engine.dispose()
    cast_order = [user for user, _code in world["voters"]]
    for copy in (extract_database(backup, tmp_path / "copy.db"), restored_file):
        with closing(sqlite3.connect(copy)) as attacker:
            voters = [row[0] for row in attacker.execute(
                "SELECT user_id FROM vote_participations ORDER BY rowid")]
            assert voters == cast_order  # stored on purpose: who voted, in which order
            assert_sqlite_pairs_nobody(attacker, voters, _truth(world))
    for raw in (backup.read_bytes(), open(restored_file, "rb").read()):  # noqa: SIM115
        assert not [i for i in waiting + newest if i.encode() in raw], "an old ballot id"


def test_a_postgresql_dump_and_its_restored_copy_pair_nobody_beyond_chance(
        world, tmp_path, tmp_path_factory, second_empty_database_url):
    if not world["app"].config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("pg_dump and pg_restore are PostgreSQL's; SQLite has its own test")
    app, truth = world["app"], _truth(world)
    waiting, newest = _cast_and_close(world)
    backup = take_backup(app, tmp_path / "backup.tar")
    cast_order = [user for user, _code in world["voters"]]

    # The dump itself, in the order it holds the rows.
    sql = dump_as_sql(app, extract_database(backup, tmp_path / "dump"))
    assert not [i for i in waiting + newest if i in sql], "an old ballot id in the dump"
    mix_of = {row["id"]: int(row["mix"]) for row in copied_rows(sql, "ballots")}
    in_dump_order = [(mix_of[row["ballot_id"]], int(row["option_id"]))
                     for row in copied_rows(sql, "ballot_answers")]
    _assert_no_order_pairs(cast_order, in_dump_order, truth)

    # Restored into a new database: its transaction ids, tuple order and pages.
    restored = _restored_app(tmp_path_factory, second_empty_database_url, backup)
    with restored.app_context(), db.engine.connect() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        connection.commit()
        xmins = {xmin for table in ("vote_participations", "ballots", "ballot_answers")
                 for xmin, _ctid, _attrs in _tuples(connection, table)}
        assert len(xmins) == 1, "restored in one transaction, whose id says nothing"
        in_ctid_order = connection.execute(text(
            "SELECT b.mix, a.option_id FROM ballot_answers a JOIN ballots b"
            " ON b.id = a.ballot_id ORDER BY a.ctid")).all()
        _assert_no_order_pairs(cast_order, in_ctid_order, truth)
        for table in ("ballots", "ballot_answers"):
            raw = _raw_pages(connection, table)
            assert not [i for i in waiting + newest if i.encode() in raw], table
    with restored.app_context():
        db.engine.dispose()


def _assert_no_order_pairs(cast_order, answers, truth) -> None:
    """`answers`: (mix, option id) in the order the attacker reads them. Mixed in groups
    of at least k, and neither the order alone nor by group pairs beyond chance."""
    groups = defaultdict(list)
    for mix, option in answers:
        groups[mix].append(option)
    assert sorted(len(group) for group in groups.values()) == [K, K, K, K + VOTERS % K]
    options = [option for _mix, option in answers]
    assert max(_hits(cast_order, options, truth), _hits(cast_order, options[::-1], truth),
               _grouped_hits(cast_order, [groups[m] for m in sorted(groups)], truth)
               ) <= CHANCE_LIMIT
