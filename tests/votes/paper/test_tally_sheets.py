"""Tally sheets: totals of a box counted by hand, their sums, double entry, void, never
beside a batch of cards of the same station and day, and their own figure in the result
(services, no requests)."""

from datetime import date

import flask
import pytest
from sqlalchemy import select

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db
from mitwirkung.votes.models import BatchStatus, PaperTallySheet
from mitwirkung.votes.paper import batches, double_entry, tally_sheets
from mitwirkung.votes.paper.tally_sheets import SheetFigures
from mitwirkung.votes.results.tally import as_json, result_rows, tally
from mitwirkung.votes.setup import questions as vote_questions
from mitwirkung.votes.setup import services as setup
from tests import factories as user_factories

DAY = date(2023, 9, 2)


def figures(cards=10, entwurf=(5, 3, 1, 1, 0), name=(2, 2, 2, 2, 2, 0)) -> SheetFigures:
    """entwurf: A, B, C, blank, invalid; name: A, B, C, D, blank, invalid."""
    *e_options, e_blank, e_invalid = entwurf
    *n_options, n_blank, n_invalid = name
    return SheetFigures(cards, {
        "entwurf": {"options": dict(zip("ABC", e_options, strict=True)), "blank": e_blank,
                    "invalid": e_invalid},
        "name": {"options": dict(zip("ABCD", n_options, strict=True)), "blank": n_blank,
                 "invalid": n_invalid},
    })


def enter(vote, staff, sheet=None, station="Wochenmarkt", day=DAY):
    batch = tally_sheets.enter_sheet(vote, station=station, collected_on=day,
                                     figures=sheet or figures(), entered_by=staff)
    db.session.commit()
    return batch


def in_english(app, error) -> str:
    """A refusal's message as an English reader sees it (it formats a date)."""
    with app.test_request_context():
        flask.session["lang"] = "en"
        return str(error)


def option(results, question, code):
    q = next(q for q in results.questions if q.code == question)
    return next(o for o in q.options if o.code == code)


def test_a_sheet_counts_at_once_as_its_own_figure(vote, staff):
    batch = enter(vote, staff)
    assert batch.status == BatchStatus.COUNTED and batch.is_tally
    results = tally(vote)
    assert (results.tally_ballots, results.paper_ballots, results.total_ballots) == (10, 0, 10)
    a = option(results, "entwurf", "A")
    assert (a.count.tally, a.count.paper, a.count.total) == (5, 0, 5)
    entwurf = results.questions[0]
    assert (entwurf.blank.tally, entwurf.invalid.tally) == (1, 0)
    assert a.percent == pytest.approx(55.6)  # of the 9 valid answers


def test_json_and_csv_carry_the_tally_figure(vote, staff):
    enter(vote, staff)
    data = as_json(tally(vote))
    assert data["ballots"] == {"online": 0, "paper": 0, "tally": 10}
    a = data["questions"][0]["options"][0]
    assert (a["tally"], a["total"]) == (5, 5)
    rows = result_rows(tally(vote))
    assert rows[0][5] == "tally sheet"
    assert rows[1][:7] == ("entwurf", "A", "Offene Bühne", 0, 0, 5, 5)


def test_counts_that_do_not_add_up_say_by_how_much_and_nothing_is_written(vote, staff):
    sheet = figures(cards=10, entwurf=(5, 3, 1, 0, 0), name=(2, 2, 2, 2, 2, 1))
    with pytest.raises(tally_sheets.SheetRejected) as refused:
        tally_sheets.enter_sheet(vote, station="Wochenmarkt", collected_on=DAY,
                                 figures=sheet, entered_by=staff)
    errors = refused.value.errors
    assert "adds up to 9" in errors["entwurf"] and "1 missing" in errors["entwurf"]
    assert "adds up to 11" in errors["name"] and "1 too many" in errors["name"]
    db.session.rollback()
    assert tally(vote).questions and db.session.scalar(select(PaperTallySheet)) is None


@pytest.mark.parametrize("cards", [0, -1, tally_sheets.MAX_COUNT + 1])
def test_the_number_of_cards_is_checked(vote, staff, cards):
    with pytest.raises(tally_sheets.SheetRejected) as refused:
        tally_sheets.check_figures(vote, figures(cards=cards))
    assert set(refused.value.errors) == {"cards"}


def test_a_negative_count_is_refused(vote):
    with pytest.raises(tally_sheets.SheetRejected) as refused:
        tally_sheets.check_figures(vote, figures(entwurf=(6, 3, 1, 1, -1)))
    assert refused.value.errors["entwurf"] == "Counts are whole numbers from 0 up."


def test_never_beside_cards_of_the_same_station_and_day(app, vote, staff):
    batch = batches.open_batch(vote, "Wochenmarkt", DAY, staff)
    db.session.commit()
    with pytest.raises(batches.StationDayTaken) as refused:
        enter(vote, staff, station="  wochenMARKT ")
    message = in_english(app, refused.value)
    assert f"(batch {batch.id})" in message and "card by card" in message
    assert "from 2 Sep 2023 are" in message
    db.session.rollback()
    enter(vote, staff, day=date(2023, 9, 3))  # another day is another stack
    enter(vote, staff, station="Rathaus")


def test_no_cards_beside_a_sheet_of_the_same_station_and_day(app, vote, staff):
    sheet = enter(vote, staff)
    with pytest.raises(batches.StationDayTaken) as refused:
        batches.open_batch(vote, "Wochenmarkt", DAY, staff)
    assert "already has a tally sheet" in in_english(app, refused.value)
    with pytest.raises(batches.StationDayTaken):
        batches.import_batch(vote, b"serial,entwurf,name\nK-1,A,B\n", station="Wochenmarkt",
                             collected_on=DAY, entered_by=staff, file_name="k.csv")
    with pytest.raises(batches.StationDayTaken):
        enter(vote, staff)  # nor a second sheet
    db.session.rollback()
    batches.void_batch(sheet, staff, "falsch gezählt")
    db.session.commit()
    assert enter(vote, staff).status == BatchStatus.COUNTED  # once void, entered again


def test_a_void_sheet_no_longer_counts(vote, staff):
    batch = enter(vote, staff)
    batches.void_batch(batch, staff, "doppelt erfasst")
    db.session.commit()
    results = tally(vote)
    assert results.tally_ballots == 0 and option(results, "entwurf", "A").count.total == 0


def test_a_sheet_locks_the_questions(vote, staff):
    enter(vote, staff)
    with pytest.raises(setup.VoteLocked):
        vote_questions.update_question(vote.questions[0], staff, code="design",
                              title="Entwurf", help_text="")


def test_entered_after_the_closing_day_is_refused(vote, staff):
    from datetime import timedelta

    from mitwirkung.votes import services

    late = services.closing_day(vote) + timedelta(days=1)
    with pytest.raises(batches.CollectedAfterClose):
        enter(vote, staff, day=late)


def test_the_entry_is_audited_with_its_figures(vote, staff):
    batch = enter(vote, staff)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "paper.tally"))
    assert entry.actor_id == staff.id and entry.target_id == batch.id
    assert entry.details["cards"] == 10 and entry.details["counts"]["entwurf"]["options"]["A"] == 5


# Double entry ---------------------------------------------------------------------------


@pytest.mark.vote(double_entry=True)
def test_with_double_entry_it_counts_once_another_person_agrees(vote, staff, checker):
    batch = enter(vote, staff)
    assert batch.status == BatchStatus.CHECKING and tally(vote).tally_ballots == 0
    with pytest.raises(double_entry.SameStaffMember):
        tally_sheets.enter_check(batch, figures(), staff)
    db.session.rollback()
    state = tally_sheets.enter_check(batch, figures(), checker)
    db.session.commit()
    assert state.counts and batch.status == BatchStatus.COUNTED
    assert batch.checked_by_id == checker.id
    assert tally(vote).tally_ballots == 10


@pytest.mark.vote(double_entry=True)
def test_a_differing_check_entry_is_kept_and_listed(vote, staff, checker):
    batch = enter(vote, staff)
    other = figures(cards=11, entwurf=(6, 3, 1, 1, 0), name=(3, 2, 2, 2, 2, 0))
    state = tally_sheets.enter_check(batch, other, checker)
    db.session.commit()
    assert batch.status == BatchStatus.CHECKING and not state.counts
    assert [(d.choice, d.first, d.check) for d in state.differences] == [
        ("Number of cards", 10, 11), ("A Offene Bühne", 5, 6), ("A Theatergarten", 2, 3)]
    # The first entrant counts again and finds the check entry right.
    state = tally_sheets.correct_first(batch, other, staff)
    db.session.commit()
    assert state.counts and batch.status == BatchStatus.COUNTED
    assert tally(vote).tally_ballots == 11


@pytest.mark.vote(double_entry=True)
def test_one_person_cannot_make_both_entries_agree(vote, staff, checker):
    batch = enter(vote, staff)
    other = figures(cards=11, entwurf=(6, 3, 1, 1, 0), name=(3, 2, 2, 2, 2, 0))
    tally_sheets.enter_check(batch, other, checker)
    # The checker "corrects" the first entry to match their own.
    state = tally_sheets.correct_first(batch, other, checker)
    db.session.commit()
    assert state.one_person and not state.counts and batch.status == BatchStatus.CHECKING
    # A third person's check entry that agrees makes two people again.
    third = user_factories.user(role="staff")
    state = tally_sheets.enter_check(batch, other, third)
    db.session.commit()
    assert state.counts and batch.status == BatchStatus.COUNTED


@pytest.mark.vote(double_entry=True)
def test_a_card_batch_page_cannot_check_a_sheet(vote, staff, checker):
    batch = enter(vote, staff)
    with pytest.raises(double_entry.TallySheetChecked):
        double_entry.add_check_card(batch, "K-1", {"entwurf": "A", "name": "B"}, checker)
    with pytest.raises(double_entry.TallySheetChecked):
        double_entry.confirm(batch, checker)


def test_a_sheet_that_counted_takes_no_check_entry(vote, staff, checker):
    batch = enter(vote, staff)
    with pytest.raises(double_entry.NotChecking):
        tally_sheets.enter_check(batch, figures(), checker)


@pytest.mark.vote(double_entry=True)
def test_a_pending_sheet_keeps_the_result_from_being_final(vote, staff):
    from mitwirkung.votes.results import final

    enter(vote, staff)
    assert [item.batch.station for item in final.pending_batches(tally(vote))] == [
        "Wochenmarkt"]
