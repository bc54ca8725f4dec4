"""One paper card as typed by a person: read against the vote's questions, saved, and shown
again as it would be typed. The first entry (ballots) and the check entry of double entry
(check cards) both go through here, so both read and save a card alike."""

from collections.abc import Container, Iterator, Mapping
from contextlib import contextmanager

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ...core.domain import DomainError
from ...extensions import db
from ..models import AnswerKind, Ballot, PaperCheckCard, Vote
from .parse import (
    INVALID_WORDS,
    MANUAL_INVALID,
    SERIAL,
    OptionSpec,
    PaperCard,
    QuestionSpec,
    RowError,
    manual_lookup,
    parse_card,
)

Answer = tuple[str, str | None]  # (an AnswerKind, the option code or None)
SERIAL_COUNTED = "card_serial_counted"  # among the vote's ballots
SERIAL_IN_CHECK = "check_serial_taken"  # among a check entry's cards


class CardRejected(DomainError):
    """A typed card has errors, keyed by "serial" or question code."""

    message = _l("The card has errors.")

    def __init__(self, errors: dict[str, RowError]):
        super().__init__(errors)
        self.errors = errors


def question_specs(vote: Vote) -> tuple[QuestionSpec, ...]:
    """The vote's questions as the paper parser sees them."""
    return tuple(
        QuestionSpec(q.code, tuple(OptionSpec(o.code, o.title) for o in q.options))
        for q in vote.questions
    )


def read_card(vote: Vote, serial: str, cells: Mapping[str, str | None], *,
              taken: Container[str], taken_code: str = SERIAL_COUNTED) -> PaperCard:
    """The card typed as `serial` and one cell per question code; raises CardRejected with
    every error. `taken` holds the casefolded serials the card may not reuse."""
    card, errors = parse_card(serial, cells, question_specs(vote), counted_serials=taken)
    counted = errors.get(SERIAL)
    if counted is not None and counted.code == SERIAL_COUNTED and taken_code != SERIAL_COUNTED:
        errors[SERIAL] = RowError(0, taken_code, counted.params)
    if errors:
        raise CardRejected(errors)
    return card


@contextmanager
def saving(card: PaperCard, taken_code: str = SERIAL_COUNTED) -> Iterator[None]:
    """Write a card inside a savepoint: when another entry took its serial meanwhile (the
    unique constraint decides), nothing stays written and the serial gets a card error."""
    savepoint = db.session.begin_nested()
    try:
        yield
        db.session.flush()
    except IntegrityError as error:
        savepoint.rollback()
        raise CardRejected({SERIAL: RowError(0, taken_code, {"serial": card.serial})}) from error
    savepoint.commit()


def ballot_answers(vote: Vote, ballot: Ballot) -> dict[str, Answer]:
    """Question code -> (kind, option code or None) of a card of the first entry."""
    codes = {o.id: o.code for q in vote.questions for o in q.options}
    by_question = {a.question_id: a for a in ballot.answers}
    result = {}
    for question in vote.questions:
        answer = by_question.get(question.id)
        kind = answer.kind if answer is not None else AnswerKind.BLANK
        result[question.code] = (kind, codes.get(answer.option_id) if answer else None)
    return result


def check_answers(vote: Vote, card: PaperCheckCard) -> dict[str, Answer]:
    """Question code -> (kind, option code or None) of a card of a check entry."""
    stored = card.answers or {}
    return {question.code: tuple(stored.get(question.code) or (AnswerKind.BLANK, None))
            for question in vote.questions}


def stored_answers(card: PaperCard) -> dict[str, list]:
    """A card's answers as a check card stores them: question code -> [kind, option]."""
    return {answer.question: [answer.kind, answer.option] for answer in card.answers}


def invalid_shortcut(spec: QuestionSpec) -> str:
    """What to type for an invalid mark: "x", unless an option of the question is spelled so."""
    shortcut_free = manual_lookup(spec)[MANUAL_INVALID].kind == AnswerKind.INVALID
    return MANUAL_INVALID if shortcut_free else INVALID_WORDS[0]


def typed_cells(vote: Vote, answers: Mapping[str, Answer]) -> dict[str, str]:
    """Answers as one would type them: option code, "" for blank, "x" for invalid."""
    cells = {}
    for spec in question_specs(vote):
        kind, code = answers[spec.code]
        cells[spec.code] = {AnswerKind.OPTION: code, AnswerKind.BLANK: "",
                            AnswerKind.INVALID: invalid_shortcut(spec)}.get(kind, "")
    return cells
