"""Who may open which project route: role x route x method -> status."""

from urllib.parse import parse_qs, urlsplit

from flask import url_for

from mitwirkung.extensions import db

from . import factories

ROLES = ("visitor", "citizen", "moderator", "staff", "admin")
LOGIN = 302  # visitors are sent to the login page


def everyone(status):
    return dict.fromkeys(ROLES, status)


def staff_only(status):
    return {"visitor": LOGIN, "citizen": 403, "moderator": 403, "staff": status, "admin": status}


def drafts_hidden():
    return {"visitor": 404, "citizen": 404, "moderator": 404, "staff": 200, "admin": 200}


# (method, URL with {placeholders} from world(), expected status per role)
MATRIX = [
    ("GET", "/", everyone(200)),
    ("GET", "/projects/{published}", everyone(200)),
    ("GET", "/projects/{archived}", everyone(200)),
    ("GET", "/projects/{draft}", drafts_hidden()),
    ("GET", "/projects/no-such-project", everyone(404)),
    ("GET", "/manage/projects", staff_only(200)),
    ("GET", "/manage/projects/new", staff_only(200)),
    ("POST", "/manage/projects/new", staff_only(200)),
    ("GET", "/manage/projects/{draft_id}/edit", staff_only(200)),
    ("POST", "/manage/projects/{draft_id}/edit", staff_only(200)),
    ("GET", "/manage/projects/999999/edit", staff_only(404)),
    ("POST", "/manage/projects/{draft_id}/publish", staff_only(302)),
    ("GET", "/manage/projects/{draft_id}/publish", everyone(405)),
    ("POST", "/manage/projects/{published_id}/archive", staff_only(302)),
    ("GET", "/manage/projects/{published_id}/archive", everyone(405)),
    ("GET", "/manage/projects/{draft_id}/phases/new", staff_only(200)),
    ("POST", "/manage/projects/{draft_id}/phases/new", staff_only(200)),
    ("GET", "/manage/projects/{draft_id}/phases/{draft_phase}/edit", staff_only(200)),
    ("POST", "/manage/projects/{draft_id}/phases/{draft_phase}/edit", staff_only(200)),
    ("GET", "/manage/projects/{published_id}/phases/{draft_phase}/edit", staff_only(404)),
    ("POST", "/manage/projects/{draft_id}/phases/{draft_phase}/delete", staff_only(302)),
    ("GET", "/manage/projects/{draft_id}/phases/{draft_phase}/delete", everyone(405)),
    ("GET", "/manage/projects/{draft_id}/documents/new", staff_only(200)),
    ("POST", "/manage/projects/{draft_id}/documents/new", staff_only(200)),
    ("POST", "/manage/projects/{draft_id}/documents/{draft_document}/delete", staff_only(302)),
    ("POST", "/manage/projects/{published_id}/documents/{draft_document}/delete", staff_only(404)),
    ("GET", "/manage/projects/{draft_id}/documents/{draft_document}/delete", everyone(405)),
]


def world() -> dict:
    """A published, an archived and a draft project, the draft with a phase and a document."""
    published = factories.project(status="published", phases=[(-5, 5)])
    archived = factories.project(status="archived")
    draft = factories.project(status="draft", phases=[(1, 9)])
    document = factories.document(draft)
    db.session.commit()
    return {
        "published": published.slug,
        "published_id": published.id,
        "archived": archived.slug,
        "draft": draft.slug,
        "draft_id": draft.id,
        "draft_phase": draft.phases[0].id,
        "draft_document": document.id,
    }


def test_project_routes_answer_each_role_as_the_matrix_says(app, clients):
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


def test_visitor_on_a_staff_route_is_sent_to_the_login_page_and_back(app, clients):
    response = clients["visitor"].get("/manage/projects")
    with app.test_request_context():
        login = url_for("accounts.login")
    location = urlsplit(response.headers["Location"])
    assert response.status_code == 302
    assert location.path == login
    assert parse_qs(location.query)["next"] == ["/manage/projects"]
