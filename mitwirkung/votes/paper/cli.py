"""`mitwirkung ballots import`: a CSV file of paper cards as one batch, as on the web."""

import stat
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ...extensions import db
from ..cli import staff_or_fail, vote_or_fail
from ..models import BatchStatus
from . import batches
from . import parse as paper


@click.group("ballots")
def ballots() -> None:
    """Paper ballots."""


@ballots.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--station", required=True, help="Where the cards were collected.")
@click.option("--date", "collected_on", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="The day the cards were collected, YYYY-MM-DD.")
@click.option("--entered-by", "username", required=True,
              help="Username of the staff member or admin entering the batch.")
@click.option("--dry-run", is_flag=True,
              help="Check the file and print the summary; write nothing.")
@with_appcontext
def import_command(slug: str, file: Path, station: str, collected_on, username: str,
                   dry_run: bool) -> None:
    """Import a CSV file of paper ballots as one batch (all or nothing); it counts at once, or
    with the vote's double entry once a second entry agrees."""
    vote = vote_or_fail(slug)
    user = staff_or_fail(username)
    try:
        batch, parsed = batches.import_batch(
            vote, _read_ballot_file(file), station=station, collected_on=collected_on.date(),
            entered_by=user, file_name=file.name, dry_run=dry_run,
        )
    except batches.ImportRejected as error:
        db.session.rollback()
        for problem in error.errors:
            click.echo(problem.message, err=True)
        click.echo(_("Nothing was imported."), err=True)
        raise click.exceptions.Exit(1) from None
    except batches.BatchError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None  # the same words as on the web
    if dry_run:
        click.echo(_("Dry run: %(count)d cards are fine; nothing was written.",
                     count=len(parsed.cards)))
    else:
        db.session.commit()
        click.echo(_("Imported %(count)d cards into %(slug)s as batch %(id)d.",
                     count=len(parsed.cards), slug=vote.slug, id=batch.id))
        if batch.status == BatchStatus.CHECKING:
            click.echo(_("Double entry: the batch counts once another staff member has entered "
                         "its cards again and both entries agree."))
    click.echo(_counts_text(vote, parsed.counts()))


def _read_ballot_file(path: Path) -> bytes:
    """The file's bytes, read no further than the parser accepts; a device, pipe or socket
    is refused before reading (/dev/zero would never end)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise click.ClickException(_("%(path)s is not a regular file", path=path))
        with path.open("rb") as handle:
            return paper.read_limited(handle)
    except OSError as error:
        raise click.ClickException(_("cannot read %(path)s: %(error)s", path=path,
                                     error=error.strerror)) from error


def _counts_text(vote, counts: dict[str, dict[str, int]]) -> str:
    lines = []
    for question in vote.questions:
        bucket = counts.get(question.code, {})
        lines += ["", f"{question.title} [{question.code}]"]
        for option in question.options:
            count = bucket.get(option.code, 0)
            lines.append(f"  {option.code:3} {option.title[:32]:32} {count:>8}")
        lines.append(f"  {_('blank')} {bucket.get('blank', 0)}, "
                     f"{_('invalid')} {bucket.get('invalid', 0)}")
    return "\n".join(lines)
