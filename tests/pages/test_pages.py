"""Imprint and privacy pages, edited by admins."""

from sqlalchemy import select

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db

from ..conftest import signed_in_client


def test_legal_pages_exist_before_anyone_writes_them(client):
    for slug in ("impressum", "datenschutz"):
        response = client.get(f"/pages/{slug}")
        assert response.status_code == 200
        assert "<h1>" in response.get_data(as_text=True)


def test_admin_edits_the_imprint_and_it_is_audited(app, admin, client):
    editor = signed_in_client(app, admin)
    response = editor.post("/pages/impressum/edit", data={
        "title": "Impressum", "body": "## Stadt Kaiserslautern\n\nWilly-Brandt-Platz 1",
    })
    assert response.status_code == 302
    html = client.get("/pages/impressum").get_data(as_text=True)
    assert "<h2>Stadt Kaiserslautern</h2>" in html
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "page.edit"))
    assert entry.actor_id == admin.id


def test_page_text_is_sanitised(app, admin, client):
    signed_in_client(app, admin).post("/pages/datenschutz/edit", data={
        "title": "<script>alert(1)</script>Datenschutz",
        "body": "<img src=x onerror=alert(1)> [klick](javascript:alert(1)) <script>x()</script>",
    })
    html = client.get("/pages/datenschutz").get_data(as_text=True)
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    # Raw HTML stays visible as text, never an element; the javascript: link stays text.
    assert "<script" not in main and "<img" not in main and 'href="javascript' not in main
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Datenschutz" in html


def test_empty_title_keeps_the_typed_text(app, admin):
    response = signed_in_client(app, admin).post("/pages/impressum/edit", data={
        "title": "", "body": "Mein Entwurf",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Mein Entwurf" in html and "error-summary" in html


def test_a_body_of_only_line_breaks_saves_an_empty_page(app, admin, client):
    # 667 line breaks passed the form (Optional() skips blank text) and then broke the
    # Markdown bound when rendered: a 500 (found by tests/test_fuzz_forms.py).
    response = signed_in_client(app, admin).post("/pages/impressum/edit", data={
        "title": "Impressum", "body": "\n" * 667,
    })
    assert response.status_code == 302
    assert client.get("/pages/impressum").status_code == 200
