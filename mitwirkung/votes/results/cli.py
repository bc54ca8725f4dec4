"""`mitwirkung results VOTE_SLUG`: the merged result in the terminal, as CSV or JSON."""

import json

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ...core.csv_export import csv_text
from ...core.templating import format_share
from ...extensions import db
from ..cli import staff_or_fail, vote_or_fail
from ..models import VotePhase
from . import final
from .tally import as_json, final_words, result_rows, tally


@click.command("results")
@click.argument("slug")
@click.option("--format", "output", type=click.Choice(["text", "csv", "json"]), default="text",
              show_default=True)
@with_appcontext
def results_command(slug: str, output: str) -> None:
    """Print the merged online and paper result of a vote."""
    results = tally(vote_or_fail(slug))
    if output == "json":
        click.echo(json.dumps(as_json(results), ensure_ascii=False, indent=2))
    elif output == "csv":
        click.echo(csv_text(result_rows(results)), nl=False)
    else:
        click.echo(_as_text(results))


@click.group("votes")
def votes() -> None:
    """Design votes."""


@votes.command("finalize")
@click.argument("slug")
@click.option("--by", "username", required=True,
              help="Username of the staff member or admin declaring the result final.")
@with_appcontext
def finalize_command(slug: str, username: str) -> None:
    """Declare the result of a closed vote final; nothing about it changes afterwards."""
    vote = vote_or_fail(slug)
    user = staff_or_fail(username)
    try:
        final.declare_final(vote, user)
    except final.FinalRefused as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None  # the same words as on the web
    db.session.commit()
    click.echo(final_words(tally(vote)))


def _as_text(results) -> str:
    online, paper, sheet, total = _("online"), _("paper"), _("tally sheet"), _("total")
    lines = [
        f"{results.vote.title} ({results.vote.slug}) - {VotePhase.label_of(results.phase)}",
        final_words(results),
        f"{_('Ballots')}: {results.online_ballots} {online}, {results.paper_ballots} {paper}, "
        f"{results.tally_ballots} {sheet}, {results.total_ballots} {total}",
    ]
    for question in results.questions:
        lines += ["", f"{question.title} [{question.code}]"]
        for option in question.options:
            lines.append(
                f"  {option.code:3} {option.title[:32]:32} {option.count.online:>8} {online} "
                f"{option.count.paper:>6} {paper} {option.count.tally:>6} {sheet} "
                f"{option.count.total:>8} {total} "
                f"{format_share(option.percent):>7}"
            )
        lines.append(f"  {_('blank')} {question.blank.total}, "
                     f"{_('invalid')} {question.invalid.total}")
    return "\n".join(lines)
