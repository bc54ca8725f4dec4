"""Paper-ballot batches: CSV import, manual entry, closing and voiding (services, no requests)."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mitwirkung.core.models import AuditEntry
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes.models import Ballot, BallotAnswer, PaperBatch
from mitwirkung.votes.paper import batches, cards
from mitwirkung.votes.results.tally import tally
from tests.projects import factories as project_factories

from ..factories import make_vote

DATA = Path(__file__).resolve().parents[2] / "data"
WOCHENMARKT = DATA / "ballots-wochenmarkt.csv"
RATHAUS = DATA / "ballots-rathaus-cp1252.csv"
BROKEN = DATA / "ballots-broken.csv"
DAY = date(2023, 9, 2)


def do_import(vote, path_or_bytes, staff, station="Wochenmarkt", **options):
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    name = path_or_bytes.name if isinstance(path_or_bytes, Path) else "cards.csv"
    return batches.import_batch(vote, data, station=station, collected_on=DAY,
                                entered_by=staff, file_name=name, **options)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def paper_counts(vote) -> dict[tuple[str, str], int]:
    """(question, option code / blank / invalid) -> paper count of the merged tally."""
    result = {}
    for question in tally(vote).questions:
        for option in question.options:
            result[question.code, option.code] = option.count.paper
        result[question.code, "blank"] = question.blank.paper
        result[question.code, "invalid"] = question.invalid.paper
    return result


def audit_actions(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# CSV import -----------------------------------------------------------------------------


def test_both_samples_import_and_the_merged_tally_shows_them(vote, staff):
    market, market_parsed = do_import(vote, WOCHENMARKT, staff)
    town_hall, town_hall_parsed = do_import(vote, RATHAUS, staff, station="Rathaus")
    db.session.commit()

    assert (market.status, market.source) == ("counted", "csv")
    assert batches.batch_size(market) == 120
    assert batches.batch_size(town_hall) == 118
    results = tally(vote)
    assert results.paper_ballots == 238
    assert [b.ballots for b in results.batches] == [120, 118]
    expected = {}
    for parsed in (market_parsed, town_hall_parsed):
        for question, bucket in parsed.counts().items():
            for key, n in bucket.items():
                expected[question, key] = expected.get((question, key), 0) + n
    assert paper_counts(vote) == expected
    [entry, _second] = audit_actions("paper.import")
    assert entry.actor_id == staff.id
    assert entry.details["cards"] == 120
    assert entry.details["sha256"] == market.file_sha256
    assert entry.details["file"] == "ballots-wochenmarkt.csv"


def test_paper_ballot_ids_follow_every_online_id_in_the_order_entered(vote, staff):
    """An import appends to the end of SQLite's ballots, ordered by id (see
    new_paper_ballot_id); online ids stay random hex."""
    from mitwirkung.votes.models import new_ballot_id

    market, _parsed = do_import(vote, WOCHENMARKT, staff)
    db.session.commit()
    rows = db.session.execute(select(Ballot.id, Ballot.serial).where(
        Ballot.batch_id == market.id)).all()
    in_id_order = [serial for _id, serial in sorted(rows)]
    assert in_id_order == [f"W-{n:04d}" for n in range(1, 121)]  # the file's order
    assert all(len(ballot_id) == 32 for ballot_id, _serial in rows)
    assert max(new_ballot_id() for _ in range(1000)) < min(ballot_id for ballot_id, _ in rows)


def test_broken_sample_is_refused_with_both_errors_and_nothing_written(vote, staff):
    with pytest.raises(batches.ImportRejected) as refused:
        do_import(vote, BROKEN, staff)
    assert [(e.line, e.code) for e in refused.value.errors] == [
        (5, "unknown_option"), (9, "duplicate_serial")
    ]
    assert count(PaperBatch) == count(Ballot) == count(BallotAnswer) == 0
    assert audit_actions("paper.import") == []


def test_dry_run_checks_everything_and_writes_nothing(vote, staff):
    batch, parsed = do_import(vote, WOCHENMARKT, staff, dry_run=True)
    assert batch is None
    assert len(parsed.cards) == 120
    assert count(PaperBatch) == count(Ballot) == 0


def test_the_same_file_twice_is_refused(vote, staff):
    first, _parsed = do_import(vote, WOCHENMARKT, staff)
    db.session.commit()
    with pytest.raises(batches.DuplicateFile) as refused:
        do_import(vote, WOCHENMARKT, staff, station="Elsewhere")
    assert refused.value.batch == first
    with pytest.raises(batches.DuplicateFile):
        do_import(vote, WOCHENMARKT, staff, dry_run=True)
    assert count(PaperBatch) == 1


def test_a_serial_already_counted_is_refused_whatever_its_case(vote, staff):
    do_import(vote, WOCHENMARKT, staff)
    db.session.commit()
    data = b"serial,entwurf,name\nN-1,A,B\nw-0007,B,\n"
    with pytest.raises(batches.ImportRejected) as refused:
        do_import(vote, data, staff)
    assert [(e.line, e.code) for e in refused.value.errors] == [(3, "serial_counted")]
    assert count(PaperBatch) == 1


@pytest.mark.parametrize("kind", ["draft", "upcoming"])
def test_import_into_a_vote_that_has_not_opened_is_refused(app, staff, kind):
    now = utcnow()
    windows = {
        "draft": {"status": "draft"},
        "upcoming": {"opens_at": now + timedelta(days=1)},
    }
    vote = make_vote(project_factories.project(), **windows[kind])
    with pytest.raises(batches.VoteNotAcceptingPaper):
        do_import(vote, WOCHENMARKT, staff)
    with pytest.raises(batches.VoteNotAcceptingPaper):
        batches.open_batch(vote, "Stand", DAY, staff)
    assert count(PaperBatch) == 0


def test_import_into_an_unknown_vote_is_refused(app, staff):
    with pytest.raises(batches.VoteNotAcceptingPaper):
        do_import(None, WOCHENMARKT, staff)


def test_a_serial_taken_by_a_concurrent_entry_is_refused_and_nothing_is_half_written(
    vote, staff, monkeypatch
):
    do_import(vote, WOCHENMARKT, staff)
    db.session.commit()
    # The check before the insert misses it, as if another import had just committed.
    monkeypatch.setattr(batches, "entered_serials", lambda *a, **k: frozenset())
    data = b"serial,entwurf,name\nN-1,A,B\nW-0100,B,\n"
    with pytest.raises(batches.ImportRejected) as refused:
        do_import(vote, data, staff)
    assert [(e.line, e.code) for e in refused.value.errors] == [(3, "serial_counted")]
    monkeypatch.undo()
    assert count(PaperBatch) == 1
    assert count(Ballot) == 120
    # The session is still usable afterwards.
    do_import(vote, RATHAUS, staff)
    db.session.commit()
    assert tally(vote).paper_ballots == 238


def test_ten_thousand_rows_import(vote, staff):
    lines = ["serial;entwurf;name"]
    lines += [f"G-{n:05d};{'ABC'[n % 3]};{'ABCD'[n % 4] if n % 7 else ''}" for n in range(10_000)]
    batch, parsed = do_import(vote, ("\r\n".join(lines) + "\r\n").encode(), staff)
    db.session.commit()
    assert len(parsed.cards) == 10_000
    assert batches.batch_size(batch) == 10_000
    assert count(BallotAnswer) == 20_000
    assert tally(vote).paper_ballots == 10_000


# Voiding --------------------------------------------------------------------------------


def test_void_frees_serials_stops_counting_and_is_audited(vote, staff, admin):
    batch, _parsed = do_import(vote, WOCHENMARKT, staff)
    db.session.commit()
    batches.void_batch(batch, admin, "  Falscher Stapel, Station vertauscht ")
    db.session.commit()

    assert batch.status == "void"
    assert batch.voided_by_id == admin.id and batch.voided_at is not None
    assert batch.void_reason == "Falscher Stapel, Station vertauscht"
    assert not db.session.scalar(select(func.count()).where(Ballot.voided.is_(False)))
    results = tally(vote)
    assert results.paper_ballots == 0
    assert all(n == 0 for n in paper_counts(vote).values())
    assert [b.batch.status for b in results.batches] == ["void"]  # still listed
    [entry] = audit_actions("paper.void")
    assert (entry.actor_id, entry.target_id) == (admin.id, batch.id)
    assert entry.details["reason"] == "Falscher Stapel, Station vertauscht"

    # The same file can come in again, e.g. with the right station; then it counts once more.
    again, _parsed = do_import(vote, WOCHENMARKT, staff)
    db.session.commit()
    assert again.status == "counted" and tally(vote).paper_ballots == 120
    with pytest.raises(batches.DuplicateFile):
        do_import(vote, WOCHENMARKT, staff)


def test_void_needs_a_reason_and_happens_once(vote, staff):
    batch, _parsed = do_import(vote, WOCHENMARKT, staff)
    with pytest.raises(batches.ReasonRequired):
        batches.void_batch(batch, staff, "   ")
    assert batch.status == "counted"
    batches.void_batch(batch, staff, "doppelt")
    with pytest.raises(batches.AlreadyVoid):
        batches.void_batch(batch, staff, "nochmal")


# Manual entry ---------------------------------------------------------------------------


@pytest.fixture
def open_batch(vote, staff):
    batch = batches.open_batch(vote, "  Infostand   Stiftsplatz ", DAY, staff)
    db.session.commit()
    return batch


def answers_of(vote, ballot) -> dict:
    db.session.refresh(ballot)
    return cards.ballot_answers(vote, ballot)


def typed(vote, ballot):
    return cards.typed_cells(vote, answers_of(vote, ballot))


def test_manual_cards_use_the_csv_matching_rules_and_shortcuts(vote, open_batch):
    assert (open_batch.station, open_batch.source, open_batch.status) == (
        "Infostand Stiftsplatz", "manual", "open")
    cases = [
        ({"entwurf": " b ", "name": "theatergarten"}, ("option", "B"), ("option", "A")),
        ({"entwurf": "GRÜNES  band", "name": "-"}, ("option", "C"), ("blank", None)),
        ({"entwurf": "x", "name": "Ungültig"}, ("invalid", None), ("invalid", None)),
        ({"entwurf": "", "name": "invalid"}, ("blank", None), ("invalid", None)),
        ({}, ("blank", None), ("blank", None)),
    ]
    for n, (cells, entwurf, name) in enumerate(cases, start=1):
        ballot = batches.add_card(open_batch, f" K-{n} ", cells)
        assert ballot.serial == f"K-{n}"
        assert answers_of(vote, ballot) == {"entwurf": entwurf, "name": name}
    assert batches.batch_size(open_batch) == 5


def test_manual_card_errors_name_the_field(vote, open_batch):
    batches.add_card(open_batch, "K-1", {"entwurf": "A"})
    with pytest.raises(cards.CardRejected) as refused:
        batches.add_card(open_batch, "k-1", {"entwurf": "D", "name": "Lauterplatz"})
    errors = refused.value.errors
    assert set(errors) == {"serial", "entwurf"}
    assert errors["serial"].code == "card_serial_counted"
    assert errors["entwurf"].message == (
        "“D” is not an answer to “Welcher Entwurf soll umgesetzt werden?”. Valid answers: "
        "A = Offene Bühne, B = Verschlungene Wege, C = Grünes Band; empty = blank; "
        "X or “invalid” = invalid.")
    with pytest.raises(cards.CardRejected) as refused:
        batches.add_card(open_batch, "  ", {"name": "E"})
    assert {k: e.code for k, e in refused.value.errors.items()} == {
        "serial": "card_missing_serial", "name": "card_unknown_answer"}
    assert batches.batch_size(open_batch) == 1


def test_manual_cards_can_be_corrected_and_deleted_while_open(vote, open_batch):
    first = batches.add_card(open_batch, "K-1", {"entwurf": "A", "name": "B"})
    second = batches.add_card(open_batch, "K-2", {"entwurf": "B"})
    db.session.commit()

    batches.update_card(open_batch, first, "K-1", {"entwurf": "C", "name": ""})
    db.session.commit()
    assert answers_of(vote, first) == {"entwurf": ("option", "C"), "name": ("blank", None)}
    assert typed(vote, first) == {"entwurf": "C", "name": ""}
    with pytest.raises(cards.CardRejected):  # K-2 is taken by the other card
        batches.update_card(open_batch, first, "K-2", {"entwurf": "A"})
    batches.update_card(open_batch, first, "K-3", {"entwurf": "A", "name": "x"})
    db.session.commit()
    assert first.serial == "K-3"
    assert typed(vote, first) == {"entwurf": "A", "name": "x"}

    batches.delete_card(open_batch, second)
    db.session.commit()
    assert [card.serial for card in batches.cards_of(open_batch)] == ["K-3"]
    assert count(BallotAnswer) == 2


def test_a_manual_batch_counts_only_once_closed_and_then_refuses_changes(vote, open_batch, staff):
    ballot = batches.add_card(open_batch, "K-1", {"entwurf": "A", "name": "B"})
    batches.add_card(open_batch, "K-2", {"entwurf": "B"})
    db.session.commit()
    assert tally(vote).paper_ballots == 0

    assert batches.close_batch(open_batch, staff) == 2
    db.session.commit()
    assert open_batch.status == "counted" and open_batch.closed_at is not None
    results = tally(vote)
    assert results.paper_ballots == 2
    assert paper_counts(vote)["entwurf", "A"] == 1
    [entry] = audit_actions("paper.close")
    assert entry.details["cards"] == 2

    with pytest.raises(batches.BatchClosed):
        batches.add_card(open_batch, "K-3", {"entwurf": "A"})
    with pytest.raises(batches.BatchClosed):
        batches.update_card(open_batch, ballot, "K-1", {"entwurf": "C"})
    with pytest.raises(batches.BatchClosed):
        batches.delete_card(open_batch, ballot)
    with pytest.raises(batches.BatchClosed):
        batches.close_batch(open_batch, staff)
    assert batches.batch_size(open_batch) == 2


def test_an_empty_batch_cannot_be_closed(open_batch, staff):
    with pytest.raises(batches.EmptyBatch):
        batches.close_batch(open_batch, staff)
    assert open_batch.status == "open"


def test_serials_of_an_open_batch_block_an_import(vote, open_batch, staff):
    batches.add_card(open_batch, "W-0005", {"entwurf": "A"})
    db.session.commit()
    with pytest.raises(batches.ImportRejected) as refused:
        do_import(vote, WOCHENMARKT, staff)
    assert [(e.line, e.code) for e in refused.value.errors] == [(6, "serial_counted")]


# The number of cards a batch should hold ---------------------------------------------------


def test_a_batch_closes_with_another_number_of_cards_than_expected_only_when_confirmed(
    vote, staff
):
    batch = batches.open_batch(vote, "Markt", DAY, staff, expected_cards=3)
    for serial in ("K-1", "K-2"):
        batches.add_card(batch, serial, {"entwurf": "A"})
    count = batches.closing_count(batch)
    assert (count.cards, count.expected, count.difference, count.matches) == (2, 3, -1, False)
    assert count.warning() == "1 card fewer than expected: 2 entered, 3 expected."
    for confirmed in (None, 3, 1):
        with pytest.raises(batches.CardCountDiffers) as refused:
            batches.close_batch(batch, staff, confirmed_cards=confirmed)
        assert str(refused.value) == count.warning()
    assert batch.status == "open" and not audit_actions("paper.close")

    batches.add_card(batch, "K-3", {"entwurf": "B"})
    batches.add_card(batch, "K-4", {"entwurf": "B"})
    more = batches.closing_count(batch)
    assert more.warning() == "1 card more than expected: 4 entered, 3 expected."
    with pytest.raises(batches.CardCountDiffers):
        batches.close_batch(batch, staff, confirmed_cards=2)  # what was seen before
    assert batches.close_batch(batch, staff, confirmed_cards=4) == 4
    assert batch.status == "counted"
    [entry] = audit_actions("paper.close")
    assert (entry.details["cards"], entry.details["expected_cards"]) == (4, 3)


def test_a_batch_with_the_expected_number_or_none_stated_closes_at_once(vote, staff):
    exact = batches.open_batch(vote, "Markt", DAY, staff, expected_cards=2)
    unsaid = batches.open_batch(vote, "Rathaus", DAY, staff)
    for batch, prefix in ((exact, "E"), (unsaid, "U")):
        batches.add_card(batch, f"{prefix}-1", {"entwurf": "A"})
        batches.add_card(batch, f"{prefix}-2", {})
    assert batches.closing_count(exact).warning() is None
    assert batches.closing_count(unsaid).warning() is None
    assert batches.close_batch(exact, staff) == batches.close_batch(unsaid, staff) == 2


@pytest.mark.parametrize("expected", [0, -5, 100_001, True, 2.5, "12"])
def test_a_nonsensical_expected_number_is_refused(vote, staff, expected):
    with pytest.raises(batches.InvalidExpectedCards) as refused:
        batches.open_batch(vote, "Markt", DAY, staff, expected_cards=expected)
    assert refused.value.field == "expected_cards"
    assert str(refused.value) == "Please enter a whole number from 1 to 100000."
    with pytest.raises(batches.InvalidExpectedCards):
        do_import(vote, WOCHENMARKT, staff, expected_cards=expected)
    assert count(PaperBatch) == 0


def test_an_import_keeps_its_expected_number_and_is_not_refused_for_a_difference(vote, staff):
    batch, parsed = do_import(vote, WOCHENMARKT, staff, expected_cards=125)
    assert batch.expected_cards == 125 and len(parsed.cards) == 120
    assert batch.status == "counted"
    [entry] = audit_actions("paper.import")
    assert entry.details["expected_cards"] == 125


def test_the_next_number_is_proposed_from_the_card_just_saved(vote, open_batch):
    assert batches.serial_guide(open_batch).proposal is None  # the first card
    for serial in ("V-0009", "V-0010", "V-0011"):
        batches.add_card(open_batch, serial, {})
    assert batches.serial_guide(open_batch, "v-0011").proposal == "V-0012"
    # After a card entered out of order the number after it, unless that is taken.
    assert batches.serial_guide(open_batch, "V-0009").proposal == "V-0012"
    assert batches.serial_guide(open_batch, None).proposal == "V-0012"
    assert batches.serial_guide(open_batch, "V-9999").proposal == "V-0012"  # not in the batch
    guide = batches.serial_guide(open_batch)
    assert (guide.shape.prefix, guide.shape.digits, guide.example) == ("v-", 4, "V-0011")
