"""Reports (flags) and hiding, on comments: a resident reports a published comment once,
with a reason; the moderators see it as reported while everyone still reads it; they keep
it or hide it with a reason. A hidden comment shows "removed by the moderation" in its
place and its replies stay (Decidim #8660); nobody reads, counts or answers it any more."""

import pytest
from sqlalchemy import func, select

from mitwirkung.comments import services
from mitwirkung.comments.models import Comment
from mitwirkung.core import flags, hiding, moderation
from mitwirkung.core.flags import Flag
from mitwirkung.core.models import AuditEntry
from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db

from .conftest import form_key


def idea_url(idea) -> str:
    return f"/boards/{idea.board.slug}/ideas/{idea.id}"


def published(idea, author, text, parent=None, key=None) -> Comment:
    comment, _created = services.post("idea", idea, author, text,
                                      submission_key=key or f"key-{text[:8]}-{author.id:08d}",
                                      parent_id=parent.id if parent else None)
    comment.moderation_state = ModerationState.APPROVED
    db.session.commit()
    return comment


@pytest.fixture
def in_request(app):
    """For services called directly: their mails build links and speak German. Only around
    service calls: a client's request inside it would share its `g` (and its visitor)."""
    return app.test_request_context


@pytest.fixture
def comment(app, idea, people):
    return published(idea, people["author"], "Schlechter Kommentar am Stiftsplatz.")


def report_url(comment) -> str:
    return f"/report/comments/{comment.id}"


def flags_of(comment) -> int:
    return db.session.scalar(select(func.count()).select_from(Flag).where(
        Flag.item_type == "comments", Flag.item_id == comment.id))


def test_a_resident_reports_a_comment_once(as_, comment):
    other = as_("other")
    form = other.get(report_url(comment)).get_data(as_text=True)
    assert "Why do you report it?" in form and "Does not belong here" in form
    response = other.post(report_url(comment), data={"reason": "offensive",
                                                     "details": "Beleidigt die Nachbarn."})
    assert response.status_code == 302 and flags_of(comment) == 1
    again = other.post(report_url(comment), data={"reason": "spam"})
    assert again.status_code == 409
    assert "You have already reported this." in again.get_data(as_text=True)
    assert "You have already reported this." in other.get(report_url(comment)).get_data(
        as_text=True)
    assert flags_of(comment) == 1


@pytest.mark.parametrize("data, message", [
    ({"details": "Mein Text bleibt."}, "Please choose a reason."),
    ({"reason": "kaputt", "details": "Mein Text bleibt."}, "Not a valid choice"),
    ({"reason": "spam", "details": "Mein Text bleibt." + "x" * 1000},
     "The details can have at most 1000 characters."),
])
def test_a_refused_report_keeps_what_was_typed(as_, comment, data, message):
    page = as_("other").post(report_url(comment), data=data).get_data(as_text=True)
    assert message in page and "Mein Text bleibt." in page
    assert flags_of(comment) == 0


def test_nobody_reports_their_own_comment(as_, comment):
    page = as_("author").get(report_url(comment)).get_data(as_text=True)
    assert "You cannot report your own contribution." in page and "Send report" not in page
    assert as_("author").post(report_url(comment), data={"reason": "spam"}).status_code == 403
    assert flags_of(comment) == 0


def test_only_a_published_comment_can_be_reported(as_, idea, people):
    pending, _ = services.post("idea", idea, people["author"], "Wartet noch.",
                               submission_key="pending-comment-0001")
    db.session.commit()
    assert pending.is_pending
    assert as_("other").get(report_url(pending)).status_code == 404
    assert as_("other").post(report_url(pending), data={"reason": "spam"}).status_code == 404
    assert as_("other").get("/report/accounts/1").status_code == 404
    assert as_("other").get("/report/comments/999999").status_code == 404


# Who may do what (role x route x method -> status) ------------------------------------------

ROLES = ("visitor", "unconfirmed", "other", "author", "staff", "moderator", "admin")


@pytest.mark.parametrize("method, route, expected", [
    ("GET", "/report/comments/{c}", (302, 403, 200, 200, 200, 200, 200)),
    ("POST", "/moderation/comments/{c}/keep", (302, 403, 403, 403, 403, 302, 302)),
    ("GET", "/moderation/comments/{c}/hide", (302, 403, 403, 403, 403, 200, 200)),
    ("POST", "/moderation/comments/{c}/hide", (302, 403, 403, 403, 403, 200, 200)),
    ("GET", "/moderation/accounts/{u}", (302, 403, 403, 403, 403, 200, 200)),
    ("POST", "/moderation/accounts/{u}/mute", (302, 403, 403, 403, 403, 400, 400)),
    ("POST", "/moderation/accounts/{u}/unmute", (302, 403, 403, 403, 403, 302, 302)),
    ("POST", "/moderation/accounts/{u}/block", (302, 403, 403, 403, 403, 400, 400)),
])
def test_who_reaches_the_new_routes(as_, comment, people, method, route, expected):
    """Empty POSTs: a moderator's form is refused (400, or the page again), nothing changes."""
    url = route.format(c=comment.id, u=people["other"].id)
    for role, status in zip(ROLES, expected, strict=True):
        response = as_(role).open(url, method=method)
        assert response.status_code == status, (role, method, url, response.status_code)
    assert comment.hidden_at is None and people["other"].muted_until is None
    assert people["other"].blocked_at is None


# The moderators' list -----------------------------------------------------------------------


def test_reported_comments_show_for_moderators_oldest_first_and_stay_visible(
        as_, idea, comment, people):
    later = published(idea, people["other"], "Noch ein Kommentar <b>fett</b>.")
    as_("author").post(report_url(later), data={"reason": "spam"})
    as_("other").post(report_url(comment), data={"reason": "offensive",
                                                 "details": "<script>x()</script>"})
    as_("staff").post(report_url(comment), data={"reason": "offensive"})
    # Reported first, listed first, even though the other report came in earlier.
    flag = db.session.scalar(select(Flag).where(Flag.item_id == later.id))
    flag.created_at = flag.created_at.replace(year=flag.created_at.year + 1)
    db.session.commit()
    queue = as_("moderator").get("/moderation").get_data(as_text=True)
    assert "Reported: 2 contributions" in queue
    assert queue.index(f"reported-comments-{comment.id}") < queue.index(
        f"reported-comments-{later.id}")
    assert "Offensive (2)" in queue and "Spam (1)" in queue
    assert "&lt;script&gt;x()&lt;/script&gt;" in queue and "<script>x()" not in queue
    assert "Noch ein Kommentar &lt;b&gt;fett&lt;/b&gt;." in queue
    assert f"/moderation/accounts/{people['author'].id}" in queue
    for role in ("visitor", "other"):
        assert "Schlechter Kommentar" in as_(role).get(idea_url(idea)).get_data(as_text=True)
    assert as_("staff").get("/moderation").status_code == 403


def test_keeping_dismisses_the_reports_and_is_audited(as_, idea, comment, people):
    as_("other").post(report_url(comment), data={"reason": "spam"})
    response = as_("moderator").post(f"/moderation/comments/{comment.id}/keep",
                                     data={"note": "Kein Spam."})
    assert response.status_code == 302
    assert "Nothing reported." in as_("moderator").get("/moderation").get_data(as_text=True)
    assert "Schlechter Kommentar" in as_("visitor").get(idea_url(idea)).get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "comment.keep"))
    assert entry.actor_id == people["moderator"].id and entry.target_id == comment.id
    assert entry.details == {"flags": 1, "reasons": {"spam": 1}, "reason": "Kein Spam."}
    # Nothing left to decide: a second keep says so and writes nothing.
    as_("moderator").post(f"/moderation/comments/{comment.id}/keep")
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "comment.keep")) == 1
    # Once reported, always reported: the same person cannot report it again.
    assert as_("other").post(report_url(comment), data={"reason": "spam"}).status_code == 409


# Hiding -------------------------------------------------------------------------------------


def test_a_hidden_comment_keeps_its_place_and_its_replies(as_, idea, comment, people, outbox):
    published(idea, people["other"], "Eine Antwort, die bleibt.", parent=comment)
    as_("other").post(report_url(comment), data={"reason": "offensive"})
    form = as_("moderator").get(f"/moderation/comments/{comment.id}/hide").get_data(
        as_text=True)
    assert "Reason for hiding it" in form
    response = as_("moderator").post(f"/moderation/comments/{comment.id}/hide",
                                     data={"reason": "Beleidigt andere.",
                                           "next": idea_url(idea)})
    assert response.status_code == 302 and response.headers["Location"].endswith(idea_url(idea))
    for role in ("visitor", "other", "author", "moderator", "staff"):
        page = as_(role).get(idea_url(idea)).get_data(as_text=True)
        assert "Schlechter Kommentar" not in page, role
        assert "Removed by the moderation." in page and "Eine Antwort, die bleibt." in page
        assert "1 comment" in page  # the reply; the hidden one is counted for nobody
        thread = as_(role).get(f"/comments/idea/{idea.id}").get_data(as_text=True)
        assert "Schlechter Kommentar" not in thread
    assert services.public_counts("idea", [idea.id]) == {idea.id: 1}
    # The reports are decided; the audit says who, what and why; the author reads why.
    assert db.session.scalar(select(Flag.decision).where(Flag.item_id == comment.id)) == "hidden"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "comment.hide"))
    assert entry.actor_id == people["moderator"].id
    assert entry.details["reason"] == "Beleidigt andere." and entry.details["flags"] == 1
    mail = outbox()[-1]
    assert mail["To"] == people["author"].email
    assert mail["Subject"] == "Ihr Kommentar wurde von der Moderation entfernt"
    body = mail.get_content()
    assert "Beleidigt andere." in body and "Schlechter Kommentar am Stiftsplatz." in body
    assert "Nothing reported." in as_("moderator").get("/moderation").get_data(as_text=True)


def test_a_hidden_comment_is_not_answered_nor_reported(as_, idea, comment, people, in_request):
    with in_request():
        hiding.hide(comment, people["moderator"], "Spam.")
    db.session.commit()
    assert as_("other").get(
        f"/comments/idea/{idea.id}/reply/{comment.id}").status_code == 404
    page = as_("other").get(f"/comments/idea/{idea.id}").get_data(as_text=True)
    response = as_("other").post(f"/comments/idea/{idea.id}", data={
        "text": "Antwort auf Verborgenes.", "parent_id": comment.id,
        "submission_key": form_key(page)})
    assert "This comment cannot be answered" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.parent_id == comment.id)) == 0
    assert as_("other").get(report_url(comment)).status_code == 404


def test_the_hide_rules(app, idea, comment, people):
    with app.test_request_context():
        _check_hide_rules(idea, comment, people)


def _check_hide_rules(idea, comment, people):
    moderator = people["moderator"]
    with pytest.raises(hiding.HideReasonRequired):
        hiding.hide(comment, moderator, "  ")
    own = published(idea, moderator, "Mein eigener Kommentar.")
    with pytest.raises(moderation.OwnContribution):
        hiding.hide(own, moderator, "Grund")
    hiding.hide(comment, moderator, "Grund")
    with pytest.raises(hiding.NotHideable):  # hidden once, whoever clicks again
        hiding.hide(comment, people["admin"], "Nochmal")
    pending, _ = services.post("idea", idea, people["other"], "Wartet.",
                               submission_key="pending-comment-0002")
    with pytest.raises(hiding.NotHideable):
        hiding.hide(pending, moderator, "Grund")
    with pytest.raises(flags.NotFlaggable):
        flags.flag(comment, people["other"], "spam")


def test_a_moderator_does_not_hide_their_own_comment_through_the_page(as_, idea, people):
    own = published(idea, people["moderator"], "Vom Moderator.")
    page = as_("moderator").get(f"/moderation/comments/{own.id}/hide").get_data(as_text=True)
    assert "Your own contribution" in page
    as_("moderator").post(f"/moderation/comments/{own.id}/hide", data={"reason": "x"})
    assert db.session.get(Comment, own.id).hidden_at is None


def test_report_and_hide_links_beside_a_comment(as_, idea, comment):
    visitor = as_("visitor").get(idea_url(idea)).get_data(as_text=True)
    assert report_url(comment) in visitor
    assert f"/moderation/comments/{comment.id}/hide" not in visitor
    assert report_url(comment) not in as_("author").get(idea_url(idea)).get_data(as_text=True)
    moderator = as_("moderator").get(idea_url(idea)).get_data(as_text=True)
    assert f"/moderation/comments/{comment.id}/hide" in moderator


def test_the_queue_with_reports_runs_a_few_queries(app, as_, idea, people, count_queries,
                                                   in_request):
    count_queries(as_("moderator"), "/moderation")  # the site's settings, cached after this
    counts = []
    for round_ in range(2):
        for n in range(4):
            one = published(idea, people["author"], f"Kommentar {round_}-{n}",
                            key=f"count-{round_}-{n}-queries")
            with in_request():
                flags.flag(one, people["other"], "spam")
        db.session.commit()
        counts.append(count_queries(as_("moderator"), "/moderation"))
    assert counts[0] == counts[1] and counts[1] <= 10, counts
