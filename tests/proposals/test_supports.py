"""Supporting ideas: once per account, on and off during the support phase, the count exact,
the board's limit named when reached, and nothing for ideas that are not open to support."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mitwirkung.core import data_rights
from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import local_today, utcnow
from mitwirkung.extensions import db
from mitwirkung.proposals import supports
from mitwirkung.proposals.models import Idea, Support
from tests import factories as user_factories
from tests.conftest import signed_in_client

from . import factories


@pytest.fixture
def board(app):
    return factories.board(slug="unterstuetzen")


@pytest.fixture
def idea(board):
    return factories.idea(board, title="Mehr Bänke am Stiftsplatz")


def rows(idea) -> int:
    return db.session.scalar(select(func.count()).select_from(Support)
                             .where(Support.idea_id == idea.id))


def count(idea) -> int:
    return db.session.scalar(select(Idea.supports_count).where(Idea.id == idea.id))


def post(client, idea, action="support", **data):
    path = f"/boards/{idea.board.slug}/ideas/{idea.id}/support"
    if action == "withdraw":
        path += "/withdraw"
    return client.post(path, data=data)


def flashes(client) -> str:
    return client.get("/").get_data(as_text=True)


# Supporting and withdrawing -----------------------------------------------------------------


def test_a_citizen_supports_and_withdraws_and_the_count_follows(app, idea, citizen):
    client = signed_in_client(app, citizen)
    response = post(client, idea, next=f"/boards/{idea.board.slug}?sort=supports")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/boards/unterstuetzen?sort=supports#support-{idea.id}")
    assert rows(idea) == count(idea) == 1
    assert "Sie unterstützen „Mehr Bänke am Stiftsplatz“." in flashes(client)
    post(client, idea, "withdraw")
    assert rows(idea) == count(idea) == 0
    assert "Sie unterstützen „Mehr Bänke am Stiftsplatz“ nicht mehr." in flashes(client)


def test_supporting_twice_and_withdrawing_twice_count_once(app, idea, citizen):
    client = signed_in_client(app, citizen)
    for _ in range(3):
        assert post(client, idea).status_code == 302
    assert rows(idea) == count(idea) == 1
    for _ in range(2):
        assert post(client, idea, "withdraw").status_code == 302
    assert rows(idea) == count(idea) == 0


def test_the_services_say_whether_anything_changed(app, idea, citizen):
    with app.test_request_context():
        assert supports.support(idea, citizen) is True
        assert supports.support(idea, citizen) is False
        assert supports.withdraw(idea, citizen) is True
        assert supports.withdraw(idea, citizen) is False
    assert rows(idea) == count(idea) == 0


def test_supports_of_many_accounts_add_up(app, idea):
    for _ in range(5):
        post(signed_in_client(app, user_factories.user()), idea)
    assert rows(idea) == count(idea) == 5


@pytest.mark.parametrize("next_value", ["//evil.example/x", "https://evil.example",
                                        "/\\evil.example", "javascript:alert(1)", ""])
def test_the_way_back_is_a_path_on_this_site_only(app, idea, citizen, next_value):
    response = post(signed_in_client(app, citizen), idea, next=next_value)
    assert response.headers["Location"].endswith(
        f"/boards/unterstuetzen/ideas/{idea.id}#support-{idea.id}")


# Who may ----------------------------------------------------------------------------------


def test_a_visitor_is_asked_to_log_in_and_nothing_counts(client, idea):
    response = post(client, idea)
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    assert rows(idea) == count(idea) == 0


@pytest.mark.parametrize("fields", [{"confirmed_at": None}, {"blocked_at": utcnow()}])
def test_unconfirmed_and_blocked_accounts_cannot_support(app, idea, fields):
    account = user_factories.user(**fields)
    client = signed_in_client(app, account)
    post(client, idea)
    assert rows(idea) == count(idea) == 0
    with app.test_request_context():
        with pytest.raises(supports.NotEntitled):
            supports.support(idea, account)


def test_an_unconfirmed_account_is_told_why(app, idea):
    client = signed_in_client(app, user_factories.user(confirmed=False))
    post(client, idea)
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in flashes(client)


@pytest.mark.parametrize("phase", [
    {"support_from": None, "support_until": None},
    {"support_from": local_today() + timedelta(days=1)},
    {"support_until": local_today() - timedelta(days=1),
     "support_from": local_today() - timedelta(days=9)},
])
def test_outside_the_support_phase_nothing_counts(app, citizen, phase):
    board = factories.board(**phase)
    idea = factories.idea(board)
    client = signed_in_client(app, citizen)
    post(client, idea)
    assert rows(idea) == count(idea) == 0
    assert "Diese Idee kann jetzt nicht unterstützt werden." in flashes(client)


def test_withdrawing_after_the_phase_is_refused_and_the_support_stays(app, board, idea,
                                                                      citizen):
    client = signed_in_client(app, citizen)
    post(client, idea)
    board.support_until = local_today() - timedelta(days=1)
    board.support_from = local_today() - timedelta(days=5)
    db.session.commit()
    post(client, idea, "withdraw")
    assert rows(idea) == count(idea) == 1


def test_in_a_competition_only_admissible_ideas_can_be_supported(app, citizen):
    board = factories.board(competition=True)
    admissible = factories.idea(board, feasibility="feasible")
    unchecked = factories.idea(board)
    refused = factories.idea(board, feasibility="not_feasible")
    client = signed_in_client(app, citizen)
    for idea in (admissible, unchecked, refused):
        post(client, idea)
    assert [rows(i) for i in (admissible, unchecked, refused)] == [1, 0, 0]


@pytest.mark.parametrize("hidden", ["pending", "rejected", "withdrawn"])
def test_hidden_ideas_are_404_for_others_and_not_supportable_for_anyone(app, board, citizen,
                                                                        hidden):
    author = user_factories.user()
    fields = {"pending": {"state": ModerationState.PENDING},
              "rejected": {"state": ModerationState.REJECTED},
              "withdrawn": {"withdrawn_at": utcnow(), "withdraw_reason": "done"}}[hidden]
    idea = factories.idea(board, author, **fields)
    assert post(signed_in_client(app, citizen), idea).status_code == 404
    for viewer in (author, user_factories.user(role="staff")):
        assert post(signed_in_client(app, viewer), idea).status_code == 302
    assert rows(idea) == count(idea) == 0


def test_an_idea_of_another_board_is_404(app, board, citizen):
    other = factories.idea(factories.board())
    response = signed_in_client(app, citizen).post(
        f"/boards/{board.slug}/ideas/{other.id}/support")
    assert response.status_code == 404 and rows(other) == 0


def test_a_draft_board_s_ideas_are_404(app, citizen):
    from mitwirkung.proposals.models import BoardStatus

    idea = factories.idea(factories.board(status=BoardStatus.DRAFT))
    assert post(signed_in_client(app, citizen), idea).status_code == 404


def test_a_post_without_csrf_token_is_400(app, idea, citizen, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert post(signed_in_client(app, citizen), idea).status_code == 400
    assert rows(idea) == 0


def test_get_changes_nothing(app, idea, citizen):
    client = signed_in_client(app, citizen)
    assert client.get(f"/boards/unterstuetzen/ideas/{idea.id}/support").status_code == 405
    assert rows(idea) == 0


# The limit --------------------------------------------------------------------------------


def test_the_limit_is_named_when_reached_and_a_withdrawal_frees_a_support(app, citizen):
    board = factories.board(support_limit=2)
    ideas = [factories.idea(board, title=f"Idee {n}") for n in range(3)]
    client = signed_in_client(app, citizen)
    post(client, ideas[0])
    post(client, ideas[1])
    post(client, ideas[2])
    assert [rows(i) for i in ideas] == [1, 1, 0]
    assert "höchstens 2 Ideen" in flashes(client)
    post(client, ideas[0], "withdraw")
    post(client, ideas[2])
    assert [rows(i) for i in ideas] == [0, 1, 1]
    post(client, ideas[1])  # supporting again what one supports is no second support
    assert [count(i) for i in ideas] == [0, 1, 1]


def test_the_limit_counts_per_board(app, citizen):
    one, two = factories.board(support_limit=1), factories.board(support_limit=1)
    first, second = factories.idea(one), factories.idea(two)
    client = signed_in_client(app, citizen)
    post(client, first)
    post(client, second)
    assert rows(first) == rows(second) == 1


# What the page shows ----------------------------------------------------------------------


def support_block(html: str, idea) -> str:
    return re.search(rf'<div class="support" id="support-{idea.id}">(.*?)</div>', html,
                     re.S).group(1)


def test_the_list_offers_a_button_that_names_the_idea_and_shows_the_state(app, board, idea,
                                                                         citizen):
    client = signed_in_client(app, citizen)
    block = support_block(client.get("/boards/unterstuetzen").get_data(as_text=True), idea)
    assert '<button type="submit" class="button">Unterstützen<span class="visually-hidden">' \
           ': Mehr Bänke am Stiftsplatz</span></button>' in block
    assert f'action="/boards/unterstuetzen/ideas/{idea.id}/support"' in block
    assert 'name="next" value="/boards/unterstuetzen"' in block
    post(client, idea)
    html = client.get("/boards/unterstuetzen").get_data(as_text=True)
    block = support_block(html, idea)
    assert "Sie unterstützen diese Idee." in block
    assert "Unterstützung zurücknehmen" in block
    assert "1 Unterstützung<" in html


def test_visitors_and_unconfirmed_accounts_are_told_what_to_do(app, board, idea):
    html = app.test_client().get("/boards/unterstuetzen").get_data(as_text=True)
    assert "Anmelden, um diese Idee zu unterstützen" in support_block(html, idea)
    assert "/login?next=/boards/unterstuetzen" in support_block(html, idea)
    client = signed_in_client(app, user_factories.user(confirmed=False))
    html = client.get("/boards/unterstuetzen").get_data(as_text=True)
    assert "Bestätigen Sie Ihre E-Mail-Adresse" in support_block(html, idea)
    assert "<form" not in support_block(html, idea)


def test_outside_the_phase_there_is_no_button(app, citizen):
    board = factories.board(slug="vorbei", support_from=None, support_until=None)
    idea = factories.idea(board)
    html = signed_in_client(app, citizen).get("/boards/vorbei").get_data(as_text=True)
    assert "<form" not in support_block(html, idea)


def test_the_limit_is_shown_above_the_list_and_replaces_the_buttons_when_used(app, citizen):
    board = factories.board(slug="begrenzt", support_limit=1)
    first, second = factories.idea(board, title="Erste"), factories.idea(board, title="Zweite")
    client = signed_in_client(app, citizen)
    html = client.get("/boards/begrenzt").get_data(as_text=True)
    assert "Jede Person kann in dieser Ideensammlung 1 Idee unterstützen." in html
    assert "Sie können noch 1 unterstützen." in html
    post(client, first)
    html = client.get("/boards/begrenzt").get_data(as_text=True)
    assert "Sie können noch 0 unterstützen." in html
    assert "Unterstützung zurücknehmen" in support_block(html, first)
    assert "<form" not in support_block(html, second)
    assert "so viele, wie jede Person in dieser Ideensammlung darf" in support_block(html, second)


def test_the_support_template_stands_alone_with_idea_and_board(app, idea, citizen):
    """The idea page includes it with just `idea` and `board`: the count shows there."""
    from flask import render_template_string
    from flask_login import login_user

    with app.test_request_context("/"):
        login_user(citizen)
        html = render_template_string('{% include "proposals/_support.html" %}',
                                      idea=idea, board=idea.board)
    assert "0 Unterstützungen" in html and ">Unterstützen<" in html


# A person's data ---------------------------------------------------------------------------


def test_a_person_s_supports_are_exported_and_withdrawn_when_the_account_goes(app, idea,
                                                                          citizen):
    other = factories.idea(idea.board, title="Zweite Idee")
    factories.support(idea, citizen)
    factories.support(other, citizen)
    factories.support(other, user_factories.user())
    with app.test_request_context():
        exported = data_rights.export(citizen)["supports"]
        assert [entry["title"] for entry in exported] == ["Mehr Bänke am Stiftsplatz",
                                                          "Zweite Idee"]
        supports.erase_supports(citizen)
        db.session.commit()
    assert (rows(idea), count(idea), rows(other), count(other)) == (0, 0, 1, 1)
