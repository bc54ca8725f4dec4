"""The city's official answer: any status from any other, each change with an answer, a
public history signed by role, a mail to the author every time, the audit log. And a
competition's admissibility check and shortlist, and who may be supported."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from mitwirkung.core.models import AuditEntry
from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import local_today, utcnow
from mitwirkung.extensions import db
from mitwirkung.proposals import services
from mitwirkung.proposals.models import BoardStatus, IdeaEvent, IdeaStatus

from . import factories
from .conftest import html


@pytest.fixture
def idea(board, author):
    return factories.idea(board, author, title="Lichterfest", text="Licht an der Kaiserpfalz")


def answer(client, idea, status, text):
    return client.post(f"/boards/{idea.board.slug}/ideas/{idea.id}/answer",
                       data={"answer-status": status, "answer-answer": text})


def events(idea) -> list[IdeaEvent]:
    return list(db.session.scalars(select(IdeaEvent).where(IdeaEvent.idea_id == idea.id)
                                   .order_by(IdeaEvent.id)))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_staff_answer_and_the_history_shows_every_change_by_role(as_, people, idea, outbox):
    client = as_("staff")
    steps = [("in_review", "Wir prüfen das."), ("accepted", "Wir machen das."),
             ("rejected", "Doch nicht: kein Strom."), ("submitted", "Wir fangen neu an."),
             ("implemented", "Fertig!")]
    for status, text in steps:
        assert answer(client, idea, status, text).status_code == 302
    db.session.refresh(idea)
    assert (idea.status, idea.answer) == ("implemented", "Fertig!")
    history = events(idea)
    assert [(e.from_value, e.to_value) for e in history] == [
        ("submitted", "in_review"), ("in_review", "accepted"), ("accepted", "rejected"),
        ("rejected", "submitted"), ("submitted", "implemented")]
    assert all(e.actor_role == "staff" and e.actor_id == people["staff"].id for e in history)
    assert actions() == ["idea.answer"] * 5
    page = html(as_("visitor").get(f"/boards/innenstadt/ideas/{idea.id}"))
    for _status, text in steps:
        assert text in page
    assert "Status changed from “rejected” to “submitted, not answered yet”" in page
    assert "by: City staff" in page and people["staff"].username not in page
    mails = outbox()
    assert len(mails) == 5 and all(m["To"] == people["author"].email for m in mails)
    assert "Fertig!" in mails[-1].get_content()
    assert mails[-1].get_content().startswith("Guten Tag Erika,")


def test_an_admin_answers_as_administration(as_, idea):
    answer(as_("admin"), idea, "in_review", "Geprüft wird.")
    assert "by: Administrator" in html(as_("visitor").get(f"/boards/innenstadt/ideas/{idea.id}"))


def test_the_same_status_with_a_new_answer_is_an_update(as_, idea):
    client = as_("staff")
    answer(client, idea, "in_review", "Erste Antwort")
    answer(client, idea, "in_review", "Zweite Antwort")
    [first, second] = events(idea)
    assert (second.from_value, second.to_value) == ("in_review", "in_review")
    assert "Answer updated, status still: under review" in html(
        as_("visitor").get(f"/boards/innenstadt/ideas/{idea.id}"))


@pytest.mark.parametrize("status, text, message", [
    ("accepted", "", "Please write the answer"),
    ("accepted", "   ", "Please write the answer"),
    ("maybe", "Text", "Not a valid choice"),
    ("submitted", "x" * 5001, "Field cannot be longer than 5000 characters."),
])
def test_an_answer_without_text_or_with_an_unknown_status_is_refused(as_, idea, outbox,
                                                                     status, text, message):
    response = answer(as_("staff"), idea, status, text)
    assert response.status_code == 200 and message in html(response)
    assert events(idea) == [] and outbox() == [] and actions() == []


def test_nothing_changed_is_refused(as_, idea):
    client = as_("staff")
    answer(client, idea, "accepted", "Ja")
    response = answer(client, idea, "accepted", "Ja")
    assert "Nothing changed" in html(response) and len(events(idea)) == 1


@pytest.mark.parametrize("state", ["pending", "rejected", "withdrawn"])
def test_only_public_ideas_get_answers(as_, board, author, state, outbox):
    fields = {"withdrawn_at": utcnow(), "withdraw_reason": "other"} if state == "withdrawn" else {}
    hidden = factories.idea(board, author, state=state if state != "withdrawn" else "approved",
                            **fields)
    response = answer(as_("staff"), hidden, "accepted", "Ja")
    assert response.status_code == 302
    assert events(hidden) == [] and outbox() == []
    follow = html(as_("staff").get(f"/boards/innenstadt/ideas/{hidden.id}"))
    assert "Official answer and status" not in follow


@pytest.mark.parametrize("role, status", [("visitor", 302), ("author", 403), ("other", 403),
                                          ("moderator", 403), ("unconfirmed", 403)])
def test_only_staff_answer(as_, idea, role, status):
    assert answer(as_(role), idea, "accepted", "Ja").status_code == status
    assert events(idea) == []


def test_the_author_of_a_deleted_account_gets_no_mail(as_, idea, people, outbox):
    people["author"].deleted_at, people["author"].email = utcnow(), None
    db.session.commit()
    answer(as_("staff"), idea, "accepted", "Ja")
    assert outbox() == [] and len(events(idea)) == 1


# Competitions ---------------------------------------------------------------------------


@pytest.fixture
def contest(app):
    today = local_today()
    return factories.board(slug="wettbewerb", competition=True, rules="Regeln",
                           submit_until=today - timedelta(days=1),
                           support_from=today + timedelta(days=5),
                           support_until=today + timedelta(days=20))


@pytest.fixture
def entry(contest, author):
    return factories.idea(contest, author, title="Hochbeete", text="Kräuter für alle")


def check(client, idea, feasibility, reason=""):
    return client.post(f"/boards/wettbewerb/ideas/{idea.id}/feasibility",
                       data={"feasibility-feasibility": feasibility,
                             "feasibility-reason": reason})


def shortlist(client, idea, on):
    return client.post(f"/boards/wettbewerb/ideas/{idea.id}/shortlist",
                       data={"shortlisted": "1" if on else "0"})


def test_staff_check_admissibility_with_a_reason_shown_in_the_history(as_, entry, outbox):
    client = as_("staff")
    refused = check(client, entry, "not_feasible", "")
    assert "Please give the reason why the idea is not admissible." in html(refused)
    check(client, entry, "not_feasible", "Zu teuer: über 7.500 Euro.")
    db.session.refresh(entry)
    assert entry.feasibility == "not_feasible"
    page = html(as_("visitor").get(f"/boards/wettbewerb/ideas/{entry.id}"))
    assert "not admissible" in page and "Zu teuer: über 7.500 Euro." in page
    assert "Checked: not admissible" in page
    check(client, entry, "feasible", "")  # admissible needs no reason
    db.session.refresh(entry)
    assert entry.feasibility == "feasible"
    assert [(e.kind, e.from_value, e.to_value) for e in events(entry)] == [
        ("feasibility", None, "not_feasible"), ("feasibility", "not_feasible", "feasible")]
    assert actions() == ["idea.feasibility", "idea.feasibility"] and len(outbox()) == 2


def test_the_shortlist_takes_admissible_ideas_only(as_, entry):
    client = as_("staff")
    shortlist(client, entry, True)
    db.session.refresh(entry)
    assert not entry.shortlisted and events(entry) == []
    check(client, entry, "feasible")
    shortlist(client, entry, True)
    db.session.refresh(entry)
    assert entry.shortlisted
    assert "on the shortlist" in html(as_("visitor").get(f"/boards/wettbewerb/ideas/{entry.id}"))
    # Found not admissible later: it leaves the shortlist, and the history says so.
    check(client, entry, "not_feasible", "Doch nicht genehmigt")
    db.session.refresh(entry)
    assert not entry.shortlisted
    assert [e.kind for e in events(entry)] == ["feasibility", "shortlist", "feasibility",
                                               "shortlist"]
    assert actions() == ["idea.feasibility", "idea.shortlist", "idea.feasibility",
                         "idea.shortlist"]


def test_admissibility_is_fixed_once_supporting_opens(as_, contest, entry):
    contest.support_from = local_today()
    db.session.commit()
    check(as_("staff"), entry, "feasible")
    db.session.refresh(entry)
    assert entry.feasibility is None
    assert "admissibility check is closed" in html(
        as_("staff").get(f"/boards/wettbewerb/ideas/{entry.id}"))


def test_only_a_competition_has_admissibility_and_a_shortlist(as_, idea):
    response = as_("staff").post(f"/boards/innenstadt/ideas/{idea.id}/feasibility",
                                 data={"feasibility-feasibility": "feasible"})
    assert response.status_code == 302
    as_("staff").post(f"/boards/innenstadt/ideas/{idea.id}/shortlist", data={"shortlisted": "1"})
    db.session.refresh(idea)
    assert idea.feasibility is None and not idea.shortlisted and events(idea) == []


@pytest.mark.parametrize("role, status", [("visitor", 302), ("author", 403), ("moderator", 403)])
def test_only_staff_check_and_shortlist(as_, entry, role, status):
    assert check(as_(role), entry, "feasible").status_code == status
    assert shortlist(as_(role), entry, True).status_code == status
    assert events(entry) == []


# Who may be supported ---------------------------------------------------------------------


def test_may_be_supported_while_supporting_is_open_for_public_ideas(app, board, author):
    public = factories.idea(board, author)
    pending = factories.idea(board, author, state=ModerationState.PENDING)
    withdrawn = factories.idea(board, author, withdrawn_at=utcnow(), withdraw_reason="done")
    today = local_today()
    assert services.may_be_supported(public)
    assert not services.may_be_supported(pending)
    assert not services.may_be_supported(withdrawn)
    assert not services.may_be_supported(public, today=board.support_until + timedelta(days=1))
    assert not services.may_be_supported(public, today=today - timedelta(days=1))
    board.status = BoardStatus.DRAFT
    assert not services.may_be_supported(public)


def test_may_be_supported_never_without_support_days(app, author):
    board = factories.board(support_from=None, support_until=None)
    assert not services.may_be_supported(factories.idea(board, author))


def test_may_be_supported_in_a_competition_only_when_admissible(app, contest, author):
    today = local_today()
    opening = contest.support_from
    ideas = {value: factories.idea(contest, author, feasibility=value)
             for value in ("feasible", "not_feasible", None)}
    assert not any(services.may_be_supported(i, today=today) for i in ideas.values())
    assert services.may_be_supported(ideas["feasible"], today=opening)
    assert not services.may_be_supported(ideas["not_feasible"], today=opening)
    assert not services.may_be_supported(ideas[None], today=opening)


def test_statuses_are_all_offered(as_, idea):
    page = html(as_("staff").get(f"/boards/innenstadt/ideas/{idea.id}"))
    for status in IdeaStatus:
        assert f'value="{status.value}"' in page
