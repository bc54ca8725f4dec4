"""Issue 15 in the browser: a visitor reports a barrier as a person would, an admin reads it,
gives the site the city's name, logo and colour, and uploads a sign-language video that a
visitor then plays on the Leichte Sprache page. axe-core and a 320 px phone on every page."""

import re

from sqlalchemy import select

from mitwirkung.extensions import db
from mitwirkung.pages.models import AccessibilityFeedback, SiteSettings

from ..media import VTT
from ..projects.factories import image_bytes
from .a11y import check_page
from .test_staff_pages import log_in

# Records a real WebM video in Chromium: a canvas painted in turns, for about a second.
RECORD_WEBM = """async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 160; canvas.height = 120;
  document.body.append(canvas);
  const paint = canvas.getContext('2d');
  const recorder = new MediaRecorder(canvas.captureStream(10), {mimeType: 'video/webm'});
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  recorder.start();
  for (let frame = 0; frame < 12; frame++) {
    paint.fillStyle = frame % 2 ? '#0b5a8a' : '#ffbf47';
    paint.fillRect(0, 0, 160, 120);
    await new Promise((done) => setTimeout(done, 100));
  }
  const stopped = new Promise((done) => { recorder.onstop = done; });
  recorder.stop();
  await stopped;
  return Array.from(new Uint8Array(await new Blob(chunks).arrayBuffer()));
}"""


def test_a_visitor_reports_a_barrier_from_the_footer_of_a_page(page, live_server):
    page.goto("/projects/pfalztheater")
    page.locator("footer").get_by_role("link", name="Barriere melden").click()
    page.wait_for_url(re.compile(r"/accessibility/feedback\?page="))
    assert page.locator("#page").input_value() == "/projects/pfalztheater"
    check_page(page, "feedback-form")

    page.get_by_role("button", name="Nachricht senden").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "Bitte beschreiben Sie das Problem." in summary.inner_text()
    assert page.locator("#page").input_value() == "/projects/pfalztheater"
    check_page(page, "feedback-form-errors")

    # Name and e-mail address stay empty, as most people will leave them.
    page.get_by_label("Was ist das Problem?").fill(
        "Die Skizzen der Entwürfe lassen sich nicht vergrößern.")
    page.get_by_role("button", name="Nachricht senden").click()
    page.wait_for_url("**/accessibility/feedback/sent")
    assert page.locator("h1").inner_text() == "Vielen Dank für Ihre Nachricht"
    assert "keine E-Mail-Adresse angegeben" in page.locator("main").inner_text()
    check_page(page, "feedback-sent")

    with live_server.app.app_context():
        stored = db.session.scalars(select(AccessibilityFeedback).order_by(
            AccessibilityFeedback.id.desc())).first()
        assert stored.message == "Die Skizzen der Entwürfe lassen sich nicht vergrößern."
        assert (stored.page, stored.name, stored.email) == ("/projects/pfalztheater", "", "")

    log_in(page, live_server, "admin")
    page.goto("/pages/barrierefreiheit")
    check_page(page, "statement-admin")
    page.get_by_role("link", name="Rückmeldungen lesen").click()
    assert "Die Skizzen der Entwürfe" in page.locator("main").inner_text()
    check_page(page, "feedback-list")


def test_the_city_brands_the_site_and_a_visitor_plays_the_sign_language_video(
        page, live_server, tmp_path):
    try:
        _brand_and_upload(page, live_server, tmp_path)
    finally:
        with live_server.app.app_context():  # the other tests see the demo's plain site
            settings = db.session.get(SiteSettings, 1)
            if settings is not None:
                db.session.delete(settings)
                db.session.commit()


def _brand_and_upload(page, live_server, tmp_path):
    page.goto("/pages/leichte-sprache")
    assert page.locator("video").count() == 0
    check_page(page, "easy-language-without-video")

    log_in(page, live_server, "admin")
    page.get_by_role("link", name="Einstellungen").click()
    check_page(page, "settings")
    page.get_by_label("Name der Stadt").fill("Stadt Musterstadt")
    page.get_by_label("Farbe der Stadt").fill("#ffdd00")
    page.get_by_role("button", name="Einstellungen speichern").click()
    assert "dunklere Farbe" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Name der Stadt").input_value() == "Stadt Musterstadt"
    check_page(page, "settings-errors")

    logo = tmp_path / "wappen.png"
    logo.write_bytes(image_bytes(size=(120, 120)))
    page.get_by_label("Farbe der Stadt").fill("#1d5e20")
    page.get_by_label("Logo", exact=True).set_input_files(str(logo))
    page.get_by_label("Beschreibung des Logos (Alternativtext)").fill("Wappen von Musterstadt")
    page.get_by_role("button", name="Einstellungen speichern").click()
    assert "Die Einstellungen sind gespeichert." in page.locator(".flashes").inner_text()
    brand = page.locator("header .brand")
    assert "Stadt Musterstadt" in brand.inner_text()
    assert brand.locator("img").get_attribute("alt") == "Wappen von Musterstadt"
    header_colour = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert header_colour != "rgb(8, 63, 97)"  # no longer the default dark blue
    check_page(page, "settings-saved")

    webm = bytes(page.evaluate(RECORD_WEBM))
    assert webm[:4] == b"\x1a\x45\xdf\xa3"
    page.goto("/admin/sign-language-video")
    check_page(page, "sign-video-form")
    page.get_by_label("Video in Deutscher Gebärdensprache").set_input_files(
        files=[{"name": "gebaerden.webm", "mimeType": "video/webm", "buffer": webm}])
    page.get_by_label("Untertitel (WebVTT)").set_input_files(
        files=[{"name": "untertitel.vtt", "mimeType": "text/vtt", "buffer": VTT}])
    page.get_by_role("button", name="Video speichern").click()
    page.wait_for_url("**/pages/leichte-sprache")

    page.context.clear_cookies()
    page.goto("/")
    page.locator("header").get_by_role("link", name="Gebärdensprache").click()
    page.wait_for_url("**/pages/leichte-sprache#sign-language")
    video = page.locator("video")
    assert video.get_attribute("controls") is not None
    page.wait_for_function("document.querySelector('video').readyState >= 1")
    assert page.evaluate("document.querySelector('video').duration") > 0
    page.wait_for_function("document.querySelector('track').readyState === 2")
    assert page.evaluate("document.querySelector('track').track.cues.length") == 1
    assert page.locator("track").get_attribute("srclang") == "de"
    check_page(page, "easy-language-with-video")


def test_a_keyboard_user_finds_leichte_sprache_and_reports_a_barrier(page, live_server):
    """Only Tab, Enter and typing, from the start page: the skip link, Leichte Sprache in
    the header, the statement and the feedback form in the footer."""
    from .test_vote_flow import tab_to

    page.goto("/")
    tab_to(page, "a[href='/pages/leichte-sprache']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().startswith("MitWirkung in Leichter Sprache")
    tab_to(page, "footer a[href='/pages/barrierefreiheit']", limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "main a[href^='/accessibility/feedback']", limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "textarea[name=message]")
    page.keyboard.type("Der Kontrast der Fußzeile ist mir zu schwach.")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Vielen Dank für Ihre Nachricht"
    check_page(page, "feedback-sent-keyboard")
