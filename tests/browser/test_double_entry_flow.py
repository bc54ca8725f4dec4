"""Double entry: staff import the Wochenmarkt file into a vote with double entry, an admin
imports the check entry, corrects the one card on which both differ and confirms the batch.
Every page passes axe-core."""

from pathlib import Path

from sqlalchemy import select

from .a11y import check_page
from .test_paper_flow import submit
from .test_staff_pages import log_in

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "ballots-wochenmarkt.csv"
BASE = "/manage/votes/doppelt/batches"


def make_double_entry_vote(live_server, slug="doppelt", title="Doppelt erfasst") -> None:
    """A copy of the demo vote's questions in a new vote with double entry on."""
    from mitwirkung.extensions import db
    from mitwirkung.votes.models import Option, Question, Vote

    with live_server.app.app_context():
        demo = db.session.scalar(select(Vote).where(Vote.slug == "pfalztheater"))
        vote = Vote(project_id=demo.project_id, slug=slug, title=title,
                    description="", opens_at=demo.opens_at, closes_at=demo.closes_at,
                    results_visibility="live", status="published", double_entry=True)
        for question in demo.questions:
            copy = Question(code=question.code, title=question.title, position=question.position)
            copy.options = [Option(code=o.code, title=o.title, position=o.position)
                            for o in question.options]
            vote.questions.append(copy)
        db.session.add(vote)
        db.session.commit()


def test_a_second_person_checks_an_imported_batch(page, live_server, tmp_path):
    make_double_entry_vote(live_server)
    log_in(page, live_server, "staff")
    page.goto(f"{BASE}/import")
    page.set_input_files("[name=file]", str(SAMPLE))
    page.fill("[name=station]", "Wochenmarkt")
    page.fill("[name=collected_on]", "2026-11-21")
    submit(page)
    submit(page)
    assert "wartet auf Kontrolle" in page.locator("main table").inner_text()
    check_page(page, "double-entry-batches")
    # Waits for the new page itself (wait_for_load_state could answer for the old one).
    with page.expect_navigation():
        page.locator("main a", has_text="Kontrollerfassung").first.click()
    assert "selbst erfasst" in page.locator("main").inner_text()
    check_page(page, "double-entry-check-refused")

    page.context.clear_cookies()
    log_in(page, live_server, "admin")
    page.goto(BASE)
    # Waits for the new page itself (wait_for_load_state could answer for the old one).
    with page.expect_navigation():
        page.locator("main a", has_text="Kontrollerfassung").first.click()
    check_page(page, "double-entry-check")
    page.locator("main a", has_text="CSV-Datei importieren").click()
    page.wait_for_load_state()
    check_page(page, "double-entry-check-import")
    # The same cards typed again, with one slip on the first card.
    text = SAMPLE.read_text(encoding="utf-8-sig").replace("W-0001;B;", "W-0001;C;", 1)
    typed_again = tmp_path / "kontrolle.csv"
    typed_again.write_text(text, encoding="utf-8")
    page.set_input_files("[name=file]", str(typed_again))
    submit(page)
    assert page.locator("#difference-count").inner_text() == "1"
    check_page(page, "double-entry-compare-differences")

    page.locator("main a", has_text="Kontrollerfassung korrigieren").click()
    page.wait_for_load_state()
    check_page(page, "double-entry-check-card")
    page.fill("[name=q-entwurf]", "B")
    submit(page)
    assert page.locator("#difference-count").inner_text() == "0"
    check_page(page, "double-entry-compare-agree")
    submit(page, "form[action$='/confirm'] button")
    assert "gezählt" in page.locator("main table").inner_text()

    page.goto("/votes/doppelt/results")
    assert "120" in page.locator("dl.facts").inner_text()
    check_page(page, "double-entry-results")
