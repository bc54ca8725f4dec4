"""Reporting a barrier (BITV 2.0 § 7): without an account or JavaScript, stored, mailed to
the configured address or to every admin, rate-limited, and read by admins only."""

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.pages import feedback as feedback_services
from mitwirkung.pages.models import AccessibilityFeedback
from mitwirkung.pages.settings import SettingsValues, save_settings

from .. import factories
from ..conftest import signed_in_client

FORM = "/accessibility/feedback"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(AccessibilityFeedback))


def test_a_visitor_reports_a_barrier_with_only_a_message(client, admin, outbox):
    response = client.post(FORM, data={"message": "Der Knopf „Abstimmen“ ist zu blass.",
                                       "page": "", "name": "", "email": ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/accessibility/feedback/sent")
    [stored] = db.session.scalars(select(AccessibilityFeedback))
    assert stored.message == "Der Knopf „Abstimmen“ ist zu blass."
    assert (stored.name, stored.email, stored.page) == ("", "", "")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vielen Dank" in page and "keine E-Mail-Adresse angegeben" in page
    [mail] = [m for m in outbox() if m["To"] == admin.email]
    body = mail.get_content()
    assert f"Guten Tag {admin.first_name}," in body
    assert "Der Knopf „Abstimmen“ ist zu blass." in body
    assert "http://mitwirkung.test/admin/feedback" in body


def test_with_an_address_the_confirmation_says_an_answer_comes(client, admin):
    response = client.post(FORM, data={"message": "Kontrast", "email": "Leser@Example.org",
                                       "name": "Lea Leser", "page": "/projects/platz"})
    stored = db.session.scalars(select(AccessibilityFeedback)).one()
    assert (stored.email, stored.name, stored.page) == ("leser@example.org", "Lea Leser",
                                                        "/projects/platz")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "antworten Ihnen an die E-Mail-Adresse" in page


def test_feedback_goes_to_the_configured_address_instead_of_the_admins(
        app, client, admin, outbox):
    # Set up in a request context of its own: one shared with the requests would keep
    # what the first of them loaded (the signed-in user, the settings) for all of them.
    with app.test_request_context():
        save_settings(admin, SettingsValues("", "", "", "barrierefrei@stadt.example"))
        db.session.commit()
    client.post(FORM, data={"message": "Video ohne Untertitel"})
    mails = outbox()
    assert [m["To"] for m in mails] == ["barrierefrei@stadt.example"]
    assert mails[0].get_content().startswith("Guten Tag,")


def test_every_active_admin_gets_the_mail_when_no_address_is_set(app, client, admin, outbox):
    second = factories.user(role="admin", first_name="Jonas")
    factories.user(role="admin", blocked_at=utcnow())
    factories.user(role="staff")
    client.post(FORM, data={"message": "Tabelle ohne Überschriften"})
    addressed = {m["To"]: m.get_content() for m in outbox()}
    assert set(addressed) == {admin.email, second.email}
    assert addressed[second.email].startswith("Guten Tag Jonas,")


def test_a_failed_form_shows_the_error_summary_and_keeps_what_was_typed(client):
    response = client.post(FORM, data={"message": "  ", "name": "Lea Leser",
                                       "email": "lea@", "page": "/pages/impressum"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and count() == 0
    assert 'class="error-summary"' in html
    assert "Bitte beschreiben Sie das Problem." in html
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in html
    assert 'value="Lea Leser"' in html and 'value="lea@"' in html
    assert 'value="/pages/impressum"' in html
    assert html.index("error-summary") < html.index('id="message"')


def test_hostile_input_is_stored_as_text_and_escaped_everywhere(app, client, admin, outbox):
    client.post(FORM, data={"message": HOSTILE, "name": HOSTILE[:100],
                            "page": "javascript:alert(1)"})
    html = signed_in_client(app, admin).get("/admin/feedback").get_data(as_text=True)
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "<script>" not in main and "<img" not in main
    assert "&lt;script&gt;" in main
    assert 'href="javascript:' not in main
    assert HOSTILE in outbox()[0].get_content()  # plain text mail: as typed, nothing runs


@pytest.mark.parametrize(
    ("given", "prefilled"),
    [("/projects/pfalztheater", "/projects/pfalztheater"),
     ("https://evil.example/phish", ""), ("//evil.example", ""), ("/\\evil.example", ""),
     ("javascript:alert(1)", ""), ("/%09/evil.example", "/%09/evil.example"),
     ('/x"><script>alert(1)</script>', '/x"><script>alert(1)</script>'),
     ("/" + "a" * 600, "")],
    ids=["local", "absolute", "protocol-relative", "backslash", "javascript", "tab-encoded",
         "quote", "too-long"],
)
def test_the_page_parameter_prefills_only_local_paths_and_is_escaped(client, given, prefilled):
    html = client.get(FORM, query_string={"page": given}).get_data(as_text=True)
    field = re.search(r'<input[^>]*id="page"[^>]*>', html).group(0)
    value = re.search(r'value="([^"]*)"', field)
    assert unescape(value.group(1) if value else "") == prefilled
    assert "<script>alert(1)" not in html


def test_the_footer_link_names_the_page_it_is_on_but_never_a_token(client):
    html = client.get("/pages/impressum").get_data(as_text=True)
    assert 'href="/accessibility/feedback?page=/pages/impressum"' in html
    html = client.get("/confirm/secret-token-123").get_data(as_text=True)
    assert "secret-token-123" not in html.split('<footer', 1)[1]


def test_the_form_is_rate_limited(client):
    statuses = [client.post(FORM, data={"message": f"Nachricht {n}"}).status_code
                for n in range(6)]
    assert statuses == [302] * 5 + [429]
    assert count() == 5


def test_the_form_needs_a_csrf_token(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(FORM, data={"message": "ohne Token"}).status_code == 400
    html = client.get(FORM).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(FORM, data={"message": "mit Token", "csrf_token": token})
    assert response.status_code == 302 and count() == 1


def test_admins_read_the_messages_newest_first_with_local_pages_linked(app, admin):
    with app.test_request_context():
        feedback_services.submit_feedback("Erste", page="/projects/platz")
        feedback_services.submit_feedback("Zweite", email="a@example.org", page="Startseite")
        db.session.commit()
    html = signed_in_client(app, admin).get("/admin/feedback").get_data(as_text=True)
    assert html.index("Zweite") < html.index("Erste")
    assert '<a href="/projects/platz">/projects/platz</a>' in html
    assert 'href="mailto:a@example.org"' in html and ">Startseite<" in html


def test_the_confirmation_page_needs_nothing_and_changes_nothing(client):
    assert client.get("/accessibility/feedback/sent").status_code == 200
    assert count() == 0
