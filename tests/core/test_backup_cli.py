"""`mitwirkung backup` and `mitwirkung restore`: what the operator is told when something is
wrong, on stderr with exit 1, and that nothing changed then."""

from __future__ import annotations

import io
import json
import tarfile
from dataclasses import replace
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from mitwirkung import create_app
from mitwirkung.accounts.models import User
from mitwirkung.core import backup_cli, backup_postgres
from mitwirkung.core.backup import Manifest
from mitwirkung.extensions import db

from .. import factories
from ..backups import extract_database, restore, take_backup
from ..conftest import app_settings

ENGLISH = {"BABEL_DEFAULT_LOCALE": "en"}


@pytest.fixture
def migrated(tmp_path_factory, empty_database_url):
    """A migrated database of its own (these commands commit), with one account; the
    operator's messages in English (the German ones are the catalogue's)."""
    app = create_app(app_settings(tmp_path_factory, empty_database_url) | ENGLISH)
    done = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        factories.user(username="erika")
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def accounts(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(User))
        db.session.remove()
        return count


def backup(app, *args: str):
    return app.test_cli_runner().invoke(args=["backup", *args])


def with_manifest(source: Path, target: Path, **changes) -> Path:
    """A copy of the backup `source` whose manifest says `changes`."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            content = old.extractfile(member).read()
            if member.name == "mitwirkung-backup.json":
                content = json.dumps(json.loads(content) | changes).encode()
                member.size = len(content)
            new.addfile(member, io.BytesIO(content))
    return target


def test_a_path_in_a_missing_directory_is_refused(migrated, tmp_path):
    done = backup(migrated, str(tmp_path / "nowhere" / "backup.tar"))
    assert done.exit_code == 1
    assert "does not exist" in done.stderr and "nowhere" in done.stderr


def test_an_unwritable_path_is_refused(migrated):
    done = backup(migrated, "/proc/mitwirkung-backup.tar")  # not writable, not even for root
    assert done.exit_code == 1
    assert done.stderr.startswith("Error: cannot write /proc/mitwirkung-backup.tar")


def test_an_existing_file_is_replaced_only_with_force(migrated, tmp_path):
    target = tmp_path / "backup.tar"
    target.write_bytes(b"the good backup of yesterday")
    done = backup(migrated, str(target))
    assert done.exit_code == 1 and "--force" in done.stderr
    assert target.read_bytes() == b"the good backup of yesterday"
    assert backup(migrated, str(target), "--force").exit_code == 0
    assert tarfile.is_tarfile(target)


@pytest.mark.parametrize("content", [None, b"", b"not a backup at all\n" * 100, "tar"])
def test_a_missing_file_or_one_that_is_no_backup_is_refused(migrated, tmp_path, content):
    path = tmp_path / "backup.tar"
    if content == "tar":  # a tar file, but none of ours
        with tarfile.open(path, "w") as tar:
            tar.addfile(tarfile.TarInfo("notes.txt"), io.BytesIO(b""))
    elif content is not None:
        path.write_bytes(content)
    done = restore(migrated, path, "--force")
    assert done.exit_code == 1
    assert ("does not exist" if content is None else "is not a MitWirkung backup") in done.stderr
    assert accounts(migrated) == 1


def test_the_operator_is_told_in_german_by_default(tmp_path_factory, empty_database_url,
                                                   tmp_path):
    german = create_app(app_settings(tmp_path_factory, empty_database_url))
    done = restore(german, tmp_path / "gestern.tar")
    assert done.exit_code == 1
    assert done.stderr == f"Error: {tmp_path / 'gestern.tar'} existiert nicht\n"


def test_a_damaged_database_in_the_backup_changes_nothing(migrated, tmp_path):
    good = take_backup(migrated, tmp_path / "good.tar")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(good) as old, tarfile.open(damaged, "w") as new:
        for member in old.getmembers():
            content = bytearray(old.extractfile(member).read())
            if member.name.startswith("database."):
                content[len(content) // 2:len(content) // 2 + 4096] = b"\xff" * 4096
            new.addfile(member, io.BytesIO(bytes(content)))
    with migrated.app_context():
        factories.user()
        db.session.remove()
    done = restore(migrated, damaged, "--force")
    assert done.exit_code == 1
    assert "nothing was restored" in done.stderr or "changed nothing" in done.stderr
    assert accounts(migrated) == 2


def test_a_backup_of_the_other_kind_of_database_is_refused(migrated, tmp_path):
    good = take_backup(migrated, tmp_path / "good.tar")
    with migrated.app_context():
        other = "postgresql" if db.engine.dialect.name == "sqlite" else "sqlite"
    done = restore(migrated, with_manifest(good, tmp_path / "other.tar", database=other), "--force")
    assert done.exit_code == 1 and "same kind" in done.stderr


def test_a_backup_of_a_newer_version_is_refused(migrated, tmp_path):
    good = take_backup(migrated, tmp_path / "good.tar")
    done = restore(migrated, with_manifest(good, tmp_path / "newer.tar", revision="ffffffffffff"),
                   "--force")
    assert done.exit_code == 1
    assert "newer version of MitWirkung" in done.stderr and "ffffffffffff" in done.stderr


def test_a_backup_of_an_older_schema_asks_for_db_upgrade(migrated, tmp_path):
    runner = migrated.test_cli_runner()
    assert runner.invoke(args=["db", "downgrade", "--", "-1"]).exit_code == 0
    older = take_backup(migrated, tmp_path / "older.tar")
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    done = restore(migrated, older, "--force")
    assert done.exit_code == 0, done.output
    assert "run `mitwirkung db upgrade` before starting the app" in done.stderr
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0  # builds on the restored one
    assert accounts(migrated) == 1


@pytest.mark.parametrize(("reply", "restored"), [("n\n", False), ("\n", False), ("y\n", True)])
def test_at_a_terminal_the_operator_is_asked_first(migrated, tmp_path, monkeypatch, reply,
                                                   restored):
    good = take_backup(migrated, tmp_path / "good.tar")
    with migrated.app_context():
        factories.user()
        db.session.remove()
    monkeypatch.setattr(backup_cli, "_at_a_terminal", lambda: True)
    done = migrated.test_cli_runner().invoke(args=["restore", str(good)], input=reply)
    assert "The database holds accounts: 2" in done.stderr
    assert "holds accounts: 1" in done.stderr and "[y/N]" in done.stderr
    assert done.exit_code == (0 if restored else 1)
    assert accounts(migrated) == (1 if restored else 2)


class _Server:
    """Just enough of a connection for tools_for(): a PostgreSQL 15 server."""

    engine = None  # its URL is read only once tools are found

    def execute(self, _statement):
        return type("Result", (), {"scalar": lambda _self: "150018"})()


def test_missing_postgresql_tools_are_named(monkeypatch):
    monkeypatch.setattr(backup_postgres, "_candidates", lambda: [])
    with pytest.raises(backup_postgres.ToolError, match="postgresql-client-15"):
        backup_postgres.tools_for(_Server())


def test_postgresql_tools_older_than_the_server_are_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(backup_postgres, "_candidates", lambda: [tmp_path])
    monkeypatch.setattr(backup_postgres, "_major", lambda _path: 13)
    with pytest.raises(backup_postgres.ToolError, match=r"\(version 13\).*server \(version 15\)"):
        backup_postgres.tools_for(_Server())


def test_an_unreachable_database_is_named_not_a_traceback(tmp_path_factory, tmp_path):
    gone = create_app(app_settings(tmp_path_factory, "postgresql+psycopg://nobody@127.0.0.1:1/x")
                      | ENGLISH)
    manifest = Manifest("postgresql", None, "2026-12-05T03:00:00Z", {"users": 1}).to_json()
    member = tarfile.TarInfo("mitwirkung-backup.json")
    member.size = len(manifest)
    with tarfile.open(tmp_path / "good.tar", "w") as tar:
        tar.addfile(member, io.BytesIO(manifest))
    for args in (["backup", str(tmp_path)], ["restore", str(tmp_path / "good.tar")]):
        done = gone.test_cli_runner().invoke(args=args)
        assert done.exit_code == 1
        assert done.stderr.startswith("Error: the database cannot be reached: ")


@pytest.mark.parametrize("cut_at", [30_000, 10**9])
def test_a_dump_cut_short_changes_nothing(migrated, tmp_path, cut_at):
    """pg_restore dies half-way (or at the very end): psql, which would commit what it got
    at the end of its input, rolls it all back instead."""
    with migrated.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("pg_restore and psql are PostgreSQL's")
        with db.engine.connect() as connection:
            tools = backup_postgres.tools_for(connection)
    good = take_backup(migrated, tmp_path / "good.tar")
    dump = extract_database(good, tmp_path / "dump")
    with migrated.app_context():
        factories.user()
        db.session.remove()
    failing = tmp_path / "bin"
    failing.mkdir()
    (failing / "psql").symlink_to(tools.directory / "psql")
    (failing / "pg_restore").write_text(
        f'#!/bin/sh\n"{tools.directory / "pg_restore"}" "$@" | head -c {cut_at}\nexit 1\n')
    (failing / "pg_restore").chmod(0o755)
    with migrated.app_context(), pytest.raises(backup_postgres.ToolError, match="changed nothing"):
        backup_postgres.restore(replace(tools, directory=failing), dump)
    assert accounts(migrated) == 2
    backup_postgres.restore(tools, dump)  # the same dump, whole
    assert accounts(migrated) == 1


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://stadt:pa ss'wo\\rd@db.example:5433/mitwirkung?sslmode=require",
    "postgresql+psycopg://stadt@/mitwirkung?host=/run/postgresql&password=pa ss'wo\\rd",
])
def test_the_password_reaches_the_tools_by_environment_only(url):
    conninfo, env = backup_postgres.connection_of(make_url(url))
    assert env["PGPASSWORD"] == "pa ss'wo\\rd"
    assert "pa ss" not in conninfo and "password" not in conninfo
    assert "user='stadt'" in conninfo and "dbname='mitwirkung'" in conninfo


def test_the_connection_string_quotes_what_libpq_would_misread():
    url = make_url("postgresql+psycopg://o%27brien@db.example/mit%20wirkung%5C%27s")
    conninfo, _env = backup_postgres.connection_of(url)
    parsed = conninfo_to_dict(conninfo)  # libpq's own reading
    assert (parsed["user"], parsed["dbname"], parsed["host"]) == (
        "o'brien", "mit wirkung\\'s", "db.example")
