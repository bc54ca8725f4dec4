"""`mitwirkung results VOTE_SLUG`: the merged result in the terminal, as CSV or JSON."""

import json

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ...core.csv_export import csv_text
from ...core.templating import format_share
from ..cli import vote_or_fail
from ..models import VotePhase
from .tally import as_json, result_rows, tally


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


def _as_text(results) -> str:
    online, paper, total = _("online"), _("paper"), _("total")
    lines = [
        f"{results.vote.title} ({results.vote.slug}) - {VotePhase.label_of(results.phase)}",
        f"{_('Ballots')}: {results.online_ballots} {online}, {results.paper_ballots} {paper}, "
        f"{results.total_ballots} {total}",
    ]
    for question in results.questions:
        lines += ["", f"{question.title} [{question.code}]"]
        for option in question.options:
            lines.append(
                f"  {option.code:3} {option.title[:32]:32} {option.count.online:>8} {online} "
                f"{option.count.paper:>6} {paper} {option.count.total:>8} {total} "
                f"{format_share(option.percent):>7}"
            )
        lines.append(f"  {_('blank')} {question.blank.total}, "
                     f"{_('invalid')} {question.invalid.total}")
    return "\n".join(lines)
