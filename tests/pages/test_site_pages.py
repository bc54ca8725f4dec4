"""The pages every city's site needs, prefilled: accessibility statement, Leichte Sprache,
privacy notice and imprint; texts that promise only what the platform does today; demo
content that agrees with its own dates."""

import re
from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from mitwirkung.core.sanitize import markdown_problem
from mitwirkung.core.time import local_today, utc_to_local
from mitwirkung.demo import load_demo
from mitwirkung.extensions import db
from mitwirkung.pages.defaults import SITE_PAGES
from mitwirkung.pages.models import Page
from mitwirkung.projects.models import Project
from mitwirkung.votes.models import Vote

from ..conftest import signed_in_client


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def english(client):
    client.post("/language", data={"lang": "en"})
    return client


@pytest.mark.parametrize("slug", list(SITE_PAGES))
def test_every_prefilled_text_renders_within_the_markdown_bounds(slug):
    assert markdown_problem(SITE_PAGES[slug][1]) is None


def test_the_statement_has_the_sections_of_the_model_statement_and_a_feedback_link(client):
    html = main_of(client.get("/pages/barrierefreiheit").get_data(as_text=True))
    assert "<h1>Erklärung zur Barrierefreiheit</h1>" in html
    for heading in ("Stand der Vereinbarkeit mit den Anforderungen",
                    "Nicht barrierefreie Inhalte",
                    "Erstellung dieser Erklärung zur Barrierefreiheit",
                    "Feedback und Kontaktangaben", "Schlichtungsverfahren"):
        assert f"<h2>{heading}</h2>" in html
    assert "§ 16 BGG" in html and "info@schlichtungsstelle-bgg.de" in html
    assert "[BITTE ERGÄNZEN" in html  # the gaps the operator fills stand out
    assert 'href="/accessibility/feedback"' in html


def test_every_page_links_the_statement_the_feedback_form_and_leichte_sprache(client):
    for path in ("/", "/login", "/pages/impressum"):
        footer = client.get(path).get_data(as_text=True).split("<footer", 1)[1]
        assert 'href="/pages/barrierefreiheit"' in footer
        assert 'href="/accessibility/feedback?page=' in footer
        assert 'href="/pages/leichte-sprache"' in footer


def test_leichte_sprache_is_reached_from_the_start_page(client):
    html = client.get("/").get_data(as_text=True)
    header = html.split("</header>", 1)[0]
    assert '<a href="/pages/leichte-sprache" hreflang="de">Leichte Sprache</a>' in header


def test_leichte_sprache_explains_the_site_in_short_sentences(client):
    html = main_of(client.get("/pages/leichte-sprache").get_data(as_text=True))
    assert 'class="page-text easy-language"' in html
    for topic in ("Was ist MitWirkung?", "So machen Sie mit", "Abstimmen auf Papier",
                  "Hier bekommen Sie Hilfe"):
        assert topic in html
    text = re.sub(r"<[^>]+>", "\n", html)
    sentences = [s for s in re.split(r"(?<=[.?!:])\s+", text) if s.strip()]
    assert max(len(s.split()) for s in sentences) <= 14  # short sentences, one a line
    for abbreviation in ("z. B.", "z.B.", "bzw.", "usw.", "ggf.", "d. h."):
        assert abbreviation not in text


def test_in_english_the_german_page_texts_are_marked_german(client):
    english(client)
    for slug in SITE_PAGES:
        html = client.get(f"/pages/{slug}").get_data(as_text=True)
        assert '<html lang="en">' in html
        assert re.search(r'<article class="page-text[^"]*" lang="de">', html), slug
    header = client.get("/").get_data(as_text=True).split("</header>", 1)[0]
    assert 'hreflang="de">Easy-to-read German</a>' in header


def test_the_imprint_keeps_its_line_breaks_and_has_a_contact(app, admin, client):
    signed_in_client(app, admin).post("/pages/impressum/edit", data={
        "title": "Impressum",
        "body": "Stadtverwaltung Musterstadt\nRathausplatz 1\n67657 Musterstadt\n\n"
                "## Kontakt\n\nTelefon: 0631 000-0\nE-Mail: <info@musterstadt.example>",
    })
    html = main_of(client.get("/pages/impressum").get_data(as_text=True))
    assert "Stadtverwaltung Musterstadt<br>\nRathausplatz 1<br>\n67657 Musterstadt" in html
    assert 'href="mailto:info@musterstadt.example"' in html


def test_the_prefilled_imprint_has_a_contact_section(client):
    html = main_of(client.get("/pages/impressum").get_data(as_text=True))
    assert "<h2>Kontakt</h2>" in html and "Telefon:" in html and "<br>" in html


def test_the_privacy_notice_says_who_sees_names_and_which_rights_there_are(client):
    html = main_of(client.get("/pages/datenschutz").get_data(as_text=True))
    assert "sehen nur die Administratorinnen und Administratoren" in html
    assert "Mitarbeitende der Stadt und Moderierende sehen sie nicht" in html
    for part in ("Verantwortliche Stelle", "Datenschutzbeauftragte", "Art. 6 Abs. 1 lit. e",
                 "Speicherdauer", "Art. 15", "Art. 16", "Art. 17", "Art. 18", "Art. 20",
                 "Art. 21", "Meine Daten herunterladen", "Mein Konto löschen",
                 "Aufsichtsbehörde", "Barriere melden"):
        assert part in html, part
    assert html.count("[BITTE ERGÄNZEN") >= 8


def test_admins_are_told_how_many_gaps_are_left_and_visitors_are_not(app, admin, client):
    text = client.get("/pages/datenschutz").get_data(as_text=True)
    assert "Lücken" not in text
    html = signed_in_client(app, admin).get("/pages/datenschutz").get_data(as_text=True)
    gaps = SITE_PAGES["datenschutz"][1].count("[BITTE ")
    assert f"Diese Seite hat noch {gaps} Lücken" in html


def test_a_saved_page_keeps_what_the_admin_wrote_instead_of_the_prefilled_text(app, admin,
                                                                             client):
    signed_in_client(app, admin).post("/pages/leichte-sprache/edit", data={
        "title": "Leichte Sprache", "body": "Hier steht ein Satz.\nUnd noch ein Satz."})
    html = main_of(client.get("/pages/leichte-sprache").get_data(as_text=True))
    assert "Hier steht ein Satz.<br>\nUnd noch ein Satz." in html
    assert "Was ist MitWirkung?" not in html


# Texts that are true -----------------------------------------------------------------------

PROMISES = re.compile(r"Idee|Umfrage|Kommentar|\bideas?\b|\bsurveys?\b|\bcomments?\b", re.I)
NOT_YET = re.compile(r"Umfrage|\bsurveys?\b", re.I)


def test_register_and_delete_pages_promise_only_what_exists(app, citizen, client):
    register = main_of(client.get("/register").get_data(as_text=True))
    assert "Abstimmungen" in register and not PROMISES.search(register)
    delete = main_of(signed_in_client(app, citizen).get("/account/delete").get_data(
        as_text=True))
    # Supports of ideas exist, and are withdrawn with the account; comments exist.
    assert "Stimmen" in delete and "Unterstützungen" in delete and "Kommentare" in delete
    assert not NOT_YET.search(delete)


def test_demo_content_promises_nothing_the_platform_lacks_and_agrees_with_its_dates(app):
    with app.test_request_context():
        load_demo()
        db.session.commit()
        projects = {p.slug: p for p in db.session.scalars(select(Project))}
        texts = [p.teaser + p.description for p in projects.values()]
        texts += [phase.description for p in projects.values() for phase in p.phases]
        texts += [page.body for page in db.session.scalars(select(Page))]
        for text in texts:
            assert "Reichen Sie Ihre Ideen ein" not in text and "2023" not in text
            assert "21. August" not in text

        pfalztheater = projects["pfalztheater"]
        voting = next(p for p in pfalztheater.phases if p.title == "Abstimmung")
        vote = db.session.scalar(select(Vote).where(Vote.slug == "pfalztheater"))
        assert utc_to_local(vote.opens_at).date() == voting.start_date
        assert utc_to_local(vote.closes_at).date() == voting.end_date

        def day(value):
            return format_date(value, "d. MMMM y", locale="de")

        assert f"Vom **{day(voting.start_date)}** bis zum **{day(voting.end_date)}**" in (
            pfalztheater.description)
        stadt = projects["stadt-raum-wir"]
        collecting = stadt.phases[0]
        assert f"Bis zum **{day(collecting.end_date)}**" in stadt.description
        assert collecting.start_date <= local_today() <= collecting.end_date
        assert collecting.end_date + timedelta(days=1) == stadt.phases[1].start_date
