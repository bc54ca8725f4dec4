"""The moderators' one queue: comments and ideas together, oldest first, each with what it
answers, its project, how long it has waited and how many of its author's contributions
were rejected before; the next entry after each decision; a fixed number of queries."""

import re
from datetime import timedelta

import pytest

from mitwirkung.comments.models import LinkKind
from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import utcnow

from ..proposals import factories as idea_factories
from ..votes.factories import make_vote
from .factories import comment


def page_of(client) -> str:
    response = client.get("/moderation")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def ago(**delta):
    return utcnow() - timedelta(**delta)


@pytest.fixture
def board(idea):
    return idea.board


def test_comments_and_ideas_wait_in_one_list_oldest_first(as_, idea, board, project, people):
    author = people["author"]
    comment(idea, LinkKind.IDEA, author, "Mittlerer Kommentar", project_id=project.id,
            created_at=ago(hours=5))
    idea_factories.idea(board, author, title="Älteste Idee", state=ModerationState.PENDING,
                        created_at=ago(days=2))
    comment(project, LinkKind.PROJECT, author, "Neuester Kommentar", project_id=project.id,
            created_at=ago(minutes=3))
    page = page_of(as_("moderator"))
    assert (page.index("Älteste Idee") < page.index("Mittlerer Kommentar")
            < page.index("Neuester Kommentar"))
    assert "3 contributions" in page
    assert "waiting for 2 days" in page and "waiting for 5 hours" in page
    assert "waiting for 3 minutes" in page
    # An idea waiting longer than MODERATION_REMIND_AFTER_HOURS (24) is marked.
    assert page.count(">overdue<") == 1


def test_each_entry_says_what_it_answers_and_its_project(as_, idea, project, people):
    author = people["author"]
    parent = comment(idea, LinkKind.IDEA, people["other"], "Die Bänke am Stiftsplatz fehlen "
                     "seit Jahren, und im Sommer sitzt man auf dem Boden.",
                     project_id=project.id, state=ModerationState.APPROVED)
    comment(idea, LinkKind.IDEA, author, "Eine Antwort.", project_id=project.id, parent=parent)
    comment(idea, LinkKind.IDEA, author, "Zur Idee.", project_id=project.id)
    vote = make_vote(project, slug="theater")
    option = vote.questions[0].options[0]
    comment(option, LinkKind.OPTION, author, "Zur Option.", project_id=project.id)
    page = page_of(as_("moderator"))
    assert "Answers the comment “Die Bänke am Stiftsplatz fehlen seit Jahren" in page
    assert "Idea “Mehr Bänke” · Idea board" in page
    assert f"Vote option “{option.code}: {option.title}”" in page
    assert f"Vote “{vote.title}”" in page
    assert page.count(f"<dd>{project.title}</dd>") + page.count(
        f'<dd lang="de">{project.title}</dd>') >= 3


def test_earlier_rejections_of_the_author_are_counted_across_kinds(as_, idea, board, project,
                                                                  people):
    author = people["author"]
    comment(idea, LinkKind.IDEA, author, "Abgelehnt 1", project_id=project.id,
            state=ModerationState.REJECTED)
    idea_factories.idea(board, author, title="Abgelehnt 2", state=ModerationState.REJECTED)
    comment(idea, LinkKind.IDEA, author, "Wieder einer", project_id=project.id)
    comment(idea, LinkKind.IDEA, people["other"], "Von jemand anderem", project_id=project.id)
    page = page_of(as_("moderator"))
    entries = page.split('class="queue-item"')[1:]
    mine = next(entry for entry in entries if "Wieder einer" in entry)
    theirs = next(entry for entry in entries if "Von jemand anderem" in entry)
    assert "2 earlier contributions rejected" in mine
    assert "rejected" not in theirs


def test_after_a_decision_the_queue_opens_at_the_next_entry(as_, idea, project, people):
    first = comment(idea, LinkKind.IDEA, people["author"], "Erster", project_id=project.id,
                    created_at=ago(hours=2))
    second = comment(idea, LinkKind.IDEA, people["author"], "Zweiter", project_id=project.id,
                     created_at=ago(hours=1))
    client = as_("moderator")
    page = page_of(client)
    assert f'<h3 id="item-comments-{first.id}" tabindex="-1">' in page
    nexts = re.findall(r'name="next" value="(/moderation#[^"]+)"', page)
    # Both forms of the first lead to the second; those of the last back to the one before.
    assert nexts == [f"/moderation#item-comments-{second.id}"] * 2 + [
        f"/moderation#item-comments-{first.id}"] * 2
    response = client.post(f"/moderation/comments/{first.id}/approve", data={"next": nexts[0]})
    assert response.headers["Location"].endswith(f"/moderation#item-comments-{second.id}")


def test_a_lone_entry_leads_back_to_the_list_heading(as_, idea, project, people):
    comment(idea, LinkKind.IDEA, people["author"], "Allein", project_id=project.id)
    page = page_of(as_("moderator"))
    assert 'name="next" value="/moderation#queue"' in page and 'id="queue" tabindex="-1"' in page


def test_the_queue_shows_fifty_and_the_total_in_at_most_ten_queries(
        as_, idea, board, project, people, count_queries):
    author, other = people["author"], people["other"]
    vote = make_vote(project, slug="theater")
    options = vote.questions[0].options
    parent = comment(idea, LinkKind.IDEA, other, "Veröffentlicht", project_id=project.id,
                     state=ModerationState.APPROVED)
    comment(idea, LinkKind.IDEA, author, "Abgelehnt", project_id=project.id,
            state=ModerationState.REJECTED)
    client = as_("moderator")
    few = count_queries(client, "/moderation")
    for n in range(12):
        when = ago(hours=60 - n)
        idea_factories.idea(board, author, title=f"Idee {n}", state=ModerationState.PENDING,
                            created_at=when)
        comment(idea, LinkKind.IDEA, author, f"Kommentar {n}", project_id=project.id,
                created_at=when)
        comment(idea, LinkKind.IDEA, other, f"Antwort {n}", project_id=project.id,
                parent=parent, created_at=when)
        comment(project, LinkKind.PROJECT, author, f"Projekt {n}", project_id=project.id,
                created_at=when)
        comment(options[n % len(options)], LinkKind.OPTION, other, f"Option {n}",
                project_id=project.id, created_at=when)
    many = count_queries(client, "/moderation")
    assert many <= 10, many
    assert few <= 10, few
    page = page_of(client)
    assert "60 contributions" in page and "The oldest 50 of 60 are shown" in page
    assert page.count('class="queue-item"') == 50


@pytest.mark.parametrize("role, status", [("visitor", 302), ("author", 403), ("staff", 403),
                                          ("moderator", 200), ("admin", 200)])
def test_only_moderators_reach_the_queue(as_, role, status):
    assert as_(role).get("/moderation").status_code == status
