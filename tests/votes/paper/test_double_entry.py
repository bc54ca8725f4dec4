"""Double entry of paper batches: check entry, comparison card by card, corrections and
confirmation (services, no requests)."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mitwirkung.core.models import AuditEntry
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes.models import Ballot, PaperCheckCard
from mitwirkung.votes.paper import batches, cards, double_entry
from mitwirkung.votes.paper.double_entry import DifferenceKind
from mitwirkung.votes.results.tally import tally
from mitwirkung.votes.setup import services as setup
from tests import factories as user_factories
from tests.projects import factories as project_factories

from ..factories import make_vote

WOCHENMARKT = (Path(__file__).resolve().parents[2] / "data" / "ballots-wochenmarkt.csv")
DAY = date(2023, 9, 2)
CARDS = b"serial,entwurf,name\nK-1,A,B\nK-2,B,\nK-3,invalid,D\n"

pytestmark = pytest.mark.vote(double_entry=True)


def import_cards(vote, staff, data=CARDS, name="cards.csv"):
    batch, _parsed = batches.import_batch(vote, data, station="Wochenmarkt", collected_on=DAY,
                                          entered_by=staff, file_name=name)
    db.session.commit()
    return batch


def typed_batch(vote, staff, cards=(("K-1", "A", "B"), ("K-2", "B", ""), ("K-3", "x", "D"))):
    batch = batches.open_batch(vote, "Infostand", DAY, staff)
    for serial, design, name in cards:
        batches.add_card(batch, serial, {"entwurf": design, "name": name})
    batches.close_batch(batch, staff)
    db.session.commit()
    return batch


def check(batch, checker, cards=(("K-1", "A", "B"), ("K-2", "B", ""), ("K-3", "x", "D"))):
    for serial, design, name in cards:
        double_entry.add_check_card(batch, serial, {"entwurf": design, "name": name}, checker)
    db.session.commit()


def audit_actions(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def ballot(batch, serial):
    return db.session.scalar(select(Ballot).where(Ballot.batch_id == batch.id,
                                                  Ballot.serial == serial))


def check_card(batch, serial):
    return db.session.scalar(select(PaperCheckCard).where(PaperCheckCard.batch_id == batch.id,
                                                          PaperCheckCard.serial == serial))


# Off by default ---------------------------------------------------------------------------


def test_double_entry_is_off_by_default_and_batches_count_at_once(app, staff):
    vote = make_vote(project_factories.project())
    assert vote.double_entry is False
    imported = import_cards(vote, staff)
    typed = typed_batch(vote, staff, cards=(("T-1", "A", ""),))
    assert (imported.status, typed.status) == ("counted", "counted")
    assert tally(vote).paper_ballots == 4
    with pytest.raises(double_entry.NotChecking):
        double_entry.add_check_card(imported, "K-1", {"entwurf": "A"}, user_factories.user(
            role="staff"))


# Waiting for the check ----------------------------------------------------------------------


def test_an_import_waits_for_its_check_and_does_not_count(vote, staff):
    batch = import_cards(vote, staff)
    assert batch.status == "checking"
    assert batches.batch_size(batch) == 3
    results = tally(vote)
    assert results.paper_ballots == 0
    assert all(o.count.paper == 0 for q in results.questions for o in q.options)
    assert [b.batch.status for b in results.batches] == ["checking"]
    [entry] = audit_actions("paper.import")
    assert entry.details["status"] == "checking"


def test_a_typed_batch_waits_for_its_check_once_closed(vote, staff):
    batch = typed_batch(vote, staff)
    assert batch.status == "checking"
    assert tally(vote).paper_ballots == 0
    [entry] = audit_actions("paper.close")
    assert entry.details["status"] == "checking"
    with pytest.raises(batches.BatchClosed):  # the ordinary entry is over
        batches.add_card(batch, "K-9", {"entwurf": "A"})


def test_the_serials_of_a_batch_waiting_for_its_check_are_taken(vote, staff):
    import_cards(vote, staff)
    with pytest.raises(batches.ImportRejected) as refused:
        import_cards(vote, staff, b"serial,entwurf,name\nk-2,A,A\n", name="other.csv")
    assert [e.code for e in refused.value.errors] == ["serial_counted"]


def test_whoever_entered_the_batch_cannot_check_or_confirm_it(vote, staff):
    batch = import_cards(vote, staff)
    with pytest.raises(double_entry.SameStaffMember):
        double_entry.add_check_card(batch, "K-1", {"entwurf": "A", "name": "B"}, staff)
    with pytest.raises(double_entry.SameStaffMember):
        double_entry.import_check_file(batch, CARDS.replace(b",", b";"), staff, file_name="c")
    with pytest.raises(double_entry.SameStaffMember):
        double_entry.confirm(batch, staff)
    assert not double_entry.may_check(batch, staff)
    assert double_entry.check_size(batch) == 0


# Agreeing entries -----------------------------------------------------------------------------


def test_a_check_entry_that_agrees_lets_another_person_confirm_and_the_batch_counts(
    vote, staff, checker
):
    batch = import_cards(vote, staff)
    check(batch, checker, cards=(("k-3", "X", "Lauterplatz"), ("K-1", "a", "b"),
                                 ("K-2", "Verschlungene Wege", "-")))
    comparison = double_entry.compare(batch)
    assert (comparison.first_cards, comparison.check_cards) == (3, 3)
    assert comparison.differences == [] and comparison.agree

    assert double_entry.confirm(batch, checker) == 3
    db.session.commit()
    assert batch.status == "counted"
    assert batch.checked_by_id == checker.id and batch.checked_at is not None
    results = tally(vote)
    assert results.paper_ballots == 3
    design = {o.code: o.count.paper for o in results.questions[0].options}
    assert design == {"A": 1, "B": 1, "C": 0} and results.questions[0].invalid.paper == 1
    [entry] = audit_actions("paper.confirm")
    assert entry.actor_id == checker.id
    assert entry.details["first_entry_by"] == staff.id
    assert entry.details["check_entry_by"] == [checker.id]
    assert entry.details["cards"] == 3
    with pytest.raises(double_entry.NotChecking):
        double_entry.confirm(batch, checker)


def test_a_check_file_is_compared_like_typed_cards(vote, staff, checker):
    batch = typed_batch(vote, staff)
    # The same cards typed again into a spreadsheet: other order, separator and spelling.
    data = "serial;entwurf;name\nK-3;ungültig;Lauterplatz\nK-2;b;\nK-1;Offene Bühne;B\n"
    parsed = double_entry.import_check_file(batch, data.encode(), checker, file_name="c.csv")
    db.session.commit()
    assert len(parsed.cards) == 3
    assert double_entry.compare(batch).agree
    [entry] = audit_actions("paper.check_import")
    assert entry.actor_id == checker.id and entry.details["cards"] == 3
    double_entry.confirm(batch, checker)
    assert tally(vote).paper_ballots == 3


def test_a_check_file_is_refused_if_it_is_the_first_entrys_file(vote, staff, checker):
    batch = import_cards(vote, staff)
    with pytest.raises(double_entry.SameFile):
        double_entry.import_check_file(batch, CARDS, checker, file_name="cards.csv")
    assert double_entry.check_size(batch) == 0


def test_a_check_file_with_errors_writes_nothing(vote, staff, checker):
    batch = import_cards(vote, staff)
    data = b"serial;entwurf;name\nK-1;A;B\nK-1;B;\nK-3;Z;D\n"
    with pytest.raises(batches.ImportRejected) as refused:
        double_entry.import_check_file(batch, data, checker, file_name="c.csv")
    assert [(e.line, e.code) for e in refused.value.errors] == [
        (3, "duplicate_serial"), (4, "unknown_option")]
    assert double_entry.check_size(batch) == 0


def test_a_check_file_goes_only_into_an_empty_check_entry_and_can_be_discarded(
    vote, staff, checker
):
    batch = import_cards(vote, staff)
    check(batch, checker, cards=(("K-1", "A", "B"),))
    data = CARDS.replace(b",", b";")
    with pytest.raises(double_entry.CheckNotEmpty):
        double_entry.import_check_file(batch, data, checker, file_name="c.csv")
    assert double_entry.discard_check(batch, checker) == 1
    double_entry.import_check_file(batch, data, checker, file_name="c.csv")
    assert double_entry.check_size(batch) == 3
    assert [e.details["cards"] for e in audit_actions("paper.check_discard")] == [1]


def test_a_check_card_serial_is_entered_once_whatever_its_case(vote, staff, checker):
    batch = import_cards(vote, staff)
    check(batch, checker, cards=(("K-1", "A", "B"),))
    with pytest.raises(cards.CardRejected) as refused:
        double_entry.add_check_card(batch, "k-1", {"entwurf": "B"}, checker)
    assert refused.value.errors["serial"].message == (
        "Card number “k-1” is already in this check entry.")
    with pytest.raises(cards.CardRejected) as refused:
        double_entry.add_check_card(batch, "K-5", {"entwurf": "Q"}, checker)
    assert refused.value.errors["entwurf"].code == "card_unknown_answer"
    assert "“Q” is not an answer to “Welcher Entwurf soll umgesetzt werden?”" in (
        refused.value.errors["entwurf"].message)


# Differences ----------------------------------------------------------------------------------


def test_differences_are_listed_card_by_card_and_resolved_by_corrections(vote, staff, checker):
    batch = import_cards(vote, staff)
    # K-1 agrees, K-2 has another design, K-3 is missing, K-4 is extra.
    check(batch, checker, cards=(("K-1", "A", "B"), ("K-2", "C", ""), ("K-4", "A", "A")))
    differences = double_entry.compare(batch).differences
    assert [(d.serial, d.kind) for d in differences] == [
        ("K-2", DifferenceKind.DIFFERENT), ("K-3", DifferenceKind.MISSING_IN_CHECK),
        ("K-4", DifferenceKind.MISSING_IN_FIRST)]
    k2, k3, k4 = differences
    assert k2.answers == (("entwurf", ("option", "B"), ("option", "C")),
                          ("name", ("blank", None), ("blank", None)))
    assert k3.answers == (("entwurf", ("invalid", None), None),
                          ("name", ("option", "D"), None))
    assert k3.ballot_id == ballot(batch, "K-3").id and k3.check_card_id is None
    assert k4.ballot_id is None and k4.check_card_id == check_card(batch, "K-4").id

    with pytest.raises(double_entry.EntriesDiffer) as refused:
        double_entry.confirm(batch, checker)
    assert len(refused.value.differences) == 3
    assert batch.status == "checking"

    # The paper says C: the first entry was wrong, and its author corrects it.
    double_entry.correct_first_card(batch, ballot(batch, "K-2"), "K-2", {"entwurf": "C"},
                                    staff)
    # K-3 was skipped in the check; K-4 is a card of another station.
    double_entry.add_check_card(batch, "K-3", {"entwurf": "x", "name": "D"}, checker)
    double_entry.delete_check_card(batch, check_card(batch, "K-4"), checker)
    db.session.commit()
    assert double_entry.compare(batch).agree

    double_entry.confirm(batch, checker)
    results = tally(vote)
    assert results.paper_ballots == 3
    assert {o.code: o.count.paper for o in results.questions[0].options} == {
        "A": 1, "B": 0, "C": 1}
    [correction] = audit_actions("paper.correct")
    assert correction.actor_id == staff.id
    assert correction.details == {"change": "update", "serial": "K-2", "new_serial": "K-2",
                                  "before": {"entwurf": "B", "name": "blank"},
                                  "after": {"entwurf": "C", "name": "blank"}}


def test_a_card_missing_in_the_first_entry_can_be_added_to_it(vote, staff, checker):
    batch = typed_batch(vote, staff, cards=(("K-1", "A", "B"),))
    check(batch, checker, cards=(("K-1", "A", "B"), ("K-2", "B", "")))
    # The first enterer may correct the first entry, e.g. after looking at the paper.
    double_entry.add_first_card(batch, "K-2", {"entwurf": "B"}, staff)
    first = double_entry.compare(batch)
    assert first.agree and first.first_cards == 2
    with pytest.raises(double_entry.SameStaffMember):
        double_entry.confirm(batch, staff)
    double_entry.confirm(batch, checker)
    assert tally(vote).paper_ballots == 2
    assert [e.details["change"] for e in audit_actions("paper.correct")] == ["add"]


def test_a_card_wrongly_in_the_first_entry_can_be_deleted_from_it(vote, staff, checker):
    batch = import_cards(vote, staff)
    check(batch, checker, cards=(("K-1", "A", "B"), ("K-2", "B", "")))
    double_entry.delete_first_card(batch, ballot(batch, "K-3"), checker)
    assert double_entry.compare(batch).agree
    assert [e.details for e in audit_actions("paper.correct")] == [
        {"change": "delete", "serial": "K-3"}]


def test_a_correction_of_the_first_entry_cannot_take_a_counted_serial(vote, staff, checker):
    batch = import_cards(vote, staff)
    other = import_cards(vote, staff, b"serial,entwurf,name\nZ-1,A,A\n", name="z.csv")
    with pytest.raises(cards.CardRejected) as refused:
        double_entry.add_first_card(batch, "z-1", {"entwurf": "A"}, checker)
    assert refused.value.errors["serial"].code == "card_serial_counted"
    assert batches.batch_size(other) == 1 and batches.batch_size(batch) == 3


def test_without_a_check_entry_nothing_can_be_confirmed(vote, staff, checker):
    batch = import_cards(vote, staff)
    comparison = double_entry.compare(batch)
    assert [d.kind for d in comparison.differences] == [DifferenceKind.MISSING_IN_CHECK] * 3
    assert not comparison.agree
    with pytest.raises(double_entry.EmptyCheck):
        double_entry.confirm(batch, checker)
    for serial in ("K-1", "K-2", "K-3"):
        double_entry.delete_first_card(batch, ballot(batch, serial), checker)
    with pytest.raises(batches.EmptyBatch):
        double_entry.confirm(batch, checker)


# Void, closed votes, setting ------------------------------------------------------------------


def test_a_batch_waiting_for_its_check_can_be_voided_and_its_serials_are_free(
    vote, staff, checker
):
    batch = import_cards(vote, staff)
    check(batch, checker)
    batches.void_batch(batch, checker, "Falscher Stapel")
    db.session.commit()
    assert batch.status == "void" and tally(vote).paper_ballots == 0
    with pytest.raises(double_entry.NotChecking):
        double_entry.confirm(batch, checker)
    with pytest.raises(double_entry.NotChecking):
        double_entry.add_check_card(batch, "K-9", {}, checker)
    again = import_cards(vote, staff, CARDS, name="again.csv")
    assert again.status == "checking"


def test_checking_goes_on_after_the_close_and_stops_once_the_result_is_final(
    vote, staff, checker
):
    batch = import_cards(vote, staff)
    vote.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    check(batch, checker)  # the close does not stop the count
    assert double_entry.compare(batch).agree
    vote.final_at = utcnow()  # as votes/results/final.py would, were nothing pending
    db.session.commit()
    with pytest.raises(batches.ResultIsFinal):
        double_entry.confirm(batch, checker)
    with pytest.raises(batches.ResultIsFinal):
        double_entry.add_check_card(batch, "K-9", {}, checker)
    assert double_entry.compare(batch).agree  # reading still works


def test_double_entry_is_fixed_once_a_batch_exists_except_void_ones(app, staff):
    vote = make_vote(project_factories.project())
    fields = {"slug": vote.slug, "title": vote.title, "description": "",
              "opens_at": vote.opens_at, "closes_at": vote.closes_at,
              "results_visibility": vote.results_visibility}
    setup.update_vote(vote, staff, **fields, double_entry=True)
    assert vote.double_entry is True
    assert audit_actions("vote.update")[-1].details["changed"] == ["double_entry"]
    batch = import_cards(vote, staff)
    assert setup.double_entry_locked(vote)
    with pytest.raises(setup.DoubleEntryLocked):
        setup.update_vote(vote, staff, **fields, double_entry=False)
    setup.update_vote(vote, staff, **fields, double_entry=True)  # unchanged is fine
    setup.update_vote(vote, staff, **fields)  # None keeps it
    assert vote.double_entry is True
    batches.void_batch(batch, staff, "Test")
    assert not setup.double_entry_locked(vote)
    setup.update_vote(vote, staff, **fields, double_entry=False)
    assert vote.double_entry is False


def test_check_cards_go_with_their_batch(vote, staff, checker):
    batch = import_cards(vote, staff)
    check(batch, checker)
    db.session.delete(batch)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(PaperCheckCard)) == 0


# Four eyes, card by card ------------------------------------------------------------------

MADE_UP = {"K-1": ("C", "C"), "K-2": ("C", "C"), "K-3": ("C", "C")}


def rewrite_first_entry(batch, person):
    """The attack: after the close, change every card of the first entry to `person`'s
    choice, then type a check entry that matches it."""
    for serial, (design, name) in MADE_UP.items():
        double_entry.correct_first_card(batch, ballot(batch, serial), serial,
                                        {"entwurf": design, "name": name}, person)
    check(batch, person, cards=[(serial, *answers) for serial, answers in MADE_UP.items()])


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_one_person_cannot_rewrite_a_batch_and_check_it(vote, staff, role):
    batch = import_cards(vote, staff)
    attacker = user_factories.user(role=role)
    rewrite_first_entry(batch, attacker)
    comparison = double_entry.compare(batch)
    assert [(d.serial, d.kind) for d in comparison.differences] == [
        (serial, DifferenceKind.ONE_PERSON) for serial in MADE_UP]
    with pytest.raises(double_entry.EntriesDiffer):
        double_entry.confirm(batch, attacker)
    assert batch.status == "checking" and tally(vote).paper_ballots == 0


def test_a_check_entry_corrected_to_match_counts_only_with_two_authors(vote, staff, checker):
    batch = import_cards(vote, staff)
    check(batch, checker, cards=(("K-1", "A", "B"), ("K-2", "C", ""), ("K-3", "x", "D")))
    # The checker corrects their own check entry: still two people.
    double_entry.update_check_card(batch, check_card(batch, "K-2"), "K-2", {"entwurf": "B"},
                                   checker)
    assert double_entry.compare(batch).agree
    # The first entrant may not touch the check entry; a third person who corrects the first
    # entry of a card becomes its author.
    third = user_factories.user(role="staff")
    double_entry.correct_first_card(batch, ballot(batch, "K-1"), "K-1",
                                    {"entwurf": "A", "name": "B"}, checker)
    assert [d.kind for d in double_entry.compare(batch).differences] == [
        DifferenceKind.ONE_PERSON]
    double_entry.correct_first_card(batch, ballot(batch, "K-1"), "K-1",
                                    {"entwurf": "A", "name": "B"}, third)
    db.session.commit()
    assert double_entry.compare(batch).agree
    double_entry.confirm(batch, third)
    assert tally(vote).paper_ballots == 3


def test_a_corrected_check_card_belongs_to_who_corrected_it(vote, staff, checker):
    batch = import_cards(vote, staff)
    check(batch, checker)
    third = user_factories.user(role="staff")
    double_entry.update_check_card(batch, check_card(batch, "K-1"), "K-1",
                                   {"entwurf": "A", "name": "B"}, third)
    assert check_card(batch, "K-1").entered_by_id == third.id
