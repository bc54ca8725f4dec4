"""Staff pages to set up a vote, as staff and everyone else meet them."""

import io
from datetime import datetime

import pytest
from sqlalchemy import select

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db
from mitwirkung.votes import services
from mitwirkung.votes.models import Option, Question, Vote

from ... import factories
from ...conftest import signed_in_client
from ...projects import factories as project_factories
from ..factories import cast, make_vote

ROLES = ("visitor", "citizen", "moderator", "staff", "admin")
LOGIN = 302  # visitors are sent to the login page


def staff_only(status):
    return {"visitor": LOGIN, "citizen": 403, "moderator": 403, "staff": status, "admin": status}


def everyone(status):
    return dict.fromkeys(ROLES, status)


QUESTION = "/manage/votes/{draft}/questions/{question}"
OPTION = QUESTION + "/options/{option}"

# (method, URL with {placeholders} from world(), expected status per role)
MATRIX = [
    ("GET", "/manage/votes", staff_only(200)),
    ("POST", "/manage/votes", everyone(405)),
    ("GET", "/manage/votes/new", staff_only(200)),
    ("GET", "/manage/votes/new?project={project}", staff_only(200)),
    ("POST", "/manage/votes/new?project={project}", staff_only(200)),
    ("GET", "/manage/votes/new?project=999999", staff_only(404)),
    ("GET", "/manage/votes/{draft}", staff_only(200)),
    ("POST", "/manage/votes/{draft}", staff_only(200)),
    ("GET", "/manage/votes/{locked}", staff_only(200)),
    ("POST", "/manage/votes/{locked}", staff_only(200)),
    ("GET", "/manage/votes/no-such-vote", staff_only(404)),
    ("POST", "/manage/votes/{locked}/copy", staff_only(302)),
    ("GET", "/manage/votes/{locked}/copy", everyone(405)),
    ("POST", "/manage/votes/no-such-vote/copy", staff_only(404)),
    ("GET", "/manage/votes/{locked}/close", staff_only(200)),
    ("POST", "/manage/votes/{locked}/close", staff_only(302)),
    ("GET", "/manage/votes/{draft}/close", staff_only(200)),
    ("POST", "/manage/votes/{draft}/close", staff_only(302)),
    ("GET", "/manage/votes/no-such-vote/close", staff_only(404)),
    ("POST", "/manage/votes/{draft}/publish", staff_only(302)),
    ("GET", "/manage/votes/{draft}/publish", everyone(405)),
    ("GET", "/manage/votes/{draft}/questions/new", staff_only(200)),
    ("POST", "/manage/votes/{draft}/questions/new", staff_only(200)),
    ("GET", "/manage/votes/{locked}/questions/new", staff_only(403)),
    ("POST", "/manage/votes/{locked}/questions/new", staff_only(403)),
    ("GET", QUESTION + "/edit", staff_only(200)),
    ("POST", QUESTION + "/edit", staff_only(200)),
    ("GET", "/manage/votes/{draft}/questions/{locked_question}/edit", staff_only(404)),
    ("GET", "/manage/votes/{locked}/questions/{locked_question}/edit", staff_only(403)),
    ("POST", QUESTION + "/delete", staff_only(302)),
    ("GET", QUESTION + "/delete", staff_only(200)),
    ("GET", "/manage/votes/{locked}/questions/{locked_question}/delete", staff_only(403)),
    ("POST", "/manage/votes/{locked}/questions/{locked_question}/delete", staff_only(403)),
    ("GET", QUESTION + "/options/new", staff_only(200)),
    ("POST", QUESTION + "/options/new", staff_only(200)),
    ("GET", "/manage/votes/{locked}/questions/{locked_question}/options/new", staff_only(403)),
    ("GET", OPTION + "/edit", staff_only(200)),
    ("POST", OPTION + "/edit", staff_only(200)),
    ("GET", QUESTION + "/options/{locked_option}/edit", staff_only(404)),
    (
        "POST",
        "/manage/votes/{locked}/questions/{locked_question}/options/{locked_option}/edit",
        staff_only(403),
    ),
    ("POST", OPTION + "/delete", staff_only(302)),
    ("GET", OPTION + "/delete", staff_only(200)),
    ("GET", QUESTION + "/options/{locked_option}/delete", staff_only(404)),
    (
        "GET",
        "/manage/votes/{locked}/questions/{locked_question}/options/{locked_option}/delete",
        staff_only(403),
    ),
    (
        "POST",
        "/manage/votes/{locked}/questions/{locked_question}/options/{locked_option}/delete",
        staff_only(403),
    ),
]


def world() -> dict:
    """A ready draft vote and a vote with a ballot (locked), both of one project."""
    project = project_factories.project()
    draft = make_vote(project, status="draft")
    locked = make_vote(project)
    cast(locked, factories.user(), {"entwurf": "A"})
    db.session.commit()
    return {
        "project": project.id,
        "draft": draft.slug,
        "question": draft.questions[0].id,
        "option": draft.questions[0].options[0].id,
        "locked": locked.slug,
        "locked_question": locked.questions[0].id,
        "locked_option": locked.questions[0].options[0].id,
    }


def test_vote_setup_routes_answer_each_role_as_the_matrix_says(app, clients):
    failures = []
    for method, template, expected in MATRIX:
        for role in ROLES:
            # Fresh objects for every request, so a delete or publish cannot affect the next one.
            with app.app_context():
                url = template.format(**world())
            # An empty title makes every form come back with errors instead of saving.
            response = clients[role].open(url, method=method, data={"title": ""})
            if response.status_code != expected[role]:
                failures.append(
                    f"{role} {method} {url}: {response.status_code} != {expected[role]}"
                )
    assert not failures, "\n".join(failures)


# Helpers -------------------------------------------------------------------------------


@pytest.fixture
def project(app):
    item = project_factories.project(slug="pfalztheater-platz")
    db.session.commit()
    return item


@pytest.fixture
def draft(project):
    return make_vote(project, slug="platz", status="draft")


@pytest.fixture
def locked(project):
    vote = make_vote(project, slug="platz")
    cast(vote, factories.user(), {"entwurf": "A"})
    db.session.commit()
    return vote


def vote_form(**fields) -> dict:
    values = {
        "project_id": "",
        "title": "Pfalztheater",
        "slug": "pfalztheater",
        "description": "Welcher **Entwurf**?",
        "opens_at": "2023-08-21T08:00",
        "closes_at": "2023-10-31T18:00",
        "results_visibility": "after_close",
    }
    values.update(fields)
    return values


def option_form(**fields) -> dict:
    values = {"code": "d", "title": "Vierter Entwurf", "text": "", "image_alt": "", "position": ""}
    values.update(fields)
    return values


def by_slug(slug: str) -> Vote | None:
    return db.session.scalar(select(Vote).where(Vote.slug == slug))


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def html(response) -> str:
    return response.get_data(as_text=True)


# Creating and editing the vote ----------------------------------------------------------


def test_staff_creates_a_draft_vote_with_berlin_times_stored_in_utc(staff_client, project):
    response = staff_client.post(
        f"/manage/votes/new?project={project.id}", data=vote_form(project_id=project.id)
    )
    vote = by_slug("pfalztheater")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/manage/votes/pfalztheater")
    assert (vote.status, vote.project_id) == ("draft", project.id)
    assert vote.opens_at == datetime(2023, 8, 21, 6, 0)  # summer time: UTC+2
    assert vote.closes_at == datetime(2023, 10, 31, 17, 0)  # winter time: UTC+1
    assert audit_actions() == ["vote.create"]


def test_new_vote_form_preselects_the_project_from_the_link(staff_client, project):
    page = html(staff_client.get(f"/manage/votes/new?project={project.id}"))
    assert f'<option selected value="{project.id}">' in page
    assert page.count("<h1>") == 1


def test_setup_page_shows_the_times_back_in_berlin_time(staff_client, draft):
    draft.opens_at, draft.closes_at = datetime(2023, 8, 21, 6, 0), datetime(2023, 10, 31, 17, 0)
    db.session.commit()
    page = html(staff_client.get("/manage/votes/platz"))
    assert 'value="2023-08-21T08:00"' in page and 'value="2023-10-31T18:00"' in page


def test_closing_before_opening_is_a_form_error_and_the_typed_values_stay(staff_client, project):
    response = staff_client.post(
        "/manage/votes/new",
        data=vote_form(project_id=project.id, closes_at="2023-08-20T08:00", title="Mein Titel"),
    )
    page = html(response)
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert "The closing time must be after the opening time." in page
    assert 'value="Mein Titel"' in page and 'value="2023-08-20T08:00"' in page
    assert by_slug("pfalztheater") is None and audit_actions() == []


@pytest.mark.parametrize(
    "fields",
    [
        {"opens_at": "gestern"},
        {"opens_at": "0001-01-01T00:30"},
        {"closes_at": "9999-12-31T23:59"},
        {"opens_at": ""},
        {"slug": "Mein Platz"},
        {"results_visibility": "never"},
        {"project_id": "999999"},
        {"project_id": "abc"},
    ],
)
def test_bad_vote_input_comes_back_as_a_form_error(staff_client, project, fields):
    data = vote_form(project_id=project.id)
    data.update(fields)
    response = staff_client.post("/manage/votes/new", data=data)
    assert response.status_code == 200
    assert 'id="error-summary"' in html(response)
    assert db.session.scalar(select(Vote)) is None


def test_taken_vote_slug_is_reported(staff_client, project, draft):
    response = staff_client.post(
        "/manage/votes/new", data=vote_form(project_id=project.id, slug="platz")
    )
    assert "Another vote already uses this web address." in html(response)
    assert db.session.scalar(select(Vote).where(Vote.title == "Pfalztheater")) is None


def test_staff_saves_the_vote_settings(staff_client, draft):
    response = staff_client.post(
        "/manage/votes/platz", data=vote_form(slug="neu", results_visibility="live")
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/manage/votes/neu")
    assert (draft.slug, draft.results_visibility) == ("neu", "live")
    assert audit_actions() == ["vote.update"]


def test_locked_vote_still_moves_its_dates_but_keeps_its_slug(staff_client, locked):
    response = staff_client.post(
        "/manage/votes/platz", data=vote_form(slug="anders", closes_at="2023-11-30T18:00")
    )
    assert response.status_code == 302
    assert locked.slug == "platz"
    assert locked.closes_at == datetime(2023, 11, 30, 17, 0)


def test_locked_vote_page_says_so_and_offers_no_question_changes(staff_client, locked):
    page = html(staff_client.get("/manage/votes/platz"))
    assert 'id="locked-notice"' in page
    assert 'name="slug"' not in page
    assert "/questions/" not in page and "/publish" not in page


def test_setup_page_lists_questions_and_options_in_order(staff_client, draft):
    page = html(staff_client.get("/manage/votes/platz"))
    assert page.count("<h1>") == 1
    assert page.index("Offene Bühne") < page.index("Grünes Band") < page.index("Theatergarten")
    assert '<th scope="col">' in page and '<th scope="row">' in page


# Publishing ----------------------------------------------------------------------------


def test_ready_draft_is_published(staff_client, draft):
    response = staff_client.post("/manage/votes/platz/publish")
    assert response.status_code == 302
    assert draft.status == "published"
    assert audit_actions() == ["vote.publish"]


def test_draft_without_questions_is_not_published_and_staff_are_told_why(staff_client, project):
    vote = make_vote(project, slug="leer", status="draft", questions=[])
    response = staff_client.post("/manage/votes/leer/publish", follow_redirects=True)
    page = html(response)
    assert "The vote needs at least one question" in page
    assert "Add at least one question." in page
    assert vote.status == "draft" and audit_actions() == []


def test_draft_vote_is_hidden_from_the_public_but_shown_to_staff(staff_client, clients, draft):
    assert clients["citizen"].get("/votes/platz").status_code == 404
    assert staff_client.get("/votes/platz").status_code == 200


# Questions -----------------------------------------------------------------------------


def test_staff_adds_a_question_at_the_end(staff_client, draft):
    response = staff_client.post(
        "/manage/votes/platz/questions/new",
        data={"code": "farbe", "title": "Welche Farbe?", "help_text": "", "position": ""},
    )
    question = draft.questions[-1]
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/votes/platz#question-{question.id}")
    assert (question.code, question.position) == ("farbe", 3)
    assert audit_actions() == ["vote.question_add"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("entwurf", "Another question of this vote already uses this code."),
        ("serial", "This code is reserved for the card number column."),
        ("Mit Leerzeichen", "Use only lower-case letters, digits, hyphens and underscores."),
    ],
)
def test_bad_question_code_is_reported_and_the_typed_title_kept(staff_client, draft, code, message):
    response = staff_client.post(
        "/manage/votes/platz/questions/new", data={"code": code, "title": "Meine Frage"}
    )
    page = html(response)
    assert response.status_code == 200
    assert message in page and 'value="Meine Frage"' in page
    assert len(draft.questions) == 2


def test_staff_edits_and_deletes_a_question(staff_client, draft):
    question = draft.questions[0]
    url = f"/manage/votes/platz/questions/{question.id}"
    staff_client.post(f"{url}/edit", data={"code": "design", "title": "Design", "position": "5"})
    assert (question.code, question.title, question.position) == ("design", "Design", 5)
    assert staff_client.post(f"{url}/delete").status_code == 302
    assert db.session.get(Question, question.id) is None
    assert audit_actions() == ["vote.question_update", "vote.question_delete"]


def test_locked_question_pages_refuse_with_a_clear_message(staff_client, locked):
    question = locked.questions[0]
    response = staff_client.post(
        f"/manage/votes/platz/questions/{question.id}/edit",
        data={"code": "entwurf", "title": "Anders"},
    )
    assert response.status_code == 403
    assert "Questions and options are locked" in html(response)
    assert question.title == "Welcher Entwurf soll umgesetzt werden?"


# Options -------------------------------------------------------------------------------


def test_staff_adds_an_option_with_a_verified_image_and_its_alt_text(staff_client, draft):
    question = draft.questions[0]
    data = option_form(image_alt="Plan mit Bäumen")
    data["image_file"] = (io.BytesIO(project_factories.image_bytes("PNG")), "plan.png")
    response = staff_client.post(
        f"/manage/votes/platz/questions/{question.id}/options/new",
        data=data,
        content_type="multipart/form-data",
    )
    option = question.options[-1]
    assert response.status_code == 302
    assert (option.code, option.title, option.position) == ("D", "Vierter Entwurf", 4)
    assert option.image.endswith(".png") and option.image_alt == "Plan mit Bäumen"
    page = html(staff_client.get("/manage/votes/platz"))
    assert f'src="/uploads/{option.image}" alt="Plan mit Bäumen"' in page
    assert audit_actions() == ["vote.option_add"]


def test_an_untouched_image_field_adds_the_option_without_an_image(staff_client, draft):
    question = draft.questions[0]
    data = option_form(image_file=(io.BytesIO(b""), ""))
    response = staff_client.post(
        f"/manage/votes/platz/questions/{question.id}/options/new",
        data=data,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert question.options[-1].title == "Vierter Entwurf" and question.options[-1].image is None


def test_image_without_alt_text_is_refused(staff_client, draft):
    question = draft.questions[0]
    data = option_form()
    data["image_file"] = (io.BytesIO(project_factories.image_bytes("PNG")), "plan.png")
    response = staff_client.post(
        f"/manage/votes/platz/questions/{question.id}/options/new",
        data=data,
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Please describe the image." in html(response)
    assert len(question.options) == 3


def test_fake_image_is_a_form_error_and_the_option_is_not_added(staff_client, draft):
    question = draft.questions[0]
    data = option_form(image_alt="Plan")
    data["image_file"] = (io.BytesIO(b"<svg onload=alert(1)></svg>"), "plan.png")
    response = staff_client.post(
        f"/manage/votes/platz/questions/{question.id}/options/new",
        data=data,
        content_type="multipart/form-data",
    )
    page = html(response)
    assert response.status_code == 200
    assert "This is not a valid JPEG, PNG or WebP image." in page
    assert 'value="Vierter Entwurf"' in page
    assert len(question.options) == 3 and audit_actions() == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "a"}, "Another option of this question already uses this code."),
        ({"title": "offene bühne"}, "This title is the code or title of another option"),
        ({"code": "A-1"}, "Use only letters and digits."),
        ({"code": "ABCDEFGHI"}, "Field cannot be longer than 8 characters."),
        ({"position": "erste"}, "Not a valid integer value."),
    ],
)
def test_bad_option_input_is_reported(staff_client, draft, fields, message):
    question = draft.questions[0]
    response = staff_client.post(
        f"/manage/votes/platz/questions/{question.id}/options/new", data=option_form(**fields)
    )
    assert response.status_code == 200
    assert message in html(response)
    assert len(question.options) == 3


def test_staff_edits_an_option_and_removes_its_image(staff_client, draft):
    option = draft.questions[0].options[0]
    url = f"/manage/votes/platz/questions/{option.question_id}/options/{option.id}"
    data = option_form(code="A", title="Offene Bühne", image_alt="Plan")
    data["image_file"] = (io.BytesIO(project_factories.image_bytes("JPEG")), "a.jpg")
    staff_client.post(f"{url}/edit", data=data, content_type="multipart/form-data")
    assert option.image.endswith(".jpg")
    staff_client.post(
        f"{url}/edit", data=option_form(code="A", title="Offene Bühne 2", remove_image="y")
    )
    assert (option.title, option.image, option.image_alt) == ("Offene Bühne 2", None, "")
    assert audit_actions() == ["vote.option_update", "vote.option_update"]


def test_staff_deletes_an_option(staff_client, draft):
    option = draft.questions[0].options[2]
    response = staff_client.post(
        f"/manage/votes/platz/questions/{option.question_id}/options/{option.id}/delete"
    )
    assert response.status_code == 302
    assert db.session.get(Option, option.id) is None
    assert audit_actions() == ["vote.option_delete"]


def test_published_question_keeps_two_options(staff_client, project):
    vote = make_vote(project, slug="knapp", questions=[("e", "E", [("A", "a"), ("B", "b")])])
    option = vote.questions[0].options[0]
    response = staff_client.post(
        f"/manage/votes/knapp/questions/{option.question_id}/options/{option.id}/delete",
        follow_redirects=True,
    )
    assert "keeps at least two options" in html(response)
    assert db.session.get(Option, option.id) is not None


def test_locked_option_cannot_be_deleted(staff_client, locked):
    option = locked.questions[1].options[3]
    response = staff_client.post(
        f"/manage/votes/platz/questions/{option.question_id}/options/{option.id}/delete"
    )
    assert response.status_code == 403
    assert db.session.get(Option, option.id) is not None and audit_actions() == []


# Copying -------------------------------------------------------------------------------


def test_staff_copy_a_vote_from_the_list_and_land_on_the_new_draft(staff_client, locked):
    form = '<form method="post" action="/manage/votes/platz/copy" class="inline-form">'
    assert form in html(staff_client.get("/manage/votes"))
    assert form in html(staff_client.get("/manage/votes/platz"))
    response = staff_client.post("/manage/votes/platz/copy", follow_redirects=True)
    page = html(response)
    assert response.request.path == "/manage/votes/platz-kopie"
    assert f"This is a copy of “{locked.title}”, saved as a draft." in page
    copy = by_slug("platz-kopie")
    assert (copy.status, copy.title) == ("draft", f"{locked.title} (copy)")
    assert 'id="locked-notice"' not in page and "Offene Bühne" in page
    assert audit_actions() == ["vote.copy"]


def test_a_copy_made_in_german_says_kopie_in_its_title(app, staff, locked):
    client = signed_in_client(app, staff)  # German, the default
    client.post("/manage/votes/platz/copy")
    assert by_slug("platz-kopie").title == f"{locked.title} (Kopie)"


# Closing early -------------------------------------------------------------------------


def test_staff_close_an_open_vote_early_through_a_page_that_says_what_follows(
    staff_client, locked
):
    manage = html(staff_client.get("/manage/votes/platz"))
    assert '<a href="/manage/votes/platz/close">Close the vote now</a>' in manage
    page = html(staff_client.get("/manage/votes/platz/close"))
    assert page.count("<h1>") == 1 and "<h1>Close the vote now?</h1>" in page
    assert "Online voting stops at once." in page
    assert "Paper cards collected up to today" in page and "declare the result final" in page
    assert '<form method="post" action="/manage/votes/platz/close">' in page
    assert 'class="button danger"' in page and 'href="/manage/votes/platz">Cancel</a>' in page
    assert services.phase(locked) == "open" and audit_actions() == []

    response = staff_client.post("/manage/votes/platz/close", follow_redirects=True)
    assert response.request.path == "/manage/votes/platz"
    assert "The vote is closed: online voting has stopped." in html(response)
    assert services.phase(locked) == "closed" and audit_actions() == ["vote.close_now"]
    assert "/manage/votes/platz/close" not in html(response)


def test_a_vote_that_is_not_open_is_not_closed_early(staff_client, draft):
    page = html(staff_client.get("/manage/votes/platz/close"))
    assert 'id="refused"' in page and 'action="/manage/votes/platz/close"' not in page
    closes_at = draft.closes_at
    response = staff_client.post("/manage/votes/platz/close", follow_redirects=True)
    assert "Only an open vote can be closed early." in html(response)
    assert draft.closes_at == closes_at and audit_actions() == []
    assert "/manage/votes/platz/close" not in html(staff_client.get("/manage/votes/platz"))


# Deleting asks once more ----------------------------------------------------------------


def test_deleting_an_option_asks_once_more_on_a_page_naming_it(staff_client, draft):
    question = draft.questions[0]
    option = question.options[1]
    url = f"/manage/votes/platz/questions/{question.id}/options/{option.id}/delete"
    setup_page = html(staff_client.get("/manage/votes/platz"))
    assert f'<a href="{url}">' in setup_page
    assert f'action="{url}"' not in setup_page  # the setup page deletes nothing itself
    response = staff_client.get(url)
    page = html(response)
    assert response.status_code == 200 and page.count("<h1>") == 1
    assert "<h1>Delete option “Verschlungene Wege”?</h1>" in page
    assert question.title in page
    assert f'<form method="post" action="{url}">' in page
    assert 'class="button danger"' in page
    assert f'href="/manage/votes/platz#question-{question.id}">Cancel</a>' in page
    assert db.session.get(Option, option.id) is not None and audit_actions() == []
    response = staff_client.post(url)
    assert response.headers["Location"].endswith(f"/manage/votes/platz#question-{question.id}")
    assert db.session.get(Option, option.id) is None


def test_deleting_a_question_asks_once_more_listing_its_options(staff_client, draft):
    question = draft.questions[0]
    url = f"/manage/votes/platz/questions/{question.id}/delete"
    assert f'<a href="{url}">' in html(staff_client.get("/manage/votes/platz"))
    page = html(staff_client.get(url))
    assert f"<h1>Delete question “{question.title}”?</h1>" in page
    assert "Offene Bühne" in page and "Grünes Band" in page and "its 3 options" in page
    assert f'<form method="post" action="{url}">' in page
    assert db.session.get(Question, question.id) is not None and audit_actions() == []
    staff_client.post(url)
    assert db.session.get(Question, question.id) is None


def test_the_page_says_up_front_when_a_deletion_would_be_refused(staff_client, project):
    vote = make_vote(project, slug="knapp", questions=[("e", "E", [("A", "a"), ("B", "b")])])
    question = vote.questions[0]
    for url in (f"/manage/votes/knapp/questions/{question.id}/delete",
                f"/manage/votes/knapp/questions/{question.id}/options/"
                f"{question.options[0].id}/delete"):
        page = html(staff_client.get(url))
        assert 'id="refused"' in page and "<form method=\"post\" action=\"/manage" not in page
    assert "keeps at least two options" in page


# Links from the public pages ------------------------------------------------------------


def test_project_page_offers_staff_a_new_vote_link_even_without_votes(staff_client, project):
    page = html(staff_client.get(f"/projects/{project.slug}"))
    assert 'id="votes"' in page
    assert f'href="/manage/votes/new?project={project.id}"' in page


def test_project_page_without_votes_has_no_votes_section_for_visitors(app, project):
    client = app.test_client()
    page = html(client.get(f"/projects/{project.slug}"))
    assert 'id="votes"' not in page and "/manage/votes/new" not in page


def test_vote_page_links_staff_but_not_citizens_to_the_setup(app, staff_client, project):
    make_vote(project, slug="offen")
    citizen = signed_in_client(app, factories.user())
    assert 'href="/manage/votes/offen"' in html(staff_client.get("/votes/offen"))
    assert 'href="/manage/votes/offen"' not in html(citizen.get("/votes/offen"))


def test_new_vote_without_a_chosen_project_asks_for_one(staff_client, project):
    response = staff_client.post("/manage/votes/new", data=vote_form(project_id="0"))
    assert "Please choose a project." in html(response)
    assert db.session.scalar(select(Vote)) is None


# The list of votes ---------------------------------------------------------------------


def test_staff_list_every_vote_with_project_status_and_berlin_times(staff_client, project, draft):
    closed = make_vote(project, slug="alt", title="Alter Platz",
                       opens_at=datetime(2023, 8, 21, 6, 0),
                       closes_at=datetime(2023, 10, 31, 17, 0))
    cast(make_vote(project, slug="offen", title="Offener Platz"), factories.user(),
         {"entwurf": "A"})
    page = html(staff_client.get("/manage/votes"))
    assert page.count("<h1>") == 1
    for vote in (draft, closed, by_slug("offen")):
        assert f'<a href="/manage/votes/{vote.slug}">{vote.title}</a>' in page
    assert page.count(project.title) == 3
    assert "Draft" in page and "Open" in page and "Closed" in page
    assert "21 Aug 2023, 08:00" in page and "31 Oct 2023, 18:00" in page
    assert 'href="/manage/votes/new"' in page
    assert 'class="vote-list stack-table"' in page and '<th scope="row">' in page


def test_the_list_runs_the_same_few_queries_for_one_vote_and_for_many(staff_client, project,
                                                                      count_queries):
    make_vote(project)
    one = count_queries(staff_client, "/manage/votes")
    for _ in range(6):
        cast(make_vote(project_factories.project()), factories.user(), {"entwurf": "B"})
    assert count_queries(staff_client, "/manage/votes") == one <= 10


def test_staff_find_the_list_in_the_navigation_and_beside_the_projects(app, staff_client):
    citizen = signed_in_client(app, factories.user())
    assert 'href="/manage/votes"' in html(staff_client.get("/"))
    assert 'href="/manage/votes"' in html(staff_client.get("/manage/projects"))
    assert 'href="/manage/votes"' not in html(citizen.get("/"))


