"""Versions of a text: a section keeps its id (and its comments) while its key stays, a
renamed heading makes a new section and the old one stays as an earlier one, every version
keeps its Markdown and each section's text, and each save is audited."""

import pytest
from sqlalchemy import select

from mitwirkung.core.audit import describe
from mitwirkung.core.models import AuditEntry
from mitwirkung.documents import services
from mitwirkung.documents.models import INTRO_KEY, SectionVersion, TextVersion
from mitwirkung.extensions import db

from . import factories
from .factories import GUIDELINES, section


def test_the_first_version_makes_a_section_per_heading_and_the_introduction(document):
    assert [s.key for s in document.sections] == [
        INTRO_KEY, "praeambel", "1-ziele", "2-vorhabenliste", "3-beteiligung"]
    assert document.current_version == 1
    assert all(s.is_current and not s.was_changed for s in document.sections)
    assert section(document, "1-ziele").text_html.strip() == (
        "<p>Beteiligung soll früh beginnen.</p>")


def test_a_new_version_keeps_sections_whose_heading_stays(document):
    ids = {s.key: s.id for s in document.sections}
    comment = factories.comment(section(document, "2-vorhabenliste"))
    changed = GUIDELINES.replace("zweimal im Jahr", "vierteljährlich")
    report = factories.version(document, changed)
    assert report.number == 2 and report.changed == ["2. Vorhabenliste"]
    assert len(report.unchanged) == 4 and not report.added and not report.removed
    assert {s.key: s.id for s in document.sections} == ids
    listed = section(document, "2-vorhabenliste")
    assert listed.changed_in == 2 and listed.was_changed and listed.is_current
    assert "vierteljährlich" in listed.text_html
    assert comment.section_id == listed.id and comment.version == 1
    assert section(document, "1-ziele").changed_in == 1


def test_a_renamed_heading_makes_a_new_section_and_keeps_the_old_one_with_its_comments(
        document):
    old = section(document, "3-beteiligung")
    comment = factories.comment(old, text="Auch Kinder!")
    report = factories.version(document, GUIDELINES.replace("# 3. Beteiligung",
                                                            "# 3. Wer sich beteiligt"))
    assert report.added == ["3. Wer sich beteiligt"] and report.removed == ["3. Beteiligung"]
    assert not old.is_current and old.last_version == 1
    assert old.text == "Alle Menschen, die in der Stadt leben, können sich beteiligen."
    assert comment.section_id == old.id
    new = section(document, "3-wer-sich-beteiligt")
    assert new.is_current and new.first_version == 2 and new.id != old.id
    page = services.text_page(document)
    assert [line.section.key for line in page.earlier] == ["3-beteiligung"]
    assert page.earlier[0].comments == 1


def test_a_section_that_comes_back_gets_its_old_comments_back(document):
    old = section(document, "1-ziele")
    without = GUIDELINES.replace("# 1. Ziele\n\nBeteiligung soll früh beginnen.\n\n", "")
    factories.version(document, without)
    assert not old.is_current
    report = factories.version(document, GUIDELINES)
    assert report.added == ["1. Ziele"] and old.is_current and old.changed_in == 3


def test_duplicate_headings_keep_their_order_of_numbers(project):
    document = factories.text(project, "# Ziele\nerstens\n# Ziele\nzweitens\n")
    first, second = document.sections
    factories.version(document, "# Ziele\nerstens, neu\n# Ziele\nzweitens\n")
    assert (first.key, second.key) == ("ziele", "ziele-2")
    assert first.changed_in == 2 and second.changed_in == 1


def test_every_version_keeps_its_markdown_and_each_sections_text(document):
    factories.version(document, GUIDELINES.replace("früh", "sehr früh"))
    versions = db.session.scalars(select(TextVersion).where(
        TextVersion.document_id == document.id).order_by(TextVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].markdown == GUIDELINES and "sehr früh" in versions[1].markdown
    texts = db.session.scalars(select(SectionVersion.text).where(
        SectionVersion.section_id == section(document, "1-ziele").id)).all()
    assert sorted(texts) == ["Beteiligung soll früh beginnen.",
                             "Beteiligung soll sehr früh beginnen."]


def test_the_same_text_again_is_no_new_version(document):
    with pytest.raises(services.NothingChanged):
        services.new_version(document, None, GUIDELINES.replace("\n", "\r\n"))
    assert document.current_version == 1


def test_a_comment_records_the_version_it_was_made_on(document, people):
    from mitwirkung.comments import services as comments

    part = section(document, "1-ziele")
    first, _ = comments.post("section", part, people["citizen"], "Zu früh?",
                             submission_key="k" * 20)
    factories.version(document, GUIDELINES.replace("früh", "sehr früh"))
    second, _ = comments.post("section", part, people["citizen"], "Besser.",
                              submission_key="l" * 20)
    assert (first.version, second.version) == (1, 2)


def test_a_section_of_an_earlier_version_takes_no_comments(document, people):
    from mitwirkung.comments import services as comments

    old = section(document, "3-beteiligung")
    factories.version(document, GUIDELINES.replace("3. Beteiligung", "3. Alle"))
    with pytest.raises(comments.CommentingClosed):
        comments.post("section", old, people["citizen"], "Noch da?", submission_key="m" * 20)


def test_a_section_too_complex_to_render_is_named_and_nothing_is_saved(project):
    text = "# Ruhig\nText\n# Wild\n" + "[x]" * 600
    with pytest.raises(services.SectionTooComplex, match="Wild"):
        factories.text(project, text)
    assert not services.texts_with_totals(project)


def test_creating_and_new_versions_are_audited_in_sentences(app, document):
    factories.version(document, GUIDELINES.replace("# 3. Beteiligung", "# 3. Wer")
                      .replace("früh", "sehr früh"))
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.target_type == "text_documents", AuditEntry.target_id == document.id)
        .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["text.create", "text.version"]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask import session
        session["lang"] = "en"
        created, version = (line.sentence for line in describe(entries))
    assert created == "Text “Leitlinien” created with 5 sections (version 1)"
    assert version == ("Version 2 of text “Leitlinien” saved; 3 sections unchanged; "
                       "changed: “1. Ziele”; added: “3. Wer”; removed: “3. Beteiligung”")


def test_settings_check_the_commenting_days(document):
    from datetime import date

    with pytest.raises(services.CommentDaysReversed):
        services.update_settings(document, None, services.TextSettings(
            "Leitlinien", comments_from=date(2024, 3, 29), comments_until=date(2024, 3, 8)))
    changed = services.update_settings(document, None, services.TextSettings(
        "Leitlinien", comments_from=date(2024, 3, 8), comments_until=date(2024, 3, 29)))
    assert changed == ["comments_from", "comments_until"]
