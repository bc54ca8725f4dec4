"""PostgreSQL's own tools for backups (core/backup.py): pg_dump, pg_restore and psql of a
version that can talk to the server, given the connection of DATABASE_URL with the
password in the environment (PGPASSWORD), never on a command line, where `ps` shows it."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.engine import URL, Connection

TOOLS = ("pg_dump", "pg_restore", "psql")

# Run before the dump's own statements, in its transaction: the schema's tables go, also
# those the backup does not know (a migration newer than the backup added them), so the
# restored database is the backup and nothing else, and `mitwirkung db upgrade` can
# build on it.
DROP_EVERYTHING = """
DO $$
DECLARE names text;
BEGIN
    SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') INTO names
        FROM pg_tables WHERE schemaname = current_schema();
    IF names IS NOT NULL THEN EXECUTE 'DROP TABLE ' || names || ' CASCADE'; END IF;
    SELECT string_agg(format('%I.%I', schemaname, sequencename), ', ') INTO names
        FROM pg_sequences WHERE schemaname = current_schema();
    IF names IS NOT NULL THEN EXECUTE 'DROP SEQUENCE ' || names || ' CASCADE'; END IF;
END $$;
"""

# psql commits its one transaction at the end of its input, also of input cut short, when
# pg_restore fails or this process dies half-way. So the input ends with COMPLETE, written
# only once pg_restore has succeeded, and without it psql's last command rolls all back.
COMPLETE = b"SELECT set_config('mitwirkung.restore_complete', 'yes', false);\n"
CHECK_COMPLETE = """
DO $$
BEGIN
    IF current_setting('mitwirkung.restore_complete', true) IS DISTINCT FROM 'yes' THEN
        RAISE EXCEPTION 'the dump was cut short';
    END IF;
END $$;
"""


class ToolError(Exception):
    """A tool is missing, too old for the server, or failed; the message says which."""


@dataclass(frozen=True)
class Tools:
    """The directory of one PostgreSQL version's client tools, and the connection."""

    directory: Path
    major: int
    conninfo: str
    env: dict

    def command(self, name: str, *args: str) -> list[str]:
        return [str(self.directory / name), *args, f"--dbname={self.conninfo}"]

    def run(self, name: str, *args: str) -> str:
        """Run a tool against the database; its stdout, or ToolError with its stderr."""
        done = subprocess.run(self.command(name, *args), env=self.env, capture_output=True,
                              text=True, check=False)
        if done.returncode:
            raise ToolError(_("%(tool)s failed: %(error)s", tool=name,
                              error=done.stderr.strip()))
        return done.stdout


def tools_for(connection: Connection) -> Tools:
    """The client tools for the server of `connection`: the ones on PATH, else the newest
    under /usr/lib/postgresql, whichever first is at least the server's version (pg_dump
    refuses a newer server)."""
    server = connection.execute(text("SHOW server_version_num")).scalar()
    server_major = int(server) // 10000
    found = []
    for directory in _candidates():
        major = _major(directory / "pg_dump")
        if major is None:
            continue
        found.append(major)
        if major >= server_major:
            conninfo, env = connection_of(connection.engine.url)
            return Tools(directory, major, conninfo, env)
    if not found:
        raise ToolError(_("pg_dump, pg_restore and psql were not found on PATH nor in "
                          "/usr/lib/postgresql: install the PostgreSQL client "
                          "(Debian: apt-get install postgresql-client-%(major)d)",
                          major=server_major))
    raise ToolError(_("the PostgreSQL client tools found (version %(found)s) are older than "
                      "the server (version %(server)d), and pg_dump refuses that: install "
                      "postgresql-client-%(server)d or put its bin directory first on PATH",
                      found=", ".join(str(major) for major in found), server=server_major))


def _candidates() -> list[Path]:
    """Directories holding all three tools: PATH's first, then /usr/lib/postgresql/*/bin,
    newest first."""
    found = []
    on_path = shutil.which("pg_dump")
    if on_path:
        found.append(Path(on_path).parent)
    versioned = glob.glob("/usr/lib/postgresql/*/bin")
    found += sorted((Path(path) for path in versioned), reverse=True,
                    key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.name)])
    return [path for path in found if all(os.access(path / tool, os.X_OK) for tool in TOOLS)]


def _major(pg_dump: Path) -> int | None:
    """The major version `pg_dump --version` reports ("pg_dump (PostgreSQL) 15.18 ...")."""
    try:
        done = subprocess.run([str(pg_dump), "--version"], capture_output=True, text=True,
                              check=False, timeout=30)
    except OSError:
        return None
    match = re.search(r"\)\s+(\d+)", done.stdout)
    return int(match.group(1)) if done.returncode == 0 and match else None


def connection_of(url: URL) -> tuple[str, dict]:
    """A libpq connection string of `url` without its password, and the environment that
    carries the password."""
    keywords = {"host": url.host, "port": url.port, "user": url.username,
                "dbname": url.database, "password": url.password}
    for key, value in url.query.items():  # psycopg's query keys are libpq's own
        keywords[key] = value[-1] if isinstance(value, tuple) else value
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    password = keywords.pop("password")
    if password:
        env["PGPASSWORD"] = str(password)
    conninfo = " ".join(f"{key}={_quoted(str(value))}" for key, value in keywords.items()
                        if value not in (None, ""))
    return conninfo, env


def _quoted(value: str) -> str:
    """A libpq connection-string value: in single quotes, with \\ and ' escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def dump(tools: Tools, target: Path, snapshot: str) -> None:
    """pg_dump's custom format of the whole database as `snapshot` (an exported snapshot)
    sees it."""
    tools.run("pg_dump", "--format=custom", f"--file={target}", f"--snapshot={snapshot}")


def table_of_contents(tools: Tools, dump_file: Path) -> str:
    """pg_restore's list of what a dump holds; ToolError when it is no dump it can read."""
    done = subprocess.run([str(tools.directory / "pg_restore"), "--list", str(dump_file)],
                          env=tools.env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise ToolError(done.stderr.strip())
    return done.stdout


def restore(tools: Tools, dump_file: Path) -> None:
    """Replace the database by the dump in one transaction: pg_restore writes the dump as
    SQL, and psql runs DROP_EVERYTHING, it and CHECK_COMPLETE with --single-transaction;
    on any error nothing changes."""
    with tempfile.TemporaryFile() as script_errors, tempfile.TemporaryFile() as apply_errors:
        applying = subprocess.Popen(
            tools.command("psql", "--no-psqlrc", "--quiet", "--single-transaction",
                          "--set=ON_ERROR_STOP=1", f"--command={DROP_EVERYTHING}",
                          "--file=-", f"--command={CHECK_COMPLETE}"),
            env=tools.env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=apply_errors)
        script = subprocess.Popen(
            [str(tools.directory / "pg_restore"), "--no-owner", "--no-privileges", "--file=-",
             str(dump_file)], env=tools.env, stdout=subprocess.PIPE, stderr=script_errors)
        try:
            shutil.copyfileobj(script.stdout, applying.stdin, 1024 * 1024)
            if script.wait() == 0:
                applying.stdin.write(COMPLETE)
            applying.stdin.close()
        except BrokenPipeError:  # psql stopped at an error, which it tells
            script.kill()
            with suppress(BrokenPipeError):
                applying.stdin.close()
        failed, applied = script.wait(), applying.wait()
        errors = [_read(apply_errors), _read(script_errors)]
    if applied or failed:
        raise ToolError(_("the restore failed and changed nothing: %(error)s",
                          error=next((error for error in errors if error), failed or applied)))


def _read(stream) -> str:
    stream.seek(0)
    return stream.read().decode(errors="replace").strip()
