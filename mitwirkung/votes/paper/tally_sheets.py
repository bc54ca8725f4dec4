"""Tally sheets: the totals of a box that a station counted by hand (CONSUL: a recount per
booth). Staff type the number of cards and, per question, the count of each option, blank
and invalid; each question's counts add up to the number of cards.

A tally sheet is a batch of source 'tally' without cards: its totals live in
PaperTallySheet rows, one per entry. It counts at once, or with the vote's double entry it
waits as 'checking' until a check entry by someone else agrees figure by figure. Whoever
types an entry is its author; a sheet counts only when its two agreeing entries come from
two different people, so one person cannot type a check entry and also correct the first to
match it. Voiding works as for any batch (batches.void_batch). A station's cards of one day
are entered either card by card or as one tally sheet, never both: either way round is
refused. Operations add and flush; the calling view commits.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, select

from ...core import audit
from ...core.time import utcnow
from ...extensions import db
from ..models import (
    AnswerKind,
    BatchSource,
    BatchStatus,
    PaperBatch,
    PaperTally,
    PaperTallySheet,
    TallyEntry,
    Vote,
)
from . import batches
from .batches import BatchError
from .double_entry import NotChecking, SameStaffMember, may_check

MAX_COUNT = 1_000_000  # more cards than any box holds; keeps a typo from looking plausible
BLANK, INVALID = AnswerKind.BLANK.value, AnswerKind.INVALID.value


@dataclass(frozen=True)
class SheetFigures:
    """What one entry of a tally sheet says: the number of cards and per question code
    {"options": {option code: n}, "blank": n, "invalid": n}."""

    cards: int
    counts: Mapping[str, Mapping]

    def of(self, question: str, choice: str, option: str | None = None) -> int:
        counts = self.counts.get(question, {})
        if option is not None:
            return int(counts.get("options", {}).get(option, 0))
        return int(counts.get(choice, 0))


# Refusals -------------------------------------------------------------------------------


class SheetRejected(BatchError):
    """The figures do not hold together; `errors` maps "cards" or a question code to what
    is wrong there."""

    message = _l("The tally sheet has errors. Nothing was saved.")

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


class OnePerson(BatchError):
    """Both entries agree but one person typed them: not yet four eyes."""

    message = _l("Both entries of this tally sheet are now by the same person. It counts only "
                 "once another staff member has entered it too.")


class NotATallySheet(BatchError):
    message = _l("This batch is not a tally sheet.")


# Reading the figures --------------------------------------------------------------------


def choices(vote: Vote) -> Iterator[tuple[object, str, str | None]]:
    """Every figure a sheet asks for, per question: (question, kind, option code)."""
    for question in vote.questions:
        for option in question.options:
            yield question, AnswerKind.OPTION, option.code
        yield question, BLANK, None
        yield question, INVALID, None


def check_figures(vote: Vote, figures: SheetFigures) -> SheetFigures:
    """The figures, if each question's counts add up to the number of cards; else
    SheetRejected says for each question by how much they differ."""
    errors: dict[str, str] = {}
    if not 1 <= figures.cards <= MAX_COUNT:
        errors["cards"] = _("Please enter the number of cards (1 to %(max)s).",
                            max=f"{MAX_COUNT:,}".replace(",", "."))
    sums: dict[str, int] = {}
    for question, kind, option in choices(vote):
        n = figures.of(question.code, kind, option)
        if not 0 <= n <= MAX_COUNT:
            errors[question.code] = _("Counts are whole numbers from 0 up.")
        sums[question.code] = sums.get(question.code, 0) + n
    if "cards" not in errors:
        for question in vote.questions:
            if question.code in errors:
                continue
            difference = sums[question.code] - figures.cards
            if difference:
                errors[question.code] = _sum_message(question.title, sums[question.code],
                                                     figures.cards, difference)
    if errors:
        raise SheetRejected(errors)
    return figures


def _sum_message(title: str, total: int, cards: int, difference: int) -> str:
    if difference > 0:
        return ngettext("“%(title)s” adds up to %(total)d, but the sheet has %(cards)d cards: "
                        "%(num)d too many.",
                        "“%(title)s” adds up to %(total)d, but the sheet has %(cards)d cards: "
                        "%(num)d too many.", difference, title=title, total=total, cards=cards)
    return ngettext("“%(title)s” adds up to %(total)d, but the sheet has %(cards)d cards: "
                    "%(num)d missing.",
                    "“%(title)s” adds up to %(total)d, but the sheet has %(cards)d cards: "
                    "%(num)d missing.", -difference, title=title, total=total, cards=cards)


def _stored(vote: Vote, figures: SheetFigures) -> dict:
    """The figures as a sheet row keeps them: every question and choice, zeros included."""
    counts = {}
    for question in vote.questions:
        counts[question.code] = {
            "options": {o.code: figures.of(question.code, AnswerKind.OPTION, o.code)
                        for o in question.options},
            BLANK: figures.of(question.code, BLANK),
            INVALID: figures.of(question.code, INVALID),
        }
    return counts


def figures_of(sheet: PaperTallySheet | None) -> SheetFigures | None:
    return None if sheet is None else SheetFigures(sheet.cards, sheet.counts or {})


# Entering -------------------------------------------------------------------------------


def enter_sheet(vote: Vote | None, *, station: str, collected_on: date,
                figures: SheetFigures, entered_by) -> PaperBatch:
    """A new tally sheet: counted at once, or awaiting its check entry with double entry."""
    vote = batches.require_accepting(vote)
    station = batches.clean_station(station)
    batches.check_collected_on(vote, collected_on)
    batches.require_station_day_free(vote, station, collected_on, tally=True)
    check_figures(vote, figures)
    batch = PaperBatch(
        vote_id=vote.id, station=station, collected_on=collected_on, source=BatchSource.TALLY,
        status=batches.closed_status(vote), entered_by_id=getattr(entered_by, "id", None),
        closed_at=utcnow(),
    )
    db.session.add(batch)
    db.session.flush()
    db.session.add(_sheet(vote, batch, TallyEntry.FIRST, figures, entered_by))
    db.session.flush()
    if batch.status == BatchStatus.COUNTED:
        record_sheet_tally(vote, batch, figures)
    audit.record(entered_by, "paper.tally", batch, cards=figures.cards, station=station,
                 status=batch.status, counts=_stored(vote, figures))
    return batch


def _sheet(vote, batch, entry, figures, author) -> PaperTallySheet:
    return PaperTallySheet(batch_id=batch.id, entry=entry, cards=figures.cards,
                           counts=_stored(vote, figures),
                           entered_by_id=getattr(author, "id", None), entered_at=utcnow())


def sheet_of(batch: PaperBatch, entry: str) -> PaperTallySheet | None:
    return db.session.get(PaperTallySheet, (batch.id, entry))


def _require_checking(batch: PaperBatch) -> Vote:
    if not batch.is_tally:
        raise NotATallySheet
    # Locks the batch (PostgreSQL), so two entries of one sheet never count it twice.
    db.session.refresh(batch, with_for_update={"of": PaperBatch})
    if batch.status != BatchStatus.CHECKING:
        raise NotChecking
    return batches.require_accepting(db.session.get(Vote, batch.vote_id))


def enter_check(batch: PaperBatch, figures: SheetFigures, actor) -> "SheetState":
    """Save the check entry of a sheet awaiting it (replacing an earlier one), and count the
    sheet if both entries now agree and come from two people."""
    vote = _require_checking(batch)
    if not may_check(batch, actor):
        raise SameStaffMember
    return _save_entry(vote, batch, TallyEntry.CHECK, figures, actor)


def correct_first(batch: PaperBatch, figures: SheetFigures, actor) -> "SheetState":
    """Correct the first entry of a sheet awaiting its check (whoever corrects it is its
    author from now on), and count the sheet if both entries now agree."""
    vote = _require_checking(batch)
    return _save_entry(vote, batch, TallyEntry.FIRST, figures, actor)


def _save_entry(vote, batch, entry, figures, actor) -> "SheetState":
    check_figures(vote, figures)
    sheet = sheet_of(batch, entry)
    before = None if sheet is None else {"cards": sheet.cards, "counts": sheet.counts}
    if sheet is None:
        db.session.add(_sheet(vote, batch, entry, figures, actor))
    else:
        sheet.cards, sheet.counts = figures.cards, _stored(vote, figures)
        sheet.entered_by_id, sheet.entered_at = getattr(actor, "id", None), utcnow()
    db.session.flush()
    audit.record(actor, "paper.tally_entry", batch, entry=entry, cards=figures.cards,
                 station=batch.station, before=before)
    now = state(vote, batch)
    if now.counts:
        batch.status = BatchStatus.COUNTED
        batch.checked_at = utcnow()
        batch.checked_by_id = now.check_by
        db.session.flush()
        record_sheet_tally(vote, batch, now.first)
        audit.record(actor, "paper.confirm", batch, cards=now.first.cards,
                     station=batch.station, first_entry_by=now.first_by,
                     check_entry_by=[now.check_by])
    return now


@dataclass
class SheetState:
    """The entries of a tally sheet and how they compare."""

    first: SheetFigures | None
    check: SheetFigures | None
    first_by: int | None
    check_by: int | None
    differences: list["FigureDifference"]

    @property
    def one_person(self) -> bool:
        """Both entries by one known person (a deleted account proves nothing either way)."""
        return self.first_by is not None and self.first_by == self.check_by

    @property
    def counts(self) -> bool:
        """Both entries there, equal, and by two people: the sheet may count."""
        return (self.first is not None and self.check is not None and not self.differences
                and not self.one_person)


def state(vote: Vote, batch: PaperBatch) -> SheetState:
    first, check = sheet_of(batch, TallyEntry.FIRST), sheet_of(batch, TallyEntry.CHECK)
    differences = (compare(vote, figures_of(first), figures_of(check))
                   if first is not None and check is not None else [])
    return SheetState(figures_of(first), figures_of(check),
                      first.entered_by_id if first else None,
                      check.entered_by_id if check else None, differences)


# Comparing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureDifference:
    """One figure on which the two entries differ: the number of cards, or one choice of a
    question (`question` None for the cards)."""

    question: str | None
    choice: str  # what is counted, in the reader's words: "A Wasserspiel", "blank" ...
    first: int
    check: int


def compare(vote: Vote, first: SheetFigures, check: SheetFigures) -> list[FigureDifference]:
    differences = []
    if first.cards != check.cards:
        differences.append(FigureDifference(None, _("Number of cards"), first.cards,
                                            check.cards))
    for question, kind, option in choices(vote):
        mine, theirs = first.of(question.code, kind, option), check.of(question.code, kind,
                                                                       option)
        if mine != theirs:
            differences.append(FigureDifference(question.title, choice_label(question, kind,
                                                                             option),
                                                mine, theirs))
    return differences


def choice_label(question, kind: str, option: str | None) -> str:
    if kind == AnswerKind.OPTION:
        title = next(o.title for o in question.options if o.code == option)
        return f"{option} {title}"
    return str(AnswerKind.label_of(kind))


# Counting -------------------------------------------------------------------------------


def record_sheet_tally(vote: Vote, batch: PaperBatch, figures: SheetFigures) -> None:
    """The sheet's totals as the batch's PaperTally rows (as for a batch of cards), so the
    result reads them the same way; zeros are left out."""
    db.session.execute(delete(PaperTally).where(PaperTally.batch_id == batch.id))
    rows = []
    for question, kind, option in choices(vote):
        n = figures.of(question.code, kind, option)
        if not n:
            continue
        key = (str(next(o.id for o in question.options if o.code == option))
               if kind == AnswerKind.OPTION else kind)
        rows.append(PaperTally(batch_id=batch.id, question_id=question.id, choice=key,
                               count=n))
    db.session.add_all(rows)
    db.session.flush()


def sheet_cards(batch_ids: list[int]) -> dict[int, int]:
    """The number of cards of each tally sheet among `batch_ids`, from its first entry."""
    if not batch_ids:
        return {}
    return dict(db.session.execute(
        select(PaperTallySheet.batch_id, PaperTallySheet.cards).where(
            PaperTallySheet.batch_id.in_(batch_ids), PaperTallySheet.entry == TallyEntry.FIRST)
    ).all())
