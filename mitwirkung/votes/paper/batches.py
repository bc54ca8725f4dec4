"""Paper ballots in batches: CSV import, manual entry card by card, closing and voiding.

A batch counts in the result only once its status is 'counted': an import is counted at
once, a batch typed by hand when it is closed. With the vote's double entry on, both wait
as 'checking' instead until a second entry agrees (double_entry.py). Voiding keeps the
batch listed but frees its serials for a correct re-entry. Operations add and flush; the
calling view or command commits once. Cards are checked by paper.py's rules; the unique
index on (vote, serial) among non-voided ballots decides between concurrent entries.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ...core import audit
from ...core.domain import DomainError
from ...core.time import format_day, utcnow
from ...extensions import db
from .. import services
from ..models import (
    Ballot,
    BallotAnswer,
    BallotChannel,
    BatchSource,
    BatchStatus,
    PaperBatch,
    Vote,
    new_paper_ballot_id,
)
from ..results.tally import BatchResult, batch_results, record_paper_tally
from . import cards
from .cards import question_specs
from .parse import (
    PaperCard,
    ParsedFile,
    RowError,
    parse_ballot_file,
)

STATION_MAX_LENGTH = 120  # the width of paper_batches.station
FILE_NAME_MAX_LENGTH = 255
MAX_EXPECTED_CARDS = 100_000  # parse.MAX_ROWS: no batch can hold more
# Ballots written per INSERT statement: fast, and memory stays flat for big files.
CHUNK = 2000
BALLOT_COLUMNS = ("id", "vote_id", "channel", "batch_id", "serial", "voided")
ANSWER_COLUMNS = ("ballot_id", "question_id", "option_id", "kind")


class BatchError(DomainError):
    """A paper-ballot change was refused; the message says why, on the web and the CLI."""


class VoteNotAcceptingPaper(BatchError):
    """Paper ballots go only into a published vote that has opened and whose result is not
    final yet (services.accepts_paper)."""

    message = _l("Paper ballots can be entered once the vote has opened, and after its close "
                 "until its result is declared final.")


class ResultIsFinal(VoteNotAcceptingPaper):
    message = _l("The result of this vote is final: no paper ballot can be entered, changed "
                 "or voided any more.")


class CollectedAfterClose(BatchError):
    """Cards collected after the vote's last day cannot count."""

    message = _l("The vote closes on %(day)s: cards collected after that day cannot count.")
    field = "collected_on"

    def __init__(self, closing_day: date):
        super().__init__(closing_day)
        self.closing_day = closing_day

    def __str__(self) -> str:  # the day as the reader's language writes it
        return str(self.message) % {"day": format_day(self.closing_day)}


class ImportRejected(BatchError):
    """The file has errors (`errors`, each with its line); nothing was written."""

    message = _l("The file has errors. Nothing was imported.")

    def __init__(self, errors: list[RowError], parsed: ParsedFile | None = None):
        super().__init__(errors)
        self.errors = errors
        self.parsed = parsed


class DuplicateFile(BatchError):
    """A file with the same content already went into this vote (`batch`)."""

    message = _l("This file was already imported into this vote (batch %(id)s); a file "
                 "counts once.")
    field = "file"

    def __init__(self, batch: PaperBatch | None = None):
        super().__init__(batch, id=batch.id if batch is not None else "?")
        self.batch = batch


class BatchClosed(BatchError):
    """The batch is not (or no longer) in the status that lets its cards change."""

    message = _l("This batch is no longer open; its cards cannot change.")


class AlreadyVoid(BatchError):
    message = _l("This batch is already void.")


class EmptyBatch(BatchError):
    """A batch without cards is not counted; void it instead."""

    message = _l("This batch has no cards yet. Enter cards, or void the batch.")


class ReasonRequired(BatchError):
    """Voiding needs a reason for the audit log."""

    message = _l("Please give a reason.")
    field = "reason"


class InvalidStation(BatchError):
    """The station is empty or longer than STATION_MAX_LENGTH."""

    message = _l("Please name the place (at most 120 characters).")
    field = "station"


class InvalidExpectedCards(BatchError):
    """The expected number of cards is not a whole number from 1 to MAX_EXPECTED_CARDS."""

    message = _l("Please enter a whole number from 1 to %(max)s.")
    field = "expected_cards"

    def __init__(self):
        super().__init__(max=MAX_EXPECTED_CARDS)


@dataclass(frozen=True)
class CardCount:
    """How many cards a batch holds against how many it should (None: not said)."""

    cards: int
    expected: int | None

    @property
    def difference(self) -> int:
        """Cards entered minus cards expected: negative when cards are missing."""
        return 0 if self.expected is None else self.cards - self.expected

    @property
    def matches(self) -> bool:
        return self.difference == 0

    def warning(self) -> str | None:
        """The difference in words, or None when the numbers agree (or none was said)."""
        if self.difference < 0:
            return ngettext("%(num)d card fewer than expected: %(cards)d entered, %(expected)d "
                            "expected.",
                            "%(num)d cards fewer than expected: %(cards)d entered, "
                            "%(expected)d expected.",
                            -self.difference, cards=self.cards, expected=self.expected)
        if self.difference > 0:
            return ngettext("%(num)d card more than expected: %(cards)d entered, %(expected)d "
                            "expected.",
                            "%(num)d cards more than expected: %(cards)d entered, "
                            "%(expected)d expected.",
                            self.difference, cards=self.cards, expected=self.expected)
        return None


class CardCountDiffers(BatchError):
    """A batch is closed with another number of cards than expected only once someone has
    seen the difference and confirmed that number (`count`)."""

    def __init__(self, count: CardCount):
        super().__init__(count)
        self.count = count

    def __str__(self) -> str:
        return self.count.warning() or ""


class StationDayTaken(BatchError):
    """The station's cards of that day are already entered the other way (or as a sheet)."""

    field = "station"

    def __init__(self, other: PaperBatch):
        super().__init__(other)
        self.other = other

    def __str__(self) -> str:
        day = format_day(self.other.collected_on)
        if self.other.is_tally:
            return _("%(station)s already has a tally sheet for %(day)s (batch %(id)s). A "
                     "station's cards of one day are entered either card by card or as one "
                     "tally sheet; void that sheet first to enter them again.",
                     station=self.other.station, day=day, id=self.other.id)
        return _("The cards of %(station)s from %(day)s are already entered card by card "
                 "(batch %(id)s). A station's cards of one day are entered either card by "
                 "card or as one tally sheet, not both.",
                 station=self.other.station, day=day, id=self.other.id)


def entered_serials(vote: Vote, *, except_ballot: Ballot | None = None) -> frozenset[str]:
    """Serials of the vote's non-voided paper ballots, casefolded (open batches included,
    since the unique index covers them too)."""
    # Through the vote's batches: a vote may hold a million online ballots.
    query = (
        select(Ballot.serial)
        .join(PaperBatch, PaperBatch.id == Ballot.batch_id)
        .where(PaperBatch.vote_id == vote.id, Ballot.voided.is_(False))
    )
    if except_ballot is not None:
        query = query.where(Ballot.id != except_ballot.id)
    return frozenset(serial.casefold() for serial in db.session.scalars(query))


def require_accepting(vote: Vote | None) -> Vote:
    """The vote, if it takes paper cards now; else the refusal that says why."""
    if vote is None:
        raise VoteNotAcceptingPaper
    require_not_final(vote)
    if not services.accepts_paper(vote):
        raise VoteNotAcceptingPaper
    return vote


def require_not_final(vote: Vote) -> None:
    """Refuse if the vote's result is final, as the database says now: reading it takes a
    share of the lock that declaring it final takes (PostgreSQL), so a change of cards
    either ends before the declaration or sees it (votes/results/final.py)."""
    final_at = db.session.scalar(
        select(Vote.final_at).where(Vote.id == vote.id).with_for_update(read=True))
    if final_at is not None:
        raise ResultIsFinal


def check_collected_on(vote: Vote, collected_on: date) -> None:
    last_day = services.closing_day(vote)
    if collected_on > last_day:
        raise CollectedAfterClose(last_day)


def clean_expected_cards(expected_cards: int | None) -> int | None:
    """The expected number of cards, if one was said; InvalidExpectedCards if not sensible."""
    if expected_cards is None:
        return None
    if (isinstance(expected_cards, bool) or not isinstance(expected_cards, int)
            or not 1 <= expected_cards <= MAX_EXPECTED_CARDS):
        raise InvalidExpectedCards
    return expected_cards


def clean_station(station: str) -> str:
    station = " ".join((station or "").split())
    if not station or len(station) > STATION_MAX_LENGTH:
        raise InvalidStation
    return station


def require_station_day_free(vote: Vote, station: str, collected_on: date, *,
                             tally: bool) -> None:
    """Refuse a new batch of `station` and day that would count its cards twice: a tally
    sheet beside any batch, a batch of cards beside a tally sheet. Station names compare
    ignoring case and repeated spaces. Locks the vote's row (PostgreSQL; SQLite writes one
    at a time), so two new batches of one vote never both pass this check."""
    db.session.execute(select(Vote.id).where(Vote.id == vote.id)
                       .with_for_update(key_share=True))
    key = " ".join(station.split()).casefold()
    others = db.session.scalars(select(PaperBatch).where(
        PaperBatch.vote_id == vote.id, PaperBatch.collected_on == collected_on,
        PaperBatch.status != BatchStatus.VOID,
    ))
    for other in others:
        if " ".join(other.station.split()).casefold() == key and (tally or other.is_tally):
            raise StationDayTaken(other)


def _id_map(vote: Vote) -> dict[str, tuple[int, dict[str, int]]]:
    """Question code -> (question id, option code -> option id), built once per import."""
    return {q.code: (q.id, {o.code: o.id for o in q.options}) for q in vote.questions}


def _answer_rows(ids: dict, ballot_id: str, card: PaperCard) -> list[dict]:
    """BallotAnswer rows of one card, codes resolved with `_id_map(vote)`."""
    rows = []
    for answer in card.answers:
        question_id, options = ids[answer.question]
        rows.append({"ballot_id": ballot_id, "question_id": question_id,
                     "option_id": options.get(answer.option), "kind": answer.kind})
    return rows


def find_duplicate(vote: Vote, sha256: str) -> PaperBatch | None:
    return db.session.scalar(
        select(PaperBatch).where(
            PaperBatch.vote_id == vote.id,
            PaperBatch.file_sha256 == sha256,
            PaperBatch.status != BatchStatus.VOID,
        )
    )


def import_batch(
    vote: Vote | None,
    data: bytes,
    *,
    station: str,
    collected_on: date,
    entered_by,
    file_name: str | None,
    expected_cards: int | None = None,
    dry_run: bool = False,
) -> tuple[PaperBatch | None, ParsedFile]:
    """Check a CSV file of paper cards and, unless `dry_run`, write it as one batch: counted,
    or awaiting its check entry ('checking') if the vote has double entry.

    All or nothing: any error raises ImportRejected with every error, and nothing is written.
    A file with another number of cards than `expected_cards` is not refused: the preview
    shows the difference (CardCount), and confirming it imports the file as it is.
    """
    vote = require_accepting(vote)
    station = clean_station(station)
    expected_cards = clean_expected_cards(expected_cards)
    check_collected_on(vote, collected_on)
    require_station_day_free(vote, station, collected_on, tally=False)
    # First, since the file's serials would all be "already counted" too.
    duplicate = find_duplicate(vote, hashlib.sha256(data).hexdigest())
    if duplicate is not None:
        raise DuplicateFile(duplicate)
    parsed = parse_ballot_file(data, question_specs(vote), counted_serials=entered_serials(vote))
    if not parsed.ok:
        raise ImportRejected(parsed.errors, parsed)
    if dry_run:
        return None, parsed

    batch = PaperBatch(
        vote_id=vote.id, station=station, collected_on=collected_on, source=BatchSource.CSV,
        file_name=(file_name or "")[:FILE_NAME_MAX_LENGTH] or None, file_sha256=parsed.sha256,
        status=closed_status(vote), entered_by_id=getattr(entered_by, "id", None),
        closed_at=utcnow(), expected_cards=expected_cards,
    )
    # A savepoint, so a clash with a concurrent import leaves the session usable and empty.
    savepoint = db.session.begin_nested()
    try:
        db.session.add(batch)
        db.session.flush()
    except IntegrityError as error:
        savepoint.rollback()
        raise DuplicateFile(find_duplicate(vote, parsed.sha256)) from error
    try:
        ids = _id_map(vote)
        for start in range(0, len(parsed.cards), CHUNK):
            _insert_cards(ids, vote, batch, parsed.cards[start:start + CHUNK])
    except IntegrityError as error:
        savepoint.rollback()
        # Another entry took one of the serials between the check and the insert.
        clash = _concurrent_serial_error(vote, parsed) or RowError(0, "serials_taken")
        raise ImportRejected([clash], parsed) from error
    savepoint.commit()
    if batch.status == BatchStatus.COUNTED:
        record_paper_tally(batch)
    audit.record(entered_by, "paper.import", batch, cards=len(parsed.cards), file=file_name,
                 sha256=parsed.sha256, station=station, status=batch.status,
                 expected_cards=expected_cards)
    return batch, parsed


def _insert_cards(ids: dict, vote: Vote, batch: PaperBatch, cards: list[PaperCard]) -> None:
    """Bulk inserts of the cards' ballots, then of their answers."""
    ballots, answers = [], []
    for card in cards:
        ballot_id = new_paper_ballot_id()
        ballots.append((ballot_id, vote.id, BallotChannel.PAPER, batch.id, card.serial, False))
        answers += [tuple(row[column] for column in ANSWER_COLUMNS)
                    for row in _answer_rows(ids, ballot_id, card)]
    _bulk_insert(Ballot.__table__, BALLOT_COLUMNS, ballots)
    _bulk_insert(BallotAnswer.__table__, ANSWER_COLUMNS, answers)


def _bulk_insert(table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Core executemany; on PostgreSQL with psycopg a COPY, since psycopg's executemany
    sends one statement per row (10,000 cards: about 2.5 s instead of under 0.5 s)."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql" or connection.dialect.driver != "psycopg":
        db.session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    try:
        with connection.connection.dbapi_connection.cursor() as cursor:
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
    except connection.dialect.dbapi.IntegrityError as error:
        raise IntegrityError(statement, None, error) from error


def _concurrent_serial_error(vote: Vote, parsed: ParsedFile) -> RowError | None:
    """The first card whose serial another entry took meanwhile, as that line's error."""
    # Not entered_serials(): exactly what the unique index compares.
    taken = set(db.session.scalars(select(Ballot.serial).where(
        Ballot.vote_id == vote.id, Ballot.serial.is_not(None), Ballot.voided.is_(False)
    )))
    for card in parsed.cards:
        if card.serial in taken:
            return RowError(card.line, "serial_counted", {"serial": card.serial})
    return None


# Manual entry ---------------------------------------------------------------------------


def closed_status(vote: Vote) -> str:
    """The status of a batch once entered: 'checking' if the vote has double entry."""
    return BatchStatus.CHECKING if vote.double_entry else BatchStatus.COUNTED


def open_batch(vote: Vote | None, station: str, collected_on: date, entered_by, *,
               expected_cards: int | None = None) -> PaperBatch:
    """Start a batch to type in card by card; it counts once closed. `expected_cards`, if
    the station counted its cards, is checked when the batch is closed."""
    vote = require_accepting(vote)
    check_collected_on(vote, collected_on)
    station = clean_station(station)
    expected_cards = clean_expected_cards(expected_cards)
    require_station_day_free(vote, station, collected_on, tally=False)
    batch = PaperBatch(
        vote_id=vote.id, station=station, collected_on=collected_on,
        source=BatchSource.MANUAL, status=BatchStatus.OPEN,
        entered_by_id=getattr(entered_by, "id", None), expected_cards=expected_cards,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def _editable(batch: PaperBatch, status: str) -> Vote:
    """The batch's vote, if cards of this batch may still change: the batch has `status`
    ('open', or 'checking' for corrections during double entry)."""
    if batch.status != status:
        raise BatchClosed
    # Usually already in the session's identity map, so no query.
    return require_accepting(db.session.get(Vote, batch.vote_id))


def _read_card(vote, serial, cells, except_ballot=None) -> PaperCard:
    return cards.read_card(vote, serial, cells,
                           taken=entered_serials(vote, except_ballot=except_ballot))


def _save_card(vote: Vote, ballot: Ballot, card: PaperCard) -> Ballot:
    """Write the card's serial and answers onto its ballot."""
    with cards.saving(card):
        ballot.serial = card.serial
        existing = {answer.question_id: answer for answer in ballot.answers}
        for row in _answer_rows(_id_map(vote), ballot.id, card):
            answer = existing.get(row["question_id"])
            if answer is None:
                ballot.answers.append(BallotAnswer(**row))
            else:
                answer.option_id, answer.kind = row["option_id"], row["kind"]
        db.session.add(ballot)
    return ballot


def add_card(
    batch: PaperBatch, serial: str, cells: Mapping[str, str | None], *,
    status: str = BatchStatus.OPEN,
) -> Ballot:
    """Add one typed card to an open batch (or one in `status`); `cells` maps question code
    to the typed text."""
    vote = _editable(batch, status)
    card = _read_card(vote, serial, cells)
    ballot = Ballot(id=new_paper_ballot_id(), vote_id=vote.id, channel=BallotChannel.PAPER,
                    batch_id=batch.id)
    return _save_card(vote, ballot, card)


def update_card(
    batch: PaperBatch, ballot: Ballot, serial: str, cells: Mapping[str, str | None],
    *, status: str = BatchStatus.OPEN,
) -> Ballot:
    """Correct a card of an open batch (or one in `status`)."""
    vote = _editable(batch, status)
    _own_card(batch, ballot)
    card = _read_card(vote, serial, cells, except_ballot=ballot)
    return _save_card(vote, ballot, card)


def delete_card(batch: PaperBatch, ballot: Ballot, *, status: str = BatchStatus.OPEN) -> None:
    """Remove a card from an open batch (or one in `status`)."""
    _editable(batch, status)
    _own_card(batch, ballot)
    db.session.execute(delete(BallotAnswer).where(BallotAnswer.ballot_id == ballot.id))
    # Gone already: answers loaded with the card must not be deleted a second time.
    db.session.expire(ballot, ["answers"])
    db.session.delete(ballot)
    db.session.flush()


def _own_card(batch: PaperBatch, ballot: Ballot) -> None:
    if ballot.batch_id != batch.id:
        raise ValueError("the card belongs to another batch")


def closing_count(batch: PaperBatch) -> CardCount:
    """What closing the batch now would count, against what it should hold; refuses like
    close_batch when the batch cannot be closed (not open, no cards, vote not accepting)."""
    _editable(batch, BatchStatus.OPEN)
    count = CardCount(batch_size(batch), batch.expected_cards)
    if not count.cards:
        raise EmptyBatch
    return count


def close_batch(batch: PaperBatch, actor, *, confirmed_cards: int | None = None) -> int:
    """Count a batch typed by hand (or, with double entry, hand it over to be checked);
    returns its number of cards.

    When the batch holds another number of cards than expected, it closes only if
    `confirmed_cards` is that very number (someone saw the difference and closes anyway);
    else CardCountDiffers says the difference."""
    count = closing_count(batch)
    vote = db.session.get(Vote, batch.vote_id)
    if not count.matches and confirmed_cards != count.cards:
        raise CardCountDiffers(count)
    batch.status = closed_status(vote)
    batch.closed_at = utcnow()
    db.session.flush()
    if batch.status == BatchStatus.COUNTED:
        record_paper_tally(batch)
    audit.record(actor, "paper.close", batch, cards=count.cards, station=batch.station,
                 status=batch.status, expected_cards=count.expected)
    return count.cards


def void_batch(batch: PaperBatch, actor, reason: str) -> None:
    """Take a batch out of the result for good, with a reason; its serials become free."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired
    if batch.status == BatchStatus.VOID:
        raise AlreadyVoid
    require_not_final(db.session.get(Vote, batch.vote_id))
    batch.status = BatchStatus.VOID
    batch.voided_at = utcnow()
    batch.voided_by_id = getattr(actor, "id", None)
    batch.void_reason = reason
    db.session.execute(
        update(Ballot).where(Ballot.batch_id == batch.id).values(voided=True)
    )
    db.session.flush()
    audit.record(actor, "paper.void", batch, reason=reason, station=batch.station)


# Reading --------------------------------------------------------------------------------


def batch_size(batch: PaperBatch) -> int:
    return db.session.scalar(select(func.count()).where(Ballot.batch_id == batch.id)) or 0


def serials_of(batch: PaperBatch) -> list[str]:
    """The card numbers of the batch, highest first (as cards_of orders them)."""
    return list(db.session.scalars(
        select(Ballot.serial).where(Ballot.batch_id == batch.id)
        .order_by(func.length(Ballot.serial).desc(), Ballot.serial.desc())
    ))


def serial_guide(batch: PaperBatch, after: str | None = None) -> cards.SerialGuide:
    """The proposal and pattern for the batch's next card; `after` the card just saved."""
    return cards.serial_guide(serials_of(batch), after)


def batch_summaries(vote: Vote) -> list[BatchResult]:
    """Every batch of the vote with its number of cards, in the order collected."""
    return batch_results(vote)


def get_batch(vote: Vote, batch_id: int) -> PaperBatch | None:
    batch = db.session.get(PaperBatch, batch_id)
    return batch if batch is not None and batch.vote_id == vote.id else None


def get_card(batch: PaperBatch, ballot_id: str) -> Ballot | None:
    ballot = db.session.get(Ballot, ballot_id, options=[selectinload(Ballot.answers)])
    return ballot if ballot is not None and ballot.batch_id == batch.id else None


def cards_of(batch: PaperBatch, limit: int | None = None) -> list[Ballot]:
    """The batch's cards with their answers, highest serial first (ballots hold no time)."""
    # One query whatever the size (selectinload would send one per 500 cards).
    query = (
        select(Ballot).where(Ballot.batch_id == batch.id)
        .options(joinedload(Ballot.answers))
        .order_by(func.length(Ballot.serial).desc(), Ballot.serial.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query).unique())
