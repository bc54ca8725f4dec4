"""One paper card as typed by a person: read against the vote's questions, saved, and shown
again as it would be typed; and the card numbers of a stack: the next one proposed, and
those that do not look like the others. The first entry (ballots) and the check entry of
double entry (check cards) both go through here, so both read and save a card alike."""

import re
from collections import Counter
from collections.abc import Container, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ...core.domain import DomainError
from ...extensions import db
from ..models import AnswerKind, Ballot, PaperCheckCard, Vote
from .parse import (
    INVALID_WORDS,
    MANUAL_INVALID,
    SERIAL,
    SERIAL_MAX_LENGTH,
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
    specs = question_specs(vote)
    card, errors = parse_card(serial, cells, specs, counted_serials=taken)
    counted = errors.get(SERIAL)
    if counted is not None and counted.code == SERIAL_COUNTED and taken_code != SERIAL_COUNTED:
        errors[SERIAL] = RowError(0, taken_code, counted.params)
    # A wrong answer names the question as the person sees it, and what may be typed.
    for question, spec in zip(vote.questions, specs, strict=True):
        wrong = errors.get(spec.code)
        if wrong is not None and wrong.code == "card_unknown_option":
            errors[spec.code] = RowError(0, "card_unknown_answer", {
                "value": wrong.params["value"], "question": question.title,
                "answers": answer_guide(spec)})
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


def answer_guide(spec: QuestionSpec):
    """What may be typed for a question, as a lazy text for its hint and its error:
    "A = Offene Bühne, B = Grünes Band; empty = blank; X or “invalid” = invalid"."""
    shortcut = invalid_shortcut(spec)
    invalid = (_l("%(shortcut)s or “invalid”", shortcut=shortcut.upper())
               if shortcut == MANUAL_INVALID else _l("“invalid”"))
    options = ", ".join(f"{option.code} = {option.title}" for option in spec.options)
    return _l("%(options)s; empty = blank; %(invalid)s = invalid", options=options,
              invalid=invalid)


def typed_cells(vote: Vote, answers: Mapping[str, Answer]) -> dict[str, str]:
    """Answers as one would type them: option code, "" for blank, "x" for invalid."""
    cells = {}
    for spec in question_specs(vote):
        kind, code = answers[spec.code]
        cells[spec.code] = {AnswerKind.OPTION: code, AnswerKind.BLANK: "",
                            AnswerKind.INVALID: invalid_shortcut(spec)}.get(kind, "")
    return cells


# Card numbers ---------------------------------------------------------------------------
# Cards of one stack are usually numbered in a row ("V-0001", "V-0002", ...): the number
# after the last card is proposed for the next one, and a number that looks unlike the
# stack's others (another beginning, another count of digits) is pointed out, never refused.

_LAST_NUMBER = re.compile(r"([0-9]+)([^0-9]*)$")


@dataclass(frozen=True)
class SerialShape:
    """What the card numbers of a stack share: the text before and after their last run of
    digits (lower case) and how many digits that run has."""

    prefix: str
    digits: int
    suffix: str

    def pattern(self) -> str:
        """A regular expression for numbers of this shape, the same in Python and in a
        browser's JavaScript (compare ignoring case)."""
        return f"^{_escape(self.prefix)}[0-9]{{{self.digits}}}{_escape(self.suffix)}$"


def _escape(text: str) -> str:
    """Escape regular-expression syntax; what both Python and JavaScript read alike."""
    return re.sub(r"([\\^$.|?*+()\[\]{}/-])", r"\\\1", text)


def serial_shape(serial: str) -> SerialShape | None:
    """The shape of a card number; None if it has no digits."""
    serial = serial.strip()
    match = _LAST_NUMBER.search(serial)
    if match is None:
        return None
    return SerialShape(serial[:match.start()].lower(), len(match.group(1)),
                       match.group(2).lower())


def next_serial(serial: str) -> str | None:
    """The number after `serial`: its last run of digits plus one, leading zeros kept
    ("V-0011" -> "V-0012", "V-0099" -> "V-0100"); None if it has no digits."""
    serial = serial.strip()
    match = _LAST_NUMBER.search(serial)
    if match is None:
        return None
    digits = match.group(1)
    following = serial[:match.start()] + str(int(digits) + 1).zfill(len(digits)) + match.group(2)
    return following if len(following) <= SERIAL_MAX_LENGTH else None


def common_shape(serials: Sequence[str]) -> SerialShape | None:
    """The shape most of `serials` have; None if there is none, if the most common holds
    no digits, or if two shapes are equally common."""
    ranked = Counter(serial_shape(serial) for serial in serials).most_common(2)
    if not ranked or ranked[0][0] is None or len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


@dataclass(frozen=True)
class Misfit:
    """A card number unlike the others of its stack, and one of those others."""

    serial: str
    example: str


@dataclass(frozen=True)
class SerialGuide:
    """What the entry form says about card numbers: the proposal for the next card, the
    shape of the stack's numbers so far with an example, and the card just saved if its
    number does not look like the others."""

    proposal: str | None = None
    shape: SerialShape | None = None
    example: str | None = None
    misfit: Misfit | None = None


def _example(serials: Sequence[str], shape: SerialShape | None) -> str | None:
    if shape is None:
        return None
    return next(serial for serial in serials if serial_shape(serial) == shape)


def serial_guide(serials: Sequence[str], after: str | None = None) -> SerialGuide:
    """The guide for the next card of a stack whose card numbers are `serials` (highest
    first), `after` the card just saved (else the highest is taken as the last)."""
    if not serials:
        return SerialGuide()
    keys = [serial.casefold() for serial in serials]
    after_key = (after or "").strip().casefold()
    last = serials[keys.index(after_key)] if after_key in keys else None
    proposal = None
    for start in (last, serials[0]):  # after a card entered out of order: the highest
        candidate = next_serial(start) if start is not None else None
        if candidate is not None and candidate.casefold() not in keys:
            proposal = candidate
            break
    misfit = None
    if last is not None:
        others = [serial for serial, key in zip(serials, keys, strict=True) if key != after_key]
        usual = common_shape(others)
        if usual is not None and serial_shape(last) != usual:
            misfit = Misfit(last, _example(others, usual))
    shape = common_shape(serials)
    return SerialGuide(proposal, shape, _example(serials, shape), misfit)
