"""The votes' part of a person's data: in which votes they took part, and on which day.

Never what they chose: a participation holds no choice, and nothing the database stores
links it to a ballot (docs/secrecy.md), so no export can say it.

Erasure deletes the participations. The results do not change, since they count ballots,
and ballots are not linked to participations; nor can the person vote again, since a
deleted account cannot log in. One kind stays, pointing at the account's tombstone, which
names nobody: the only participation of a vote that has no ballot row yet (its online
ballots still wait in the inbox, fewer than k of them). Until a ballot row exists that
participation is what locks the vote's questions and options (votes.services.ballots_exist),
which a waiting ballot still refers to.

Paper batches, tally sheets and check entries a staff member entered keep them as their
author (the tombstone): two different people must have entered a batch twice, and the
audit log says what they did (its part exports it).
"""

from flask_babel import gettext as _
from sqlalchemy import exists, select

from ..core import data_rights
from ..extensions import db
from .models import Ballot, Participation, Vote


def export_votes(user) -> dict:
    rows = db.session.execute(
        select(Vote.title, Vote.slug, Participation.voted_on)
        .join(Vote, Vote.id == Participation.vote_id)
        .where(Participation.user_id == user.id)
        .order_by(Participation.voted_on, Vote.title)
    )
    return {
        "participations": [{"vote": title, "vote_slug": slug, "voted_on": day.isoformat()}
                           for title, slug, day in rows],
        "note": _("Only that you voted, and on which day, is stored with your account. What "
                  "you chose is stored without your name: no one can tell it, and no export "
                  "can hold it."),
    }


def erase_votes(user) -> None:
    participations = db.session.scalars(
        select(Participation).where(Participation.user_id == user.id)
    ).all()
    for participation in participations:
        locked_anyway = select(
            exists().where(Ballot.vote_id == participation.vote_id)
            | exists().where(Participation.vote_id == participation.vote_id,
                             Participation.id != participation.id)
        )
        if db.session.scalar(locked_anyway):
            db.session.delete(participation)
    db.session.flush()


data_rights.register("votes", export=export_votes, erase=erase_votes)
