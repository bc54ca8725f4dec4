"""Taking and reading backups in tests (`mitwirkung backup`, core/backup.py)."""

import re
import subprocess
import tarfile
from pathlib import Path

from mitwirkung.core import backup_postgres
from mitwirkung.extensions import db


def take_backup(app, path: Path) -> Path:
    """`mitwirkung backup PATH`, asserting it succeeds."""
    done = app.test_cli_runner().invoke(args=["backup", str(path)])
    assert done.exit_code == 0, done.output
    return path


def restore(app, path: Path, *options: str):
    """`mitwirkung restore PATH ...`, its result."""
    return app.test_cli_runner().invoke(args=["restore", str(path), *options])


def extract_database(backup: Path, target: Path) -> Path:
    """The database file of a backup (SQLite's copy or pg_dump's archive), written to
    `target`."""
    with tarfile.open(backup) as tar:
        [member] = [m for m in tar.getmembers() if m.name.startswith("database.")]
        target.write_bytes(tar.extractfile(member).read())
    return target


def dump_as_sql(app, dump: Path, *options: str) -> str:
    """pg_restore's SQL text of a dump (its data in the order the dump holds it)."""
    with app.app_context(), db.engine.connect() as connection:
        tools = backup_postgres.tools_for(connection)
    return subprocess.run([str(tools.directory / "pg_restore"), *options, "--file=-", str(dump)],
                          capture_output=True, text=True, check=True).stdout


def copied_rows(sql: str, table: str) -> list[dict[str, str | None]]:
    """The rows of `table` in a dump's SQL, in the dump's order, as column -> text."""
    match = re.search(rf"^COPY \S+\.{table} \(([^)]*)\) FROM stdin;\n(.*?)^\\\.$", sql,
                      re.MULTILINE | re.DOTALL)
    assert match, f"no data of {table} in the dump"
    columns = match.group(1).split(", ")
    return [dict(zip(columns, (None if cell == r"\N" else cell for cell in line.split("\t")),
                     strict=True))
            for line in match.group(2).splitlines()]
