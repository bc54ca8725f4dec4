"""`mitwirkung mail deliver`: send what waits in the mail outbox (for cron)."""

import click
from flask.cli import AppGroup

from .mail import BATCH, Delivery, deliver_due

mail = AppGroup("mail", help="The mail outbox.")


@mail.command("deliver")
def deliver() -> None:
    """Send every mail that is due; failed ones wait for their next try."""
    total = Delivery()
    while True:
        batch = deliver_due()
        total.sent += batch.sent
        total.failed += batch.failed
        total.given_up += batch.given_up
        if batch.sent + batch.failed + batch.given_up < BATCH:
            break
    click.echo(f"{total.sent} sent, {total.failed} failed (retried later), "
               f"{total.given_up} given up.")
    if total.failed or total.given_up:
        raise click.exceptions.Exit(1)
