"""Casting a secret online ballot: reading the ballot form, checking it against the vote's
ballot box, and the writes that keep the voter apart from the choice.

Services add and flush; the calling view or command commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ...core.database import is_unique_violation, start_writes
from ...core.domain import DomainError
from ...core.permissions import can
from ...core.time import utcnow
from ...extensions import db
from ..models import Option, Question, Vote, VotePhase
from ..services import is_public, may_see, phase
from . import ballot_box
from .ballot_box import BallotBox
from .writes import Choices, write_online_ballot


class VoteError(DomainError):
    """A ballot that cannot be taken; the message says why, and that nothing was counted."""


class VoteNotOpen(VoteError):
    """The vote is a draft, has not opened yet or has closed (by the server's clock)."""

    message = _l("This vote is not open. Your ballot was not counted.")


class AlreadyVoted(VoteError):
    message = _l("You have already voted. Each account votes once.")


class BallotOutdated(VoteError):
    """An option or question of the ballot was removed while it was being cast."""

    message = _l("The ballot changed while you were voting. Nothing was counted; please vote "
                 "again.")


class NotEntitled(VoteError):
    """Only confirmed, unblocked accounts vote."""

    message = _l("Please confirm your e-mail address before you vote.")


class InvalidBallot(VoteError):
    """An answer names an unknown question or an option of another question."""

    message = _l("Your ballot does not match the choices of this vote; they may have changed. "
                 "Nothing was counted; please vote again.")


class VoteNotFound(VoteError):
    """No such vote, or a draft that only staff may see."""


class StaleBallotBox(BallotOutdated):
    """The vote's set-up changed after its ballot box was read; nothing was written."""


def resolve_answers(vote: Vote, answers: Mapping[str, str | None]) -> dict[Question, Option | None]:
    """Map question code -> option code to the vote's objects; unanswered questions are blank."""
    questions = {question.code: question for question in vote.questions}
    unknown = set(answers) - set(questions)
    if unknown:
        raise InvalidBallot(f"unknown question {sorted(unknown)[0]!r}")
    resolved = {}
    for code, question in questions.items():
        chosen = answers.get(code)
        if not chosen:
            resolved[question] = None
            continue
        options = {option.code: option for option in question.options}
        if chosen not in options:
            raise InvalidBallot(f"{chosen!r} is no option of {code!r}")
        resolved[question] = options[chosen]
    return resolved


def answers_from(form_data, question_codes) -> dict[str, str | None]:
    """Question code -> chosen option code (None for blank) from the ballot form's fields
    `q-<question code>`; two answers to one question or a field for an unknown question
    are an InvalidBallot."""
    answers: dict[str, str | None] = {}
    known = {f"q-{code}": code for code in question_codes}
    for name in form_data:
        if name.startswith("q-") and name not in known:
            raise InvalidBallot(f"unknown field {name!r}")
    for name, code in known.items():
        values = [value.strip() for value in form_data.getlist(name) if value.strip()]
        if len(values) > 1:
            raise InvalidBallot(f"two answers to {code!r}")
        answers[code] = values[0] if values else None
    return answers


def chosen_options(box: BallotBox, answers: Mapping[str, str | None]) -> Choices:
    """(question id, option id or None for blank) per question; unknown codes are refused."""
    unknown = set(answers) - set(box.questions)
    if unknown:
        raise InvalidBallot(f"unknown question {sorted(unknown)[0]!r}")
    chosen = []
    for code, (question_id, options) in box.questions.items():
        option = answers.get(code)
        if option and option not in options:
            raise InvalidBallot(f"{option!r} is no option of {code!r}")
        chosen.append((question_id, options[option] if option else None))
    return chosen


class Cast(NamedTuple):
    """A ballot in the inbox: its vote, and how many of the vote's ballots wait there."""

    vote_id: int
    waiting: int


def cast_ballot(box: BallotBox, user, answers: Mapping[str, str | None]) -> Cast:
    """Record that `user` voted and put what was chosen in the vote's inbox, apart from
    that; once per account. The caller commits, then offers the inbox to a mix
    (votes/casting/mixing.py)."""
    if not can(user, "participate"):
        raise NotEntitled
    if phase(box) != VotePhase.OPEN or not is_public(box):
        raise VoteNotOpen
    choices = chosen_options(box, answers)
    if not choices:  # all questions deleted after publishing: nothing to vote on
        raise VoteNotOpen
    try:
        # The unique constraint decides, also between concurrent tries of the same account.
        waiting = write_online_ballot(db.session, box.id, box.version, user.id,
                                      utcnow().date(), choices)
    except IntegrityError as error:
        if is_unique_violation(error):
            raise AlreadyVoted from error
        raise BallotOutdated from error  # a foreign key: an option went away meanwhile
    if waiting is None:
        raise StaleBallotBox
    return Cast(box.id, waiting)


def cast_online(slug: str, user, form_data) -> Cast:
    """Cast `user`'s ballot from the ballot form into the vote `slug`.
    Casting starts from this process's cached ballot box; any refusal that depends on the
    box is decided again on a fresh one (votes/casting/ballot_box.py)."""
    box, cached = ballot_box.lookup(slug)
    try:
        return _cast_from_form(box, user, form_data)
    except StaleBallotBox:
        pass  # staff changed the vote meanwhile: once more, as it is now
    except (VoteNotFound, VoteNotOpen, InvalidBallot):
        if not cached:
            raise
    return _cast_from_form(ballot_box.read(slug), user, form_data)


def _cast_from_form(box: BallotBox | None, user, form_data) -> Cast:
    if box is None or not may_see(box, user):
        raise VoteNotFound
    answers = answers_from(form_data, box.questions)
    start_writes()
    return cast_ballot(box, user, answers)


