"""Comments as people meet them: posting on an idea and a project, the wait for approval
that only the author sees, replies one level deep, deleting one's own comment, the order
and pages of a thread, and every refusal with the typed text kept."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from mitwirkung.comments import services
from mitwirkung.comments.models import Comment
from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db

from .conftest import form_key


def idea_url(idea) -> str:
    return f"/boards/{idea.board.slug}/ideas/{idea.id}"


def post(client, kind, target_id, text, **fields):
    """Send the form as the thread's page offers it (a fresh key where it offers none)."""
    page = client.get(f"/comments/{kind}/{target_id}").get_data(as_text=True)
    key = form_key(page) if 'name="submission_key"' in page else "closed-form-key-1234"
    data = {"text": text, "submission_key": key, **fields}
    return client.post(f"/comments/{kind}/{target_id}", data=data)


def comments_of(idea) -> list[Comment]:
    return list(db.session.scalars(select(Comment).where(Comment.idea_id == idea.id)
                                   .order_by(Comment.id)))


def test_a_comment_waits_for_approval_seen_by_its_author_only(as_, idea):
    author = as_("author")
    response = post(author, "idea", idea.id, "Gute Idee, besonders am Stiftsplatz.")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{idea_url(idea)}#comment-"
                                                 f"{comments_of(idea)[0].id}")
    mine = author.get(idea_url(idea)).get_data(as_text=True)
    assert "Gute Idee, besonders am Stiftsplatz." in mine and "awaiting approval" in mine
    assert "0 comments" in mine  # nobody counts it yet, not even its author
    for name in ("other", "visitor"):
        page = as_(name).get(idea_url(idea)).get_data(as_text=True)
        assert "Stiftsplatz" not in page and "0 comments" in page


def test_approved_it_is_public_and_the_author_is_told(as_, idea, outbox, people):
    post(as_("author"), "idea", idea.id, "Gute Idee.")
    comment = comments_of(idea)[0]
    queue = as_("moderator").get("/moderation").get_data(as_text=True)
    assert "Comment on “Mehr Bänke”" in queue and "Gute Idee." in queue
    assert as_("moderator").post(f"/moderation/comments/{comment.id}/approve").status_code == 302
    page = as_("visitor").get(idea_url(idea)).get_data(as_text=True)
    assert "Gute Idee." in page and "1 comment" in page and "awaiting approval" not in page
    mail = outbox()[-1]
    assert mail["To"] == people["author"].email
    assert mail["Subject"] == "Ihr Kommentar ist veröffentlicht"


def test_a_rejection_mails_the_reason_and_the_text_back(as_, idea, outbox):
    post(as_("author"), "idea", idea.id, "Mein langer Text, den ich nicht verlieren will.")
    comment = comments_of(idea)[0]
    as_("moderator").post(f"/moderation/comments/{comment.id}/reject",
                          data={f"reject-comments-{comment.id}-reason": "Beleidigend."})
    assert comments_of(idea)[0].moderation_state == ModerationState.REJECTED
    body = outbox()[-1].get_content()
    assert "Beleidigend." in body and "Mein langer Text, den ich nicht verlieren will." in body
    assert "Mein langer Text" not in as_("author").get(idea_url(idea)).get_data(as_text=True)


def test_post_moderation_publishes_at_once(as_, idea, project):
    services.save_settings(project.id, enabled=True, moderation="post")
    db.session.commit()
    post(as_("author"), "idea", idea.id, "Sofort sichtbar.")
    assert "Sofort sichtbar." in as_("visitor").get(idea_url(idea)).get_data(as_text=True)


@pytest.mark.parametrize("role", ["staff", "moderator"])
def test_staff_and_moderators_publish_at_once(as_, idea, role):
    post(as_(role), "idea", idea.id, "Die Stadt prüft das.")
    page = as_("visitor").get(idea_url(idea)).get_data(as_text=True)
    assert "Die Stadt prüft das." in page
    assert ("City staff" if role == "staff" else "Moderator") in page


def test_a_project_has_its_own_thread(as_, project):
    services.save_settings(project.id, enabled=True, moderation="post")
    db.session.commit()
    response = post(as_("author"), "project", project.id, "Wann gibt es Ergebnisse?")
    assert response.headers["Location"].startswith(f"/projects/{project.slug}#comment-")
    assert "Wann gibt es Ergebnisse?" in as_("visitor").get(
        f"/projects/{project.slug}").get_data(as_text=True)


def test_a_double_click_stores_one_comment(as_, idea):
    author = as_("author")
    page = author.get(f"/comments/idea/{idea.id}").get_data(as_text=True)
    data = {"text": "Einmal bitte.", "submission_key": form_key(page)}
    first = author.post(f"/comments/idea/{idea.id}", data=data)
    second = author.post(f"/comments/idea/{idea.id}", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(comments_of(idea)) == 1


# Replies ---------------------------------------------------------------------------------


@pytest.fixture
def published(idea, people):
    """A published comment of "other" on the idea."""
    comment, _created = services.post("idea", idea, people["other"], "Erster Kommentar.",
                                      submission_key="k" * 20)
    comment.moderation_state = ModerationState.APPROVED
    db.session.commit()
    return comment


def test_a_reply_answers_a_comment_beneath_it(as_, idea, published, people):
    author = as_("author")
    form_page = author.get(f"/comments/idea/{idea.id}/reply/{published.id}")
    assert form_page.status_code == 200
    html = form_page.get_data(as_text=True)
    assert f"You answer {people['other'].username}:" in html and "Erster Kommentar." in html
    author.post(f"/comments/idea/{idea.id}", data={
        "text": "Antwort darauf.", "submission_key": form_key(html), "parent_id": published.id})
    reply = comments_of(idea)[-1]
    assert reply.parent_id == published.id
    page = author.get(idea_url(idea)).get_data(as_text=True)
    assert page.index("Erster Kommentar.") < page.index("Antwort darauf.")
    assert 'class="comment-replies"' in page


def test_replies_are_not_answered_in_turn(as_, idea, published, people):
    reply, _ = services.post("idea", idea, people["author"], "Antwort.", parent_id=published.id,
                             submission_key="r" * 20)
    reply.moderation_state = ModerationState.APPROVED
    db.session.commit()
    assert as_("other").get(f"/comments/idea/{idea.id}/reply/{reply.id}").status_code == 404
    response = as_("other").post(f"/comments/idea/{idea.id}", data={
        "text": "Antwort auf die Antwort.", "submission_key": "s" * 20, "parent_id": reply.id})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "replies are not answered in turn" in html
    assert "Antwort auf die Antwort." in html  # kept in the form
    assert len(comments_of(idea)) == 2


def test_a_pending_comment_cannot_be_answered(as_, idea, people):
    pending, _ = services.post("idea", idea, people["author"], "Wartet.", submission_key="p" * 20)
    db.session.commit()
    assert pending.is_pending
    assert as_("other").get(f"/comments/idea/{idea.id}/reply/{pending.id}").status_code == 404


def test_a_comment_of_another_thread_cannot_be_answered_here(as_, idea, published, project):
    response = as_("author").post(f"/comments/project/{project.id}", data={
        "text": "Hierher verirrt.", "submission_key": "x" * 20, "parent_id": published.id})
    assert response.status_code == 200 and "cannot be answered" in response.get_data(as_text=True)


# Deleting ----------------------------------------------------------------------------------


def test_the_author_deletes_a_comment_and_its_text_is_erased(as_, idea, published):
    other = as_("other")
    assert other.get(f"/comments/{published.id}/delete").status_code == 200
    response = other.post(f"/comments/{published.id}/delete")
    assert response.status_code == 302
    db.session.refresh(published)
    assert published.deleted_at is not None and published.text == "" \
        and published.text_html == ""
    page = as_("visitor").get(idea_url(idea)).get_data(as_text=True)
    assert "Erster Kommentar." not in page and "Deleted by its author." not in page
    assert "0 comments" in page


def test_a_deleted_comment_with_replies_shows_as_deleted(as_, idea, published, people):
    reply, _ = services.post("idea", idea, people["author"], "Ich stimme zu.",
                             parent_id=published.id, submission_key="r" * 20)
    reply.moderation_state = ModerationState.APPROVED
    db.session.commit()
    as_("other").post(f"/comments/{published.id}/delete")
    page = as_("visitor").get(idea_url(idea)).get_data(as_text=True)
    assert "Deleted by its author." in page and "Ich stimme zu." in page
    assert "Erster Kommentar." not in page and "1 comment" in page


@pytest.mark.parametrize("name, status", [("author", 403), ("moderator", 403), ("visitor", 302)])
def test_nobody_else_deletes_a_comment(as_, published, name, status):
    assert as_(name).post(f"/comments/{published.id}/delete").status_code == status
    db.session.refresh(published)
    assert published.deleted_at is None


# Refusals keep the text ----------------------------------------------------------------------


@pytest.mark.parametrize("text, message", [
    ("", "Please write your comment."),
    ("x" * 2001, "A comment can have at most 2000 characters."),
])
def test_a_bad_text_is_named_and_kept(as_, idea, text, message):
    response = post(as_("author"), "idea", idea.id, text)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert ("x" * 2001) in html or text == ""
    assert comments_of(idea) == []


def test_comments_switched_off_are_refused_with_the_reason(as_, idea, project):
    services.save_settings(project.id, enabled=False, moderation="pre")
    db.session.commit()
    page = as_("author").get(idea_url(idea)).get_data(as_text=True)
    assert "Comments are switched off in this project." in page and "Send comment" not in page
    response = post(as_("author"), "idea", idea.id, "Trotzdem.")
    assert "Comments are switched off" in response.get_data(as_text=True)
    assert "Trotzdem." in response.get_data(as_text=True)
    assert comments_of(idea) == []


def test_comments_close_with_the_boards_last_day(as_, idea):
    from datetime import timedelta

    from mitwirkung.core.time import local_today

    board = idea.board
    board.submit_until = board.support_until = local_today() - timedelta(days=1)
    board.support_from = local_today() - timedelta(days=10)
    db.session.commit()
    assert "Comments are closed here." in as_("author").get(idea_url(idea)).get_data(
        as_text=True)
    post(as_("author"), "idea", idea.id, "Zu spät.")
    assert comments_of(idea) == []


def test_visitors_are_asked_to_log_in_and_unconfirmed_accounts_to_confirm(as_, idea):
    page = as_("visitor").get(idea_url(idea)).get_data(as_text=True)
    assert "Log in to comment" in page
    assert as_("visitor").post(f"/comments/idea/{idea.id}", data={"text": "x"}).status_code == 302
    page = as_("unconfirmed").get(idea_url(idea)).get_data(as_text=True)
    assert "confirm your e-mail address before you comment" in page
    assert as_("unconfirmed").post(f"/comments/idea/{idea.id}",
                                   data={"text": "x"}).status_code == 403
    assert comments_of(idea) == []


def test_the_sixth_comment_in_a_minute_waits_and_keeps_its_text(as_, idea):
    author = as_("author")
    for n in range(5):
        assert post(author, "idea", idea.id, f"Kommentar {n}").status_code == 302
    response = post(author, "idea", idea.id, "Der sechste, bitte nicht verlieren.")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Please wait a minute" in html and "Der sechste, bitte nicht verlieren." in html
    assert len(comments_of(idea)) == 5


def test_a_hidden_idea_takes_its_thread_with_it(as_, project, people):
    from ..proposals import factories as idea_factories

    board = idea_factories.board(project=project, slug="wartend")
    pending = idea_factories.idea(board, state=ModerationState.PENDING)
    assert as_("other").get(f"/comments/idea/{pending.id}").status_code == 404
    assert as_("other").post(f"/comments/idea/{pending.id}",
                             data={"text": "x", "submission_key": "y" * 20}).status_code == 404
    assert as_("visitor").get("/comments/idea/999999").status_code == 404
    assert as_("visitor").get("/comments/nothing/1").status_code == 404


# Order and pages ---------------------------------------------------------------------------


def test_oldest_first_newest_on_request_and_pages(as_, idea, people):
    for n in range(services.PER_PAGE + 2):
        comment, _ = services.post("idea", idea, people["other"], f"Nummer {n:02d}",
                                   submission_key=f"key-{n:02d}" + "k" * 16)
        comment.moderation_state = ModerationState.APPROVED
    db.session.commit()
    visitor = as_("visitor")
    first = visitor.get(idea_url(idea)).get_data(as_text=True)
    assert "Nummer 00" in first and "Nummer 21" not in first and "Page 1 of 2" in first
    assert "22 comments" in first
    second = visitor.get(idea_url(idea) + "?comments_page=2").get_data(as_text=True)
    assert "Nummer 21" in second and "Nummer 00" not in second
    newest = visitor.get(idea_url(idea) + "?comments=newest").get_data(as_text=True)
    assert newest.index("Nummer 21") < newest.index("Nummer 20")
    for query in ("?comments=<script>", "?comments_page=abc", "?comments_page=-1"):
        response = visitor.get(idea_url(idea) + query)
        assert response.status_code == 200 and "<script>" not in response.get_data(as_text=True)


def test_text_is_escaped_and_links_are_nofollow_ugc(as_, idea, project):
    services.save_settings(project.id, enabled=True, moderation="post")
    db.session.commit()
    post(as_("author"), "idea", idea.id,
         '<script>alert(1)</script> <b>fett</b> https://example.org/plan')
    page = as_("visitor").get(idea_url(idea)).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<b>fett" not in page
    assert "&lt;script&gt;" in page
    assert '<a href="https://example.org/plan" rel="nofollow ugc noopener">' in page


def test_the_database_holds_exactly_one_link_per_comment(app, idea, project, people):
    both = Comment(project_id=project.id, link_kind="idea", idea_id=idea.id,
                   linked_project_id=project.id, author_id=people["author"].id, text="x")
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(both)
    none = Comment(project_id=project.id, link_kind="idea", author_id=people["author"].id,
                   text="x")
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(none)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


# A person's data ---------------------------------------------------------------------------


def test_a_persons_comments_are_exported_and_kept_or_erased_with_the_account(
        as_, idea, published, people):
    from mitwirkung.core import data_rights

    pending, _ = services.post("idea", idea, people["other"], "Noch nicht frei.",
                               submission_key="q" * 20)
    db.session.commit()
    exported = data_rights.export(people["other"])["comments"]["comments"]
    assert [c["text"] for c in exported] == ["Erster Kommentar.", "Noch nicht frei."]
    assert exported[1]["moderation"] == "pending"
    data_rights.erase(people["other"])
    db.session.commit()
    remaining = comments_of(idea)
    assert [(c.text, c.author_id) for c in remaining] == [("Erster Kommentar.", None)]
    page = as_("visitor").get(idea_url(idea)).get_data(as_text=True)
    assert "Erster Kommentar." in page and "deleted account" in page


def test_the_reply_form_carries_the_comment_it_answers(as_, idea, published):
    html = as_("author").get(f"/comments/idea/{idea.id}/reply/{published.id}").get_data(
        as_text=True)
    assert f'name="parent_id" type="hidden" value="{published.id}"' in html
    plain = as_("author").get(f"/comments/idea/{idea.id}").get_data(as_text=True)
    assert 'name="parent_id"' not in plain
