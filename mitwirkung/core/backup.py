"""Backups (`mitwirkung backup`, `mitwirkung restore`): one tar file holding the database
and the uploaded files.

The archive holds, in this order: MANIFEST (the database's kind, its schema revision, when
the backup was taken, a few counts that tell one backup from another), the database
(SQLite: a copy made by its online backup API; PostgreSQL: pg_dump's custom format, both
consistent while the app serves) and `uploads/NAME` for each file of UPLOAD_DIR. The files
go in too because a database without them shows broken images and missing PDFs, and one
file is what an operator can keep and carry. They are stored under random names that never
change, so a restore puts them back beside any file uploaded later, which nothing in the
restored database names, so nobody is shown it. The database is copied first, then the
files: every file its copy names was written before it."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import stat
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection

from ..extensions import db
from . import backup_postgres as postgres
from .time import utcnow

MANIFEST = "mitwirkung-backup.json"
FORMAT = "mitwirkung-backup"
VERSION = 1
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
UPLOADS = "uploads/"
# An upload's stored name (core/uploads.py): random letters, a dot, an extension.
UPLOAD_NAME = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9]+")
# What a database and a backup are shown by, so the operator sees which is which.
SUMMARY = {"users": _l("accounts"), "projects": _l("projects"), "ideas": _l("ideas"),
           "comments": _l("comments"), "votes": _l("votes"), "surveys": _l("surveys")}


class BackupError(Exception):
    """Backing up or restoring cannot go on; the message says why, for the operator."""


@dataclass
class Manifest:
    database: str  # "sqlite" or "postgresql"
    revision: str | None  # Alembic's, None for a schema not made by migrations
    created_at: str  # ISO 8601, UTC
    counts: dict[str, int]

    def to_json(self) -> bytes:
        return json.dumps({"format": FORMAT, "version": VERSION, **asdict(self)},
                          indent=2).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """The manifest, or ValueError when `raw` is none of ours."""
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT or data["database"] not in DATABASE_MEMBER:
                raise ValueError("not a manifest")
            if data["version"] > VERSION:
                raise BackupError(_("this backup was written by a newer version of MitWirkung "
                                    "(backup format %(version)s): restore it with that "
                                    "version", version=data["version"]))
            return cls(data["database"], data["revision"], data["created_at"],
                       {str(key): int(value) for key, value in data["counts"].items()})
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise ValueError("not a manifest") from error

    @property
    def created(self) -> str:
        """When the backup was taken, as people read it."""
        return self.created_at.replace("T", " ")[:16] + " UTC"


def summary(counts: dict[str, int]) -> str:
    """"accounts: 12, projects: 3, ..." """
    return ", ".join(f"{label}: {counts.get(table, 0)}" for table, label in SUMMARY.items())


# --- backup ----------------------------------------------------------------------------

def backup(path: Path, replace: bool = False) -> tuple[Path, Manifest]:
    """Write a backup to `path` (a directory: a new file in it, named by the time); an
    existing file only with `replace`. Returns the file written and its manifest."""
    target = _target(path, replace)
    kind = db.engine.dialect.name
    try:
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".mitwirkung-backup-") as work:
            copy = Path(work) / DATABASE_MEMBER[kind]
            manifest = _copy_sqlite(copy) if kind == "sqlite" else _dump_postgresql(copy)
            archive = Path(work) / "backup.tar"
            _write_archive(archive, manifest, copy, Path(current_app.config["UPLOAD_DIR"]))
            os.chmod(archive, 0o600)  # password hashes, addresses, ballots: the owner's only
            os.replace(archive, target)
    except OSError as error:
        raise BackupError(_("cannot write %(path)s: %(error)s", path=target,
                            error=error.strerror or error)) from error
    return target, manifest


def _target(path: Path, replace: bool) -> Path:
    if path.is_dir():
        path = path / f"mitwirkung-{utcnow():%Y%m%d-%H%M%S}.tar"
    if not path.parent.is_dir():
        raise BackupError(_("the directory %(path)s does not exist", path=path.parent))
    if path.exists() and not replace:
        raise BackupError(_("%(path)s exists already: give another name, or --force to "
                            "replace it", path=path))
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise BackupError(_("cannot write %(path)s: the directory is not writable",
                            path=path))
    return path


def _copy_sqlite(copy: Path) -> Manifest:
    """Copy the live database with SQLite's backup API: all pages in one step, that is in
    one read transaction, a consistent snapshot; in WAL mode the app keeps writing meanwhile.
    Never a copy of the file, whose -wal journal may hold ballots not yet mixed."""
    live = _sqlite_file()
    if not Path(live).is_file():
        raise BackupError(_("the database file %(path)s does not exist", path=live))
    try:
        with closing(sqlite3.connect(live)) as source, \
                closing(sqlite3.connect(copy)) as target:
            source.execute("PRAGMA busy_timeout=10000")
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one file, no journal beside it
    except sqlite3.Error as error:  # a full disk, a damaged database
        raise BackupError(_("the backup failed: %(error)s", error=error)) from error
    engine = create_engine(f"sqlite:///{copy}")
    try:
        with engine.connect() as connection:
            return _manifest("sqlite", connection)
    finally:
        engine.dispose()


def _dump_postgresql(copy: Path) -> Manifest:
    """pg_dump from a snapshot that this connection exports, so the manifest's counts and
    revision are those of the dump."""
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            tools = _tools(connection)
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar()
            manifest = _manifest("postgresql", connection)
            _run_tool(postgres.dump, tools, copy, snapshot)
    return manifest


def _manifest(kind: str, connection: Connection) -> Manifest:
    tables = set(inspect(connection).get_table_names())
    revision = (connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if "alembic_version" in tables else None)
    return Manifest(kind, revision, utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
                    _counts(connection, tables))


def _counts(connection: Connection, tables: set[str]) -> dict[str, int]:
    return {table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
            for table in SUMMARY if table in tables}


def _write_archive(archive: Path, manifest: Manifest, copy: Path, uploads: Path) -> None:
    with archive.open("wb") as out:
        with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
            raw = manifest.to_json()
            _add(tar, MANIFEST, len(raw), io.BytesIO(raw))
            with copy.open("rb") as database:
                _add(tar, copy.name, copy.stat().st_size, database)
            for path in sorted(uploads.iterdir()) if uploads.is_dir() else ():
                if UPLOAD_NAME.fullmatch(path.name):
                    _add_upload(tar, path)
        out.flush()
        os.fsync(out.fileno())


def _add_upload(tar: tarfile.TarFile, path: Path) -> None:
    try:
        with path.open("rb") as upload:  # open first: it may be deleted meanwhile
            status = os.fstat(upload.fileno())
            if stat.S_ISREG(status.st_mode):
                _add(tar, UPLOADS + path.name, status.st_size, upload)
    except FileNotFoundError:
        pass


def _add(tar: tarfile.TarFile, name: str, size: int, content) -> None:
    """A regular file owned by nobody in particular, readable by its owner."""
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(utcnow().timestamp())
    tar.addfile(info, content)


# --- restore ---------------------------------------------------------------------------

@dataclass
class Archive:
    path: Path
    tar: tarfile.TarFile
    manifest: Manifest


@contextmanager
def opened(path: Path) -> Iterator[Archive]:
    """The backup at `path`, or BackupError when it is missing or none of ours."""
    if not path.exists():
        raise BackupError(_("%(path)s does not exist", path=path))
    if not path.is_file():
        raise BackupError(_("%(path)s is not a file", path=path))
    try:
        tar = tarfile.open(path, "r:")
    except PermissionError as error:
        raise BackupError(_("cannot read %(path)s: %(error)s", path=path,
                            error=error.strerror)) from error
    except (tarfile.TarError, OSError) as error:
        raise _not_a_backup(path) from error
    with tar:
        try:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise _not_a_backup(path)
            manifest = Manifest.from_json(tar.extractfile(first).read(1_000_000))
        except (tarfile.TarError, ValueError) as error:
            raise _not_a_backup(path) from error
        yield Archive(path, tar, manifest)


def _not_a_backup(path: Path) -> BackupError:
    return BackupError(_("%(path)s is not a MitWirkung backup (made by `mitwirkung backup`)",
                         path=path))


def live_counts() -> dict[str, int]:
    """The summary counts of the database DATABASE_URL names (none for missing tables)."""
    with db.engine.connect() as connection:
        return _counts(connection, set(inspect(connection).get_table_names()))


@dataclass
class Restored:
    revision: str | None
    schema: str  # "current", "older" or "unknown" (no revision recorded)
    head: str | None
    counts: dict[str, int]


def restore(archive: Archive) -> Restored:
    """Replace the database by the backup's, all or nothing, and put its files back."""
    kind = db.engine.dialect.name
    manifest = archive.manifest
    if manifest.database != kind:
        raise BackupError(_("this backup holds a %(backup)s database, but DATABASE_URL names "
                            "a %(here)s database; a backup is restored into the same kind",
                            backup=manifest.database, here=kind))
    if _schema_state(manifest.revision)[0] == "newer":
        raise BackupError(_("this backup comes from a newer version of MitWirkung (schema "
                            "revision %(revision)s, which this version does not know): "
                            "restore it with that version", revision=manifest.revision))
    with tempfile.TemporaryDirectory(prefix="mitwirkung-restore-") as work:
        copy = Path(work) / DATABASE_MEMBER[kind]
        _extract(archive, DATABASE_MEMBER[kind], copy)
        tools = None
        if kind == "sqlite":
            _check_sqlite_copy(archive, copy)
        else:
            with db.engine.connect() as connection:
                tools = _tools(connection)
            _check_dump(archive, tools, copy)
        uploads = Path(current_app.config["UPLOAD_DIR"])
        try:
            staged = _stage_uploads(archive, uploads)
        except OSError as error:
            raise BackupError(_("cannot write %(path)s: %(error)s", path=uploads,
                                error=error.strerror or error)) from error
        try:
            db.engine.dispose()  # nothing of ours holds the database meanwhile
            if tools is None:
                _restore_sqlite(copy)
            else:
                _run_tool(postgres.restore, tools, copy)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        _put_in_place(staged)
    db.engine.dispose()
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        revision = (connection.execute(text("SELECT version_num FROM alembic_version"))
                    .scalar() if "alembic_version" in tables else None)
        counts = _counts(connection, tables)
    schema, head = _schema_state(revision)
    return Restored(revision, schema, head, counts)


def _extract(archive: Archive, name: str, target: Path) -> None:
    try:
        member = archive.tar.getmember(name)
        source = archive.tar.extractfile(member) if member.isfile() else None
        if source is None:
            raise _not_a_backup(archive.path)
        with source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
    except (KeyError, tarfile.TarError) as error:
        raise _not_a_backup(archive.path) from error


def _check_sqlite_copy(archive: Archive, copy: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as database:
            checked = database.execute("PRAGMA integrity_check").fetchall()
            has_users = database.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'").fetchone()
    except sqlite3.DatabaseError as error:
        raise _damaged(archive, str(error)) from error
    if checked != [("ok",)]:
        raise _damaged(archive, "; ".join(row[0] for row in checked[:5]))
    if not has_users:
        raise _not_a_backup(archive.path)


def _check_dump(archive: Archive, tools: postgres.Tools, copy: Path) -> None:
    try:
        contents = postgres.table_of_contents(tools, copy)
    except postgres.ToolError as error:
        raise _damaged(archive, str(error)) from error
    if not re.search(r" TABLE DATA \S+ users ", contents):
        raise _not_a_backup(archive.path)


def _damaged(archive: Archive, detail: str) -> BackupError:
    return BackupError(_("the database in %(path)s is damaged, nothing was restored: "
                         "%(error)s", path=archive.path, error=detail))


def _restore_sqlite(copy: Path) -> None:
    """Write the copy's pages over the live database with the backup API, in one step: one
    write transaction, which every other connection sees whole or not at all (the app
    may even run meanwhile). The file keeps its journal mode."""
    live = Path(_sqlite_file())
    live.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(sqlite3.connect(copy)) as source, \
                closing(sqlite3.connect(live, isolation_level=None)) as target:
            target.execute("PRAGMA busy_timeout=10000")
            source.backup(target)
            # The replaced pages may wait in the -wal journal: write them into the file.
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        raise BackupError(_("the restore failed and changed nothing: %(error)s",
                            error=error)) from error


def _stage_uploads(archive: Archive, uploads: Path) -> Path:
    """The backup's files, written into a hidden folder inside UPLOAD_DIR (the same file
    system, so that putting them in place is a rename each)."""
    uploads.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".restore-", dir=uploads))
    try:
        for member in archive.tar.getmembers():
            name = member.name.removeprefix(UPLOADS)
            if (member.name.startswith(UPLOADS) and member.isfile()
                    and UPLOAD_NAME.fullmatch(name)):
                with archive.tar.extractfile(member) as source, (staged / name).open("wb") as out:
                    shutil.copyfileobj(source, out, 1024 * 1024)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def _put_in_place(staged: Path) -> None:
    for path in staged.iterdir():
        os.replace(path, staged.parent / path.name)  # the same name is the same file
    staged.rmdir()


def _schema_state(revision: str | None) -> tuple[str, str | None]:
    """("current" | "older" | "newer" | "unknown", this version's head revision)."""
    from alembic.script import ScriptDirectory

    from .migrations import DIRECTORY

    script = ScriptDirectory(DIRECTORY)
    head = script.get_current_head()
    if revision is None:
        return "unknown", head
    if revision == head:
        return "current", head
    known = {item.revision for item in script.walk_revisions()}
    return ("older" if revision in known else "newer"), head


def _tools(connection: Connection) -> postgres.Tools:
    try:
        return postgres.tools_for(connection)
    except postgres.ToolError as error:
        raise BackupError(str(error)) from error


def _run_tool(step, *args) -> None:
    try:
        step(*args)
    except postgres.ToolError as error:
        raise BackupError(str(error)) from error


def _sqlite_file() -> str:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError(_("an in-memory database cannot be backed up or restored"))
    return database
