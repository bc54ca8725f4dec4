"""The staff pages that build a survey: settings, questions page by page, conditions,
publishing, the lock, bad input, queries."""

import pytest
from sqlalchemy import select

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db
from mitwirkung.surveys import services
from mitwirkung.surveys.models import QuestionKind, Survey

from ..projects import factories as project_factories
from . import factories
from .builder import answered, draft_survey, html

SETTINGS = {"title": "Verpackungssteuer", "slug": "verpackungssteuer",
            "intro": "Was meinen **Sie**?", "opens_at": "2026-03-01T09:00",
            "closes_at": "2026-03-31T18:00", "audience": "public", "anonymous": "y"}


def _survey(slug) -> Survey:
    db.session.expire_all()
    return services.get_survey(slug)


def test_staff_create_a_survey_on_a_project_in_berlin_time(app, as_):
    project = project_factories.project(title="Kaiserslautern")
    client = as_("staff")
    page = client.get(f"/manage/surveys/new?project={project.id}")
    assert page.status_code == 200
    assert f'<option selected value="{project.id}">' in html(page)
    response = client.post("/manage/surveys/new",
                           data=SETTINGS | {"project_id": project.id})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/manage/surveys/verpackungssteuer")
    survey = _survey("verpackungssteuer")
    assert survey.status == "draft" and survey.project_id == project.id
    assert survey.anonymous and not survey.changeable and survey.audience == "public"
    assert survey.opens_at.isoformat() == "2026-03-01T08:00:00"  # CET is UTC+1
    assert "<strong>Sie</strong>" in survey.intro_html
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "survey.create"))
    assert entry.target_id == survey.id


def test_anonymous_and_changeable_are_refused_together_at_the_field(app, as_):
    project = project_factories.project()
    response = as_("staff").post("/manage/surveys/new", data=SETTINGS | {
        "project_id": project.id, "changeable": "y", "title": "Mein Titel"})
    assert response.status_code == 200
    text = html(response)
    assert "cannot be found again" in text
    assert 'id="changeable-error"' in text
    assert 'value="Mein Titel"' in text  # what was typed stays
    assert _survey("verpackungssteuer") is None


@pytest.mark.parametrize("field, value, message", [
    ("closes_at", "2026-02-01T09:00", "closing time must be after"),
    ("slug", "Groß Buchstaben", "lower-case letters"),
    ("slug", "new", "already uses"),
    ("opens_at", "99999-01-01T00:00", "Not a valid datetime"),
    ("audience", "everyone", "Not a valid choice"),
    ("title", "", "This field is required"),
])
def test_bad_settings_come_back_at_their_field(app, as_, field, value, message):
    project = project_factories.project()
    response = as_("staff").post("/manage/surveys/new",
                                 data=SETTINGS | {"project_id": project.id, field: value})
    assert response.status_code == 200
    assert message in html(response)
    assert 'class="error-summary"' in html(response)


def test_a_taken_slug_is_refused(app, as_):
    factories.survey(slug="verpackungssteuer")
    project = project_factories.project()
    response = as_("staff").post("/manage/surveys/new",
                                 data=SETTINGS | {"project_id": project.id})
    assert "Another survey already uses this web address" in html(response)


def test_settings_are_edited_and_audited_with_what_changed(app, as_):
    survey = draft_survey(slug="umfrage")
    client = as_("staff")
    assert client.get("/manage/surveys/umfrage").status_code == 200
    response = client.post("/manage/surveys/umfrage", data=SETTINGS | {
        "slug": "umfrage", "audience": "staff", "confidential": "y", "quiz": "y"})
    assert response.status_code == 302
    survey = _survey("umfrage")
    assert survey.audience == "staff" and survey.confidential and survey.quiz
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "survey.update"))
    assert {"audience", "confidential", "quiz", "title"} <= set(entry.details["changed"])


def test_audience_anonymity_and_quiz_lock_once_responses_exist(app, as_):
    survey = answered(draft_survey(slug="umfrage", audience="citizens", anonymous=False))
    client = as_("staff")
    page = html(client.get("/manage/surveys/umfrage"))
    assert 'id="locked-notice"' in page and 'name="audience"' not in page
    response = client.post("/manage/surveys/umfrage", data=SETTINGS | {
        "slug": "umfrage", "audience": "public", "anonymous": "y", "quiz": "y",
        "title": "Neuer Titel"})
    assert response.status_code == 302
    survey = _survey("umfrage")
    assert survey.title == "Neuer Titel"
    assert survey.audience == "citizens" and not survey.anonymous and not survey.quiz


def _question_form(kind, **fields):
    return {"title": "Frage", "page": "1"} | fields


def test_staff_build_two_pages_with_a_condition_and_publish(app, as_):
    factories.survey(slug="umfrage", status="draft")
    client = as_("staff")
    assert "Single choice" in html(client.get("/manage/surveys/umfrage/questions/new"))
    base = "/manage/surveys/umfrage/questions/new?kind="
    # Publishing without a question is refused with a clear message.
    client.post("/manage/surveys/umfrage/publish")
    assert "Add at least one question" in html(client.get("/manage/surveys/umfrage"))
    assert _survey("umfrage").status == "draft"

    response = client.post(base + "single", data={
        "title": "Wer sind Sie?", "page": "1", "options": "Einwohner\r\nGewerbe\r\n",
        "other": "y", "required": "y"})
    assert response.status_code == 302
    who = _survey("umfrage").questions[0]
    assert [o.label for o in who.options] == ["Einwohner", "Gewerbe", "Sonstiges, bitte angeben"]
    assert who.options[-1].is_other and who.required
    gewerbe = who.options[1]
    form = html(client.get(base + "number"))
    assert f'<option value="{gewerbe.id}">Gewerbe</option>' in form
    assert "<optgroup" in form
    response = client.post(base + "number", data={
        "title": "Wie viele Stunden im Monat?", "page": "2", "number_min": "0",
        "number_max": "200", "number_step": "0,5", "unit": "Stunden",
        "condition": str(gewerbe.id), "condition_negated": ""})
    assert response.status_code == 302, html(response)
    hours = _survey("umfrage").questions[1]
    assert (hours.page, hours.number_step, hours.unit) == (2, 0.5, "Stunden")
    assert hours.condition_question_id == who.id and hours.condition_option_id == gewerbe.id
    page = html(client.get("/manage/surveys/umfrage"))
    assert "Page 2 of 2" in page
    assert "the answer to “Wer sind Sie?” includes “Gewerbe”" in page
    assert client.post("/manage/surveys/umfrage/publish").status_code == 302
    assert _survey("umfrage").status == "published"


def test_each_kind_is_stored_with_its_settings(app, as_):
    factories.survey(slug="umfrage", status="draft", quiz=True)
    client = as_("staff")
    base = "/manage/surveys/umfrage/questions/new?kind="
    posts = [
        ("multiple", {"options": "Bus\n*Rad\n*Fuß", "min_choices": "1", "max_choices": "2"}),
        ("text", {"max_length": "500"}),
        ("scale", {"scale": "0-10", "scale_min_label": "gar nicht",
                   "scale_max_label": "sehr"}),
        ("yes_no", {"correct": "0"}),
        ("matrix", {"statements": "Sauber\nSicher", "scale": "1-5"}),
        ("text", {}),  # optional fields left empty
    ]
    for kind, fields in posts:
        response = client.post(base + kind, data={"title": f"Frage {kind}", "page": "1"}
                               | fields)
        assert response.status_code == 302, (kind, html(response))
    multiple, text, scale, yes_no, matrix, empty = _survey("umfrage").questions
    assert [o.is_correct for o in multiple.options] == [False, True, True]
    assert [o.label for o in multiple.options] == ["Bus", "Rad", "Fuß"]
    assert (multiple.min_choices, multiple.max_choices) == (1, 2)
    assert text.max_length == 500 and empty.max_length is None
    assert (scale.scale_min, scale.scale_max, scale.scale_min_label) == (0, 10, "gar nicht")
    assert [(o.label, o.is_correct) for o in yes_no.options] == [("Ja", True),
                                                                 ("Nein", False)]
    assert [s.label for s in matrix.statements] == ["Sauber", "Sicher"]
    assert (matrix.scale_min, matrix.scale_max) == (1, 5)


def test_a_star_marks_a_correct_answer_only_in_a_quiz(app, as_):
    factories.survey(slug="umfrage", status="draft")
    response = as_("staff").post("/manage/surveys/umfrage/questions/new?kind=single",
                                 data={"title": "Note?", "page": "1", "options": "*1\n2"})
    assert response.status_code == 302
    assert [(o.label, o.is_correct) for o in _survey("umfrage").questions[0].options] == [
        ("*1", False), ("2", False)]


@pytest.mark.parametrize("kind, fields, field, message", [
    ("single", {"options": "Nur eine"}, "options", "at least two options"),
    ("single", {"options": "A\na"}, "options", "differ"),
    ("multiple", {"options": "A\nB", "min_choices": "2", "max_choices": "1"}, "max_choices",
     "cannot be fewer"),
    ("multiple", {"options": "A\nB", "max_choices": "5"}, "max_choices", "from 1 to 2"),
    ("number", {"number_min": "10", "number_max": "5"}, "number_max", "more than the lowest"),
    ("number", {"number_step": "0"}, "number_step", "more than 0"),
    ("number", {"number_min": "zehn"}, "number_min", "Please enter a number"),
    ("number", {"number_min": "1e309"}, "number_min", "Please enter a number"),
    ("matrix", {"statements": "", "scale": "1-5"}, "statements", "at least one statement"),
    ("scale", {"scale": "2-7"}, "scale", "Not a valid choice"),
    ("text", {"max_length": "0"}, "max_length", "Number must be"),
    ("text", {"page": "0"}, "page", "Number must be"),
    ("text", {"page": "zwei"}, "page", "Not a valid integer"),
    ("text", {"title": ""}, "title", "Please enter the question"),
    ("text", {"condition": "999999"}, "condition", "Not a valid choice"),
])
def test_bad_question_settings_come_back_at_their_field(app, as_, kind, fields, field, message):
    factories.survey(slug="umfrage", status="draft")
    response = as_("staff").post(f"/manage/surveys/umfrage/questions/new?kind={kind}",
                                 data={"title": "Meine Frage", "page": "1"} | fields)
    assert response.status_code == 200
    text = html(response)
    assert message in text, text
    assert f'id="{field}-error"' in text
    assert not _survey("umfrage").questions


def test_a_condition_on_the_question_itself_or_a_later_one_is_refused(app, as_):
    survey = draft_survey(slug="umfrage")
    who, count = survey.questions
    gewerbe = factories.option(who, "Gewerbe")
    client = as_("staff")
    # A new question on page 1 may depend on an earlier answer of page 1 (without
    # JavaScript the answering pages ask it on a step of its own).
    response = client.post("/manage/surveys/umfrage/questions/new?kind=text",
                           data={"title": "Warum?", "page": "1",
                                 "condition": str(gewerbe.id)}, follow_redirects=True)
    assert response.status_code == 200
    survey = _survey("umfrage")
    assert [(q.title, q.page) for q in survey.questions][:2] == [("Wer sind Sie?", 1),
                                                                 ("Warum?", 1)]
    # The first question can depend neither on itself nor on a later one.
    response = client.post(f"/manage/surveys/umfrage/questions/{who.id}/edit", data={
        "title": "Wer sind Sie?", "page": "1", "options": "Einwohner\nGewerbe",
        "condition": str(gewerbe.id)})
    assert 'id="condition-error"' in html(response)
    assert _survey("umfrage").questions[0].condition_option_id is None
    later = next(q for q in _survey("umfrage").questions if q.title == "Warum?")
    source = client.post(f"/manage/surveys/umfrage/questions/{count.id}/edit", data={
        "title": "Wie viele Beschäftigte?", "page": "2", "number_min": "0"})
    assert source.status_code in (200, 302)
    assert later.condition_option_id == gewerbe.id


def test_an_option_of_another_survey_is_refused_by_the_service(app, staff):
    from mitwirkung.surveys.setup import questions
    from mitwirkung.surveys.setup import services as setup

    survey = draft_survey(slug="umfrage")
    other = draft_survey(slug="andere")
    foreign = other.questions[0].options[0]
    with pytest.raises(setup.ConditionBroken):
        questions.add_question(survey, staff, questions.QuestionData(
            kind="text", title="Warum?", page=2, condition_option_id=foreign.id))


def test_moving_a_question_before_the_answer_it_depends_on_is_refused(app, as_):
    survey = draft_survey(slug="umfrage")
    who, count = survey.questions
    client = as_("staff")
    # Up once: onto page 1, after the answer it depends on.
    client.post(f"/manage/surveys/umfrage/questions/{count.id}/move",
                data={"direction": "up"}, follow_redirects=True)
    survey = _survey("umfrage")
    assert [(q.title, q.page) for q in survey.questions] == [
        ("Wer sind Sie?", 1), ("Wie viele Beschäftigte?", 1)]
    # Up again would put it before that answer.
    response = client.post(f"/manage/surveys/umfrage/questions/{count.id}/move",
                           data={"direction": "up"}, follow_redirects=True)
    assert "must stay after" in html(response)
    assert [q.title for q in _survey("umfrage").questions] == [
        "Wer sind Sie?", "Wie viele Beschäftigte?"]
def test_questions_move_up_and_down_across_pages(app, as_):
    survey = factories.survey(slug="umfrage", status="draft")
    a = factories.question(survey, QuestionKind.TEXT, "A", page=1)
    factories.question(survey, QuestionKind.TEXT, "B", page=1)
    c = factories.question(survey, QuestionKind.TEXT, "C", page=2)
    client = as_("staff")

    def order():
        return [(q.title, q.page) for q in _survey("umfrage").questions]

    client.post(f"/manage/surveys/umfrage/questions/{a.id}/move", data={"direction": "down"})
    assert order() == [("B", 1), ("A", 1), ("C", 2)]
    client.post(f"/manage/surveys/umfrage/questions/{a.id}/move", data={"direction": "down"})
    assert order() == [("B", 1), ("A", 2), ("C", 2)]
    client.post(f"/manage/surveys/umfrage/questions/{c.id}/move", data={"direction": "up"})
    assert order() == [("B", 1), ("C", 2), ("A", 2)]
    client.post(f"/manage/surveys/umfrage/questions/{c.id}/move", data={"direction": "up"})
    assert order() == [("B", 1), ("C", 1), ("A", 2)]
    response = client.post(f"/manage/surveys/umfrage/questions/{a.id}/move",
                           data={"direction": "sideways"})
    assert response.status_code == 302
    assert order() == [("B", 1), ("C", 1), ("A", 2)]


def test_editing_options_keeps_those_a_condition_uses(app, as_):
    survey = draft_survey(slug="umfrage")
    who = survey.questions[0]
    gewerbe_id = factories.option(who, "Gewerbe").id
    client = as_("staff")
    # A typo fixed in place and a new option: Gewerbe keeps its row.
    response = client.post(f"/manage/surveys/umfrage/questions/{who.id}/edit", data={
        "title": "Wer sind Sie?", "page": "1", "options": "Einwohnerin\nGewerbe\nVerein"})
    assert response.status_code == 302, html(response)
    who = _survey("umfrage").questions[0]
    assert [o.label for o in who.options] == ["Einwohnerin", "Gewerbe", "Verein"]
    assert who.options[1].id == gewerbe_id
    # Removing Gewerbe is refused: the second question depends on it.
    response = client.post(f"/manage/surveys/umfrage/questions/{who.id}/edit", data={
        "title": "Wer sind Sie?", "page": "1", "options": "Einwohnerin\nVerein"})
    assert "depending on an option you removed" in html(response)
    assert "Einwohnerin\nVerein" in html(response)  # what was typed stays
    assert len(_survey("umfrage").questions[0].options) == 3


def test_a_question_others_depend_on_is_not_deleted(app, as_):
    survey = draft_survey(slug="umfrage")
    who, count = survey.questions
    client = as_("staff")
    assert "change its condition first" in html(
        client.get(f"/manage/surveys/umfrage/questions/{who.id}/delete"))
    client.post(f"/manage/surveys/umfrage/questions/{who.id}/delete")
    assert len(_survey("umfrage").questions) == 2
    assert client.post(f"/manage/surveys/umfrage/questions/{count.id}/delete").status_code == 302
    assert [q.title for q in _survey("umfrage").questions] == ["Wer sind Sie?"]


# The lock ------------------------------------------------------------------------------


def _structure(slug):
    survey = _survey(slug)
    return [(q.id, q.kind, q.page, q.position, q.required, q.condition_option_id,
             q.number_min, [(o.id, o.is_correct) for o in q.options],
             [s.id for s in q.statements]) for q in survey.questions]


def test_a_locked_survey_refuses_every_structural_post(app, as_):
    survey = answered(draft_survey(slug="umfrage"))
    who, count = survey.questions
    before = _structure("umfrage")
    client = as_("staff")
    base = "/manage/surveys/umfrage/questions"
    assert client.get(f"{base}/new").status_code == 403
    assert client.post(f"{base}/new?kind=text", data={"title": "Neu", "page": "1"}
                       ).status_code == 403
    assert client.get(f"{base}/{count.id}/delete").status_code == 403
    assert client.post(f"{base}/{count.id}/delete").status_code == 403
    assert client.post(f"{base}/{count.id}/move", data={"direction": "up"}).status_code == 403
    # The edit form takes the wording only: settings sent along change nothing.
    response = client.post(f"{base}/{count.id}/edit", data={
        "title": "Wie viele Beschäftigte?", "page": "1", "required": "y", "number_min": "5",
        "condition": "", "unit": "Personen"})
    assert response.status_code == 302
    # One more option, or one fewer, is refused at the field.
    response = client.post(f"{base}/{who.id}/edit", data={
        "title": "Wer sind Sie?", "options": "Einwohner\nGewerbe\nVerein"})
    assert response.status_code == 200
    assert "keep one line for each of the 2 options" in html(response)
    assert _structure("umfrage") == before


def test_typo_fixes_stay_possible_and_are_audited_with_before_and_after(app, as_):
    survey = answered(draft_survey(slug="umfrage"))
    who, count = survey.questions
    client = as_("staff")
    page = html(client.get(f"/manage/surveys/umfrage/questions/{who.id}/edit"))
    assert "only the wording can be corrected" in page
    assert 'name="page"' not in page and 'name="condition"' not in page
    response = client.post(f"/manage/surveys/umfrage/questions/{who.id}/edit", data={
        "title": "Wer sind Sie?", "help_text": "Bitte eine Antwort.",
        "options": "Einwohnerin oder Einwohner\nGewerbe"})
    assert response.status_code == 302
    assert [o.label for o in _survey("umfrage").questions[0].options] == [
        "Einwohnerin oder Einwohner", "Gewerbe"]
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "survey.question_wording"))
    assert {"field": "option", "before": "Einwohner", "after": "Einwohnerin oder Einwohner",
            "number": 1} in entry.details["changes"]
    audit = html(as_("admin").get("/admin/audit"))
    assert "from “Einwohner” to “Einwohnerin oder Einwohner”" in audit


# Lists, sections, queries --------------------------------------------------------------


def test_the_staff_list_shows_every_survey_in_few_queries(app, as_, count_queries):
    for n in range(6):
        survey = draft_survey(slug=f"umfrage-{n}")
    factories.survey(slug="offen", audience="staff")
    client = as_("staff")
    page = html(client.get("/manage/surveys"))
    assert "umfrage-5" in page and "City staff only" in page
    assert count_queries(client, "/manage/surveys") <= 10
    assert count_queries(client, f"/manage/surveys/{survey.slug}") <= 10
    question = survey.questions[1]
    assert count_queries(client, f"/manage/surveys/{survey.slug}/questions/{question.id}/edit"
                         ) <= 10
    assert count_queries(client, f"/manage/surveys/{survey.slug}/questions/new?kind=single"
                         ) <= 10


def test_project_pages_list_the_surveys_each_viewer_may_see(app, as_):
    project = project_factories.project(slug="welt")
    factories.survey(project, slug="fuer-alle", title="Für alle", audience="public")
    factories.survey(project, slug="intern", title="Intern", audience="staff")
    factories.survey(project, slug="entwurf", title="Entwurf", status="draft")
    public = html(as_("citizen").get("/projects/welt"))
    assert 'href="/surveys/fuer-alle"' in public
    assert "Intern" not in public and "Entwurf" not in public
    staff_view = html(as_("staff").get("/projects/welt"))
    assert "Intern" in staff_view and "Entwurf" in staff_view
    staff_page = html(as_("staff").get(f"/manage/projects/{project.id}/edit"))
    for slug in ("fuer-alle", "intern", "entwurf"):
        assert f'href="/manage/surveys/{slug}"' in staff_page
    assert f'href="/manage/surveys/new?project={project.id}"' in staff_page
