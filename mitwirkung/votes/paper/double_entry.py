"""Double entry of paper batches: a second staff member enters the same cards again.

With a vote's double entry on, a batch that is closed or imported waits as 'checking' and
does not count. Another staff member than the one who entered it types or imports the same
cards as the batch's check entry: PaperCheckCard rows, never ballots, so they never count
and take no serial. compare() lists every card on which the two entries differ; staff
correct either side (corrections of the first entry are audited) until nothing differs,
and then confirm() makes the batch count.

Four eyes, card by card: a card counts only when the answers on record on its two sides were
entered by two different people. Whoever corrects or adds a card is from then on the author
of that side (PaperCardAuthor for the first entry, the check card's entered_by for the
check entry), so one person cannot type a check entry and also make the first entry match
it: compare() lists such a card as entered by one person, and confirm() refuses while any
is left. Confirming needs someone other than the batch's entrant; admins are no exception.
Voiding works as for any batch. Like all paper entry, this needs the vote to be open.
Operations add and flush; the calling view commits.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import joinedload

from ...core import audit
from ...core.enums import LabelledEnum
from ...core.time import utcnow
from ...extensions import db
from ..models import (
    AnswerKind,
    Ballot,
    BatchStatus,
    PaperBatch,
    PaperCardAuthor,
    PaperCheckCard,
    Vote,
)
from ..results.tally import record_paper_tally
from . import batches, cards
from .batches import BatchError, ImportRejected
from .cards import Answer
from .parse import PaperCard, ParsedFile, parse_ballot_file

# What a difference between the entries is about.


class DifferenceKind(LabelledEnum):
    """What keeps a card from counting."""

    MISSING_IN_CHECK = "missing_in_check", _l("Missing in the check entry")
    MISSING_IN_FIRST = "missing_in_first", _l("Missing in the first entry")
    DIFFERENT = "different", _l("Different answers")
    ONE_PERSON = "one_person", _l("Both entries by the same person")



class NotChecking(BatchError):
    """The batch is not waiting for its check entry (not closed yet, counted or void)."""

    message = _l("This batch is not awaiting a check entry.")


class TallySheetChecked(BatchError):
    """A tally sheet has no cards: its check entry is its figures (tally_sheets.py)."""

    message = _l("This batch is a tally sheet: its check entry is made on the sheet's own "
                 "page.")


class SameStaffMember(BatchError):
    """Whoever entered the batch can neither make its check entry nor confirm it."""

    message = _l("You entered this batch yourself: another staff member must make its check "
                 "entry and confirm it.")


class CheckNotEmpty(BatchError):
    """A file goes only into an empty check entry; discard the cards typed so far first."""

    message = _l("The check entry already has cards. Discard them first to import a file.")


class SameFile(BatchError):
    """The check file is the very file of the first entry, so no independent entry."""

    message = _l("This is the very file of the first entry. The check entry must be typed "
                 "again independently.")
    field = "file"


class EmptyCheck(BatchError):
    """The check entry has no cards yet."""

    message = _l("The check entry has no cards yet.")


class EntriesDiffer(BatchError):
    """The entries still differ; `differences` lists them card by card."""

    def __init__(self, differences: list["Difference"]):
        super().__init__(differences)
        self.differences = differences

    def __str__(self) -> str:
        return ngettext("The entries still differ on %(num)d card.",
                        "The entries still differ on %(num)d cards.", len(self.differences))


@dataclass(frozen=True)
class AnswerDifference:
    question: str  # the question's code
    first: Answer
    check: Answer


@dataclass(frozen=True)
class Difference:
    """One card on which the entries differ: missing on one side, or other answers."""

    serial: str
    kind: DifferenceKind
    ballot_id: str | None  # the first entry's card
    check_card_id: int | None
    # Every question's answer of the side(s) holding the card: (code, first, check), None
    # for the missing side.
    answers: tuple[tuple[str, Answer | None, Answer | None], ...]


@dataclass
class Comparison:
    first_cards: int
    check_cards: int
    differences: list[Difference]

    @property
    def agree(self) -> bool:
        return self.check_cards > 0 and self.first_cards > 0 and not self.differences


# Rules ----------------------------------------------------------------------------------


def may_check(batch: PaperBatch, user) -> bool:
    """True if `user` may make the check entry of `batch` and confirm it: anyone but the
    person who entered the batch."""
    return batch.entered_by_id is None or getattr(user, "id", None) != batch.entered_by_id


def _require_checking(batch: PaperBatch) -> Vote:
    """The batch's vote, if the batch waits for its check entry and the vote is open.

    Locks the batch's row first (on PostgreSQL; SQLite writes one at a time anyway), so a
    correction and a confirmation of the same batch never overlap.
    """
    db.session.refresh(batch, with_for_update={"of": PaperBatch})
    if batch.is_tally:
        raise TallySheetChecked
    if batch.status != BatchStatus.CHECKING:
        raise NotChecking
    return batches.require_accepting(db.session.get(Vote, batch.vote_id))


def _require_other(batch: PaperBatch, actor) -> None:
    if not may_check(batch, actor):
        raise SameStaffMember


# The check entry ------------------------------------------------------------------------


def check_size(batch: PaperBatch) -> int:
    return db.session.scalar(
        select(func.count()).where(PaperCheckCard.batch_id == batch.id)
    ) or 0


def check_cards_of(batch: PaperBatch, limit: int | None = None) -> list[PaperCheckCard]:
    """The check entry's cards, highest serial first (like batches.cards_of)."""
    return list(db.session.scalars(
        select(PaperCheckCard).where(PaperCheckCard.batch_id == batch.id)
        .order_by(func.length(PaperCheckCard.serial).desc(), PaperCheckCard.serial.desc())
        .limit(limit)
    ))


def serial_guide(batch: PaperBatch, after: str | None = None) -> cards.SerialGuide:
    """The proposal and pattern for the check entry's next card, from its cards so far
    (never from the first entry, which the check entry does not look at)."""
    serials = db.session.scalars(
        select(PaperCheckCard.serial).where(PaperCheckCard.batch_id == batch.id)
        .order_by(func.length(PaperCheckCard.serial).desc(), PaperCheckCard.serial.desc())
    )
    return cards.serial_guide(list(serials), after)


def get_check_card(batch: PaperBatch, card_id: int) -> PaperCheckCard | None:
    card = db.session.get(PaperCheckCard, card_id)
    return card if card is not None and card.batch_id == batch.id else None


def check_serials(batch: PaperBatch, except_card: PaperCheckCard | None = None) -> frozenset:
    """The casefolded serials of the batch's check entry (a card takes each once)."""
    query = select(PaperCheckCard.serial).where(PaperCheckCard.batch_id == batch.id)
    if except_card is not None:
        query = query.where(PaperCheckCard.id != except_card.id)
    return frozenset(serial.casefold() for serial in db.session.scalars(query))


def _read_check_card(vote, batch, serial, cells, except_card=None) -> PaperCard:
    return cards.read_card(vote, serial, cells, taken=check_serials(batch, except_card),
                           taken_code=cards.SERIAL_IN_CHECK)


def _save_check_card(check_card: PaperCheckCard, card: PaperCard) -> PaperCheckCard:
    with cards.saving(card, cards.SERIAL_IN_CHECK):
        check_card.serial = card.serial
        check_card.answers = cards.stored_answers(card)
        db.session.add(check_card)
    return check_card


def add_check_card(
    batch: PaperBatch, serial: str, cells: Mapping[str, str | None], actor
) -> PaperCheckCard:
    """Add one typed card to the check entry of a batch waiting for it."""
    vote = _require_checking(batch)
    _require_other(batch, actor)
    card = _read_check_card(vote, batch, serial, cells)
    check_card = PaperCheckCard(batch_id=batch.id, entered_by_id=getattr(actor, "id", None))
    return _save_check_card(check_card, card)


def update_check_card(
    batch: PaperBatch, check_card: PaperCheckCard, serial: str,
    cells: Mapping[str, str | None], actor,
) -> PaperCheckCard:
    """Correct a card of the check entry; the person correcting is now its author."""
    vote = _require_checking(batch)
    _require_other(batch, actor)
    _own(batch, check_card.batch_id)
    card = _read_check_card(vote, batch, serial, cells, except_card=check_card)
    check_card.entered_by_id = getattr(actor, "id", None)
    return _save_check_card(check_card, card)


def delete_check_card(batch: PaperBatch, check_card: PaperCheckCard, actor) -> None:
    """Remove a card from the check entry."""
    _require_checking(batch)
    _require_other(batch, actor)
    _own(batch, check_card.batch_id)
    db.session.delete(check_card)
    db.session.flush()


def discard_check(batch: PaperBatch, actor) -> int:
    """Delete the whole check entry (e.g. the wrong file); returns how many cards it had."""
    _require_checking(batch)
    _require_other(batch, actor)
    cards = db.session.execute(
        delete(PaperCheckCard).where(PaperCheckCard.batch_id == batch.id)
    ).rowcount
    db.session.flush()
    audit.record(actor, "paper.check_discard", batch, cards=cards, station=batch.station)
    return cards


def import_check_file(
    batch: PaperBatch, data: bytes, actor, *, file_name: str | None
) -> ParsedFile:
    """Read a CSV file of the batch's cards, typed independently, as its check entry.

    All or nothing, like an import: any error raises ImportRejected and nothing is written.
    """
    vote = _require_checking(batch)
    _require_other(batch, actor)
    if check_size(batch):
        raise CheckNotEmpty
    parsed = parse_ballot_file(data, cards.question_specs(vote))
    if batch.file_sha256 is not None and parsed.sha256 == batch.file_sha256:
        raise SameFile
    if not parsed.ok:
        raise ImportRejected(parsed.errors, parsed)
    actor_id, now = getattr(actor, "id", None), utcnow()
    rows = [
        {"batch_id": batch.id, "serial": card.serial, "answers": cards.stored_answers(card),
         "entered_by_id": actor_id, "created_at": now}
        for card in parsed.cards
    ]
    # The file's serials are unique (the parser checks) and the entry was empty.
    for start in range(0, len(rows), batches.CHUNK):
        db.session.execute(insert(PaperCheckCard), rows[start:start + batches.CHUNK])
    db.session.flush()
    audit.record(actor, "paper.check_import", batch, cards=len(parsed.cards),
                 file=file_name, sha256=parsed.sha256, station=batch.station)
    return parsed


# Corrections of the first entry ---------------------------------------------------------


def add_first_card(batch: PaperBatch, serial: str, cells: Mapping[str, str | None],
                   actor) -> Ballot:
    """Add a card the first entry missed, while the batch waits for its check; the person
    adding it is its author."""
    _require_checking(batch)
    ballot = batches.add_card(batch, serial, cells, status=BatchStatus.CHECKING)
    _record_author(batch, ballot, actor)
    audit.record(actor, "paper.correct", batch, change="add", serial=ballot.serial)
    return ballot


def correct_first_card(batch: PaperBatch, ballot: Ballot, serial: str,
                       cells: Mapping[str, str | None], actor) -> Ballot:
    """Correct a card of the first entry, while the batch waits for its check; the person
    correcting it is from now on its author."""
    vote = _require_checking(batch)
    before = ballot.serial, _plain(cards.ballot_answers(vote, ballot))
    batches.update_card(batch, ballot, serial, cells, status=BatchStatus.CHECKING)
    _record_author(batch, ballot, actor)
    audit.record(actor, "paper.correct", batch, change="update", serial=before[0],
                 new_serial=ballot.serial, before=before[1],
                 after=_plain(cards.ballot_answers(vote, ballot)))
    return ballot


def delete_first_card(batch: PaperBatch, ballot: Ballot, actor) -> None:
    """Remove a card from the first entry, while the batch waits for its check."""
    _require_checking(batch)
    serial = ballot.serial
    batches.delete_card(batch, ballot, status=BatchStatus.CHECKING)
    audit.record(actor, "paper.correct", batch, change="delete", serial=serial)


def _record_author(batch: PaperBatch, ballot: Ballot, actor) -> None:
    author = db.session.get(PaperCardAuthor, ballot.id)
    if author is None:
        db.session.add(PaperCardAuthor(ballot_id=ballot.id, batch_id=batch.id,
                                       entered_by_id=getattr(actor, "id", None)))
    else:
        author.entered_by_id = getattr(actor, "id", None)
    db.session.flush()


def _plain(answers: dict[str, Answer]) -> dict[str, str]:
    """Answers for the audit log: option code, "blank" or "invalid" per question."""
    return {code: option if kind == AnswerKind.OPTION else kind
            for code, (kind, option) in answers.items()}


def _own(batch: PaperBatch, batch_id: int) -> None:
    if batch_id != batch.id:
        raise ValueError("the card belongs to another batch")


# Comparing and confirming ---------------------------------------------------------------


def _first_entry(vote: Vote, batch: PaperBatch) -> dict[str, tuple[str, str, dict, int]]:
    """Casefolded serial -> (serial, ballot id, answers, author) of the batch's ballots; the
    author is whoever corrected the card, else the batch's entrant."""
    ballots = db.session.scalars(
        select(Ballot).where(Ballot.batch_id == batch.id).options(joinedload(Ballot.answers))
    ).unique()
    authors = dict(db.session.execute(
        select(PaperCardAuthor.ballot_id, PaperCardAuthor.entered_by_id)
        .where(PaperCardAuthor.batch_id == batch.id)
    ).all())
    return {ballot.serial.casefold(): (ballot.serial, ballot.id,
                                       cards.ballot_answers(vote, ballot),
                                       authors.get(ballot.id, batch.entered_by_id))
            for ballot in ballots}


def _one_person(first_author: int | None, check_author: int | None) -> bool:
    """True when one known person entered both sides (an unknown, deleted one proves nothing
    either way, and counts as another)."""
    return first_author is not None and first_author == check_author


def compare(batch: PaperBatch) -> Comparison:
    """The two entries of a batch card by card (matched by serial, ignoring case): every
    card missing on one side or answered differently, in serial order."""
    vote = db.session.get(Vote, batch.vote_id)
    first = _first_entry(vote, batch)
    check = {card.serial.casefold(): (card.serial, card.id, cards.check_answers(vote, card),
                                      card.entered_by_id)
             for card in check_cards_of(batch)}
    codes = [question.code for question in vote.questions]
    differences = []
    for key in sorted(first.keys() | check.keys(), key=lambda k: (len(k), k)):
        mine, theirs = first.get(key), check.get(key)
        if theirs is None:
            kind = DifferenceKind.MISSING_IN_CHECK
        elif mine is None:
            kind = DifferenceKind.MISSING_IN_FIRST
        elif mine[2] != theirs[2]:
            kind = DifferenceKind.DIFFERENT
        elif _one_person(mine[3], theirs[3]):
            kind = DifferenceKind.ONE_PERSON
        else:
            continue
        answers = tuple(
            (code, mine[2][code] if mine else None, theirs[2][code] if theirs else None)
            for code in codes
        )
        differences.append(Difference(
            serial=(mine or theirs)[0], kind=kind, ballot_id=mine[1] if mine else None,
            check_card_id=theirs[1] if theirs else None, answers=answers,
        ))
    return Comparison(len(first), len(check), differences)


def confirm(batch: PaperBatch, actor) -> int:
    """Count a batch whose check entry agrees with it card by card; returns its cards.

    Refused for the person who entered the batch, without a check entry, or while any
    card differs (EntriesDiffer lists them).
    """
    _require_checking(batch)
    _require_other(batch, actor)
    comparison = compare(batch)
    if not comparison.first_cards:
        raise batches.EmptyBatch
    if not comparison.check_cards:
        raise EmptyCheck
    if comparison.differences:
        raise EntriesDiffer(comparison.differences)
    checkers = sorted(filter(None, set(db.session.scalars(
        select(PaperCheckCard.entered_by_id).where(PaperCheckCard.batch_id == batch.id)
    ))))
    batch.status = BatchStatus.COUNTED
    batch.checked_at = utcnow()
    batch.checked_by_id = getattr(actor, "id", None)
    db.session.flush()
    record_paper_tally(batch)
    audit.record(actor, "paper.confirm", batch, cards=comparison.first_cards,
                 station=batch.station, first_entry_by=batch.entered_by_id,
                 check_entry_by=checkers)
    return comparison.first_cards
