"""`mitwirkung backup PATH` and `mitwirkung restore PATH` (core/backup.py)."""

import sys
from contextlib import contextmanager
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError

from . import backup as backups


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Write the database and the uploaded files to PATH, one tar file.

    PATH a directory: a new file mitwirkung-YYYYMMDD-HHMMSS.tar (UTC) in it, handy for
    cron. An existing file is replaced only with --force, so that a second backup never
    overwrites the good one of before. Safe while the app serves: SQLite is copied by its
    online backup API, PostgreSQL by pg_dump (from PATH, else the newest in
    /usr/lib/postgresql), each a consistent snapshot. The file holds password hashes,
    e-mail addresses and ballots and is readable by its owner only: keep it that way.
    """
    with _errors_told():
        written, manifest = backups.backup(path, replace=force)
    click.echo(_("Backup written to %(path)s: %(summary)s.", path=written,
                 summary=backups.summary(manifest.counts)))


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace a database that holds data without asking (for scripts).")
@with_appcontext
def restore_command(path: Path, force: bool) -> None:
    """Replace the database by the backup at PATH and put its uploaded files back.

    Stop the app servers first, or restart them afterwards: they keep caches of the old
    data. A database that holds data is replaced only when you say yes to the question,
    which shows what the database and the backup hold, or with --force; without a
    terminal to ask in (cron, a script) it is refused. All or nothing: when anything
    fails, the database stays as it was. Everything written since the backup is lost,
    online ballots too (their voters may vote again). Files uploaded after the backup
    stay in UPLOAD_DIR, unused. A backup from an older version of MitWirkung: run
    `mitwirkung db upgrade` afterwards (the command says so); one from a newer version is
    refused.
    """
    with _errors_told(), backups.opened(path) as archive:
        _may_replace(archive.manifest, force)
        restored = backups.restore(archive)
    click.echo(_("Restored the backup of %(created)s: %(summary)s.",
                 created=archive.manifest.created, summary=backups.summary(restored.counts)))
    if restored.schema == "current":
        click.echo(_("The database schema is at revision %(revision)s, as this version of "
                     "MitWirkung expects.", revision=restored.revision))
    elif restored.schema == "older":
        click.echo(_("The backup's database schema (revision %(revision)s) is older than this "
                     "version of MitWirkung expects (%(head)s): run `mitwirkung db upgrade` "
                     "before starting the app.", revision=restored.revision,
                     head=restored.head), err=True)
    else:
        click.echo(_("The restored database records no schema revision (no alembic_version "
                     "table): check it before starting the app."), err=True)
    click.echo(_("Restart every app server: they keep caches of the data before."))


@contextmanager
def _errors_told():
    """What went wrong, in a line on stderr and exit 1, not a traceback."""
    try:
        yield
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    except OperationalError as error:
        raise click.ClickException(_("the database cannot be reached: %(error)s",
                                     error=str(error.orig).strip())) from None


def _may_replace(manifest, force: bool) -> None:
    """Go on when the database is empty, with --force, or when the operator says yes."""
    counts = backups.live_counts()
    if force or not any(counts.values()):
        return
    now = _("The database holds %(summary)s.", summary=backups.summary(counts))
    then = _("The backup of %(created)s holds %(summary)s.", created=manifest.created,
             summary=backups.summary(manifest.counts))
    if not _at_a_terminal():
        raise backups.BackupError(
            f"{now} {then} " + _("Restoring replaces everything in the database by the "
                                 "backup: add --force to do so; nothing was changed."))
    click.echo(f"{now}\n{then}", err=True)
    if not click.confirm(_("Replace everything in the database by the backup?"), default=False,
                         err=True):
        raise backups.BackupError(_("nothing was changed"))


def _at_a_terminal() -> bool:
    return sys.stdin.isatty()
