"""The pages of a text as residents and staff meet them: the sections in order with their
counts, comments on an earlier version marked and what changed shown, creating a text and
new versions with every refusal keeping what was typed, the project's pages, and hostile
input that stays harmless."""

import io
import re

import pytest
from sqlalchemy import select

from mitwirkung.comments.models import Comment
from mitwirkung.core.moderation import ModerationState
from mitwirkung.documents.models import TextDocument
from mitwirkung.extensions import db

from ..projects import factories as project_factories
from . import factories
from .conftest import form_key
from .factories import GUIDELINES, section

TEXT = "/projects/beteiligung/texts/leitlinien"


def section_url(part) -> str:
    return f"{TEXT}/sections/{part.id}"


def headings(html: str) -> list[str]:
    return re.findall(r"<h([1-6])[^>]*>([^<]*)</h\1>", html)


def test_the_text_shows_its_sections_in_order_as_headings_with_their_counts(as_, document):
    factories.comment(section(document, "1-ziele"), text="Ja!")
    factories.comment(section(document, "1-ziele"), state=ModerationState.PENDING)
    page = as_("visitor").get(TEXT).get_data(as_text=True)
    assert headings(page)[:7] == [
        ("1", "Leitlinien"), ("2", "Contents"), ("2", "Introduction"), ("2", "Präambel"),
        ("2", "1. Ziele"), ("2", "2. Vorhabenliste"), ("2", "3. Beteiligung")]
    assert "Bürgerbeteiligung stärkt die Demokratie vor Ort." in page
    ziele = page[page.index('id="abschnitt-1-ziele"'):page.index('id="abschnitt-2-vorhabenliste"')]
    assert "1 comment<" in ziele  # the pending one counts for nobody
    assert f'href="{section_url(section(document, "1-ziele"))}#comment-form"' in ziele


def test_a_changed_section_says_so_and_its_old_comments_say_their_version(as_, document):
    part = section(document, "2-vorhabenliste")
    factories.comment(part, text="Zweimal im Jahr ist zu selten.")
    factories.version(document, GUIDELINES.replace("zweimal im Jahr", "vierteljährlich"))
    factories.comment(part, text="Jetzt passt es.")
    page = as_("visitor").get(TEXT).get_data(as_text=True)
    listed = page[page.index('id="abschnitt-2-vorhabenliste"'):]
    assert "Changed in version 2" in listed and "(1 on an earlier version)" in listed
    assert f"{section_url(part)}/changes" in listed
    thread = as_("visitor").get(section_url(part)).get_data(as_text=True)
    assert "This section was changed in version 2" in thread
    first = thread[thread.index("Zweimal im Jahr ist zu selten.") - 600:]
    assert "on version 1" in first[:700]
    assert "on version 2" in thread[thread.index("Jetzt passt es.") - 600:]


def test_what_changed_shows_removed_and_added_words_in_words_too(as_, document):
    part = section(document, "2-vorhabenliste")
    factories.version(document, GUIDELINES.replace("zweimal im Jahr", "vierteljährlich"))
    page = as_("visitor").get(f"{section_url(part)}/changes").get_data(as_text=True)
    assert "From version 1 to version 2:" in page
    assert ('<del><span class="visually-hidden">[removed: </span>zweimal im Jahr'
            '<span class="visually-hidden">]</span></del>') in page
    assert '<ins><span class="visually-hidden">[added: </span>vierteljährlich' in page
    assert "1 word added, 3 words removed" in page


def test_a_section_of_an_earlier_version_stays_readable_with_its_comments(as_, document):
    old = section(document, "3-beteiligung")
    factories.comment(old, text="Auch Kinder!")
    factories.version(document, GUIDELINES.replace("# 3. Beteiligung", "# 3. Wer"))
    page = as_("visitor").get(TEXT).get_data(as_text=True)
    earlier = page[page.index("Sections of earlier versions"):]
    assert "3. Beteiligung" in earlier and "up to version 1" in earlier
    thread = as_("citizen").get(section_url(old)).get_data(as_text=True)
    assert "Version 2 no longer has this section" in thread and "Auch Kinder!" in thread
    assert "Comments are closed here." in thread and 'name="text"' not in thread


def test_a_resident_comments_on_a_section_and_waits_for_approval(as_, document):
    part = section(document, "1-ziele")
    client = as_("citizen")
    page = client.get(section_url(part)).get_data(as_text=True)
    response = client.post(f"/comments/section/{part.id}", data={
        "text": "Früh heißt: vor dem ersten Entwurf.", "submission_key": form_key(page)})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(section_url(part) + "#comment-")
    comment = db.session.scalar(select(Comment).where(Comment.section_id == part.id))
    assert comment.is_pending and comment.version == 1
    queue = as_("moderator").get("/moderation").get_data(as_text=True)
    assert "Text “Leitlinien”, section “1. Ziele”" in queue


def test_outside_the_commenting_days_sections_take_no_comments(as_, project):
    from datetime import date

    document = factories.text(project, slug="alt", comments_from=date(2024, 3, 8),
                              comments_until=date(2024, 3, 29))
    page = as_("citizen").get("/projects/beteiligung/texts/alt").get_data(as_text=True)
    assert "This text takes no comments at the moment." in page
    assert "Comments from 8 Mar 2024 to 29 Mar 2024." in page
    thread = as_("citizen").get(f"/projects/beteiligung/texts/alt/sections/"
                                f"{document.sections[1].id}").get_data(as_text=True)
    assert "Comments are closed here." in thread


# Staff ----------------------------------------------------------------------------------


def new_text(client, project, **fields):
    data = {"title": "Leitlinien zur Bürgerbeteiligung", "slug": "", "markdown": GUIDELINES,
            "heading_depth": "6", **fields}
    return client.post(f"/manage/projects/{project.id}/texts/new", data=data,
                       content_type="multipart/form-data")


def test_staff_create_a_text_from_pasted_markdown(as_, project):
    client = as_("staff")
    response = new_text(client, project)
    assert response.status_code == 302
    document = db.session.scalar(select(TextDocument).where(
        TextDocument.slug == "leitlinien-zur-buergerbeteiligung"))
    assert response.headers["Location"].endswith(f"/manage/texts/{document.id}")
    assert len(document.sections) == 5
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The text was saved with 5 sections." in page


def test_staff_create_a_text_from_an_uploaded_file(as_, project):
    upload = (io.BytesIO(b"# Eins\nA\n# Zwei\nB\n"), "leitlinien.md")
    response = new_text(as_("staff"), project, markdown="", source_file=upload,
                        heading_depth="3")
    assert response.status_code == 302
    document = db.session.scalar(select(TextDocument).where(
        TextDocument.project_id == project.id))
    assert [s.key for s in document.sections] == ["eins", "zwei"]
    assert document.versions[0].heading_depth == 3


@pytest.mark.parametrize(("fields", "message", "field"), [
    ({"markdown": ""}, "the text is empty", "markdown"),
    ({"markdown": "# Eins\nA\x07B"}, "looks like a binary file", "markdown"),
    ({"source_file": (io.BytesIO("Präambel".encode("latin-1")), "a.md")}, "not UTF-8",
     "source_file"),
    ({"source_file": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00"), "bild.md")},
     "looks like a binary file", "source_file"),
    ({"source_file": (io.BytesIO(b""), "leer.txt")}, "the text is empty", "source_file"),
    ({"source_file": (io.BytesIO(b"%PDF"), "a.pdf")}, "a .md or .txt file", "source_file"),
    ({"source_file": (io.BytesIO(b"x" * 900_000), "gross.md")}, "more than 200,000",
     "source_file"),
    ({"markdown": "# Eins\n" + "[x]" * 600}, "Section “Eins”:", "markdown"),
    ({"slug": "Nicht Gut"}, "lower-case letters", "slug"),
    ({"comments_from": "2024-03-29", "comments_until": "2024-03-08"}, "on or after",
     "comments_until"),
])
def test_a_refused_text_saves_nothing_and_keeps_what_was_typed(as_, project, fields,
                                                              message, field):
    response = new_text(as_("staff"), project, title="Mein Titel", **fields)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and 'id="error-summary"' in page and f'href="#{field}"' in page
    assert 'value="Mein Titel"' in page
    if "markdown" not in fields:
        assert "Die Stadt lädt alle ein" in page  # the pasted text is still there
    assert not db.session.scalars(select(TextDocument).where(
        TextDocument.project_id == project.id)).all()


def test_a_second_text_with_the_same_address_is_refused(as_, project, document):
    response = new_text(as_("staff"), project, slug="leitlinien")
    assert "Another text of this project already uses this web address." in \
        response.get_data(as_text=True)


def test_a_nul_in_the_pasted_text_is_refused_before_anything_reads_it(as_, project):
    # core/request_guard.py answers 400 to a NUL in any form field, uploads apart.
    assert new_text(as_("staff"), project, markdown="# Eins\nA\x00B").status_code == 400


def test_a_file_over_the_request_limit_is_refused_whole(as_, project):
    upload = (io.BytesIO(b"a" * (7 * 1024 * 1024)), "riesig.md")
    assert new_text(as_("staff"), project, source_file=upload).status_code == 413


def test_the_new_version_form_starts_from_the_current_markdown(as_, document):
    page = as_("staff").get(f"/manage/texts/{document.id}/versions/new").get_data(as_text=True)
    assert "Die Stadt lädt alle ein, mitzureden." in page


def test_staff_save_a_new_version_and_hear_what_it_did(as_, document):
    client = as_("staff")
    changed = GUIDELINES.replace("früh", "sehr früh").replace("# 3. Beteiligung", "# 3. Alle")
    response = client.post(f"/manage/texts/{document.id}/versions/new",
                           data={"markdown": changed, "heading_depth": "6"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("Version 2 was saved: 3 sections unchanged, 1 changed, 1 new, 1 no longer in "
            "the text.") in page
    again = client.post(f"/manage/texts/{document.id}/versions/new",
                        data={"markdown": changed, "heading_depth": "6"})
    assert "This text is the same as version 2" in again.get_data(as_text=True)


def test_staff_change_the_title_and_commenting_days(as_, document):
    response = as_("staff").post(f"/manage/texts/{document.id}", data={
        "title": "Leitlinien (Entwurf)", "comments_from": "2024-03-08",
        "comments_until": "2024-03-29"})
    assert response.status_code == 302
    assert document.title == "Leitlinien (Entwurf)"
    assert str(document.comments_until) == "2024-03-29"


def test_the_project_pages_list_the_texts_and_offer_a_new_one_to_staff(as_, project,
                                                                      document):
    public = as_("visitor").get("/projects/beteiligung").get_data(as_text=True)
    assert "Texts for comments" in public and f'href="{TEXT}"' in public
    staff = as_("staff").get(f"/manage/projects/{project.id}/edit").get_data(as_text=True)
    assert f'href="/manage/projects/{project.id}/texts/new"' in staff
    assert "Create a text for comments" in staff
    other = project_factories.project(slug="ohne-texte")
    assert "Texts for comments" not in as_("visitor").get(
        f"/projects/{other.slug}").get_data(as_text=True)


# Hostile input --------------------------------------------------------------------------


def test_script_in_the_markdown_stays_text(as_, project):
    hostile = ("# <script>alert(1)</script> Titel\n\n<script>alert(2)</script>\n\n"
               "[klick](javascript:alert(3)) <img src=x onerror=alert(4)>\n\n"
               "## <b onmouseover=alert(5)>fett</b>\n")
    document = factories.text(project, hostile, slug="boese")
    for path in ("/projects/beteiligung/texts/boese",
                 f"/projects/beteiligung/texts/boese/sections/{document.sections[0].id}"):
        page = as_("visitor").get(path).get_data(as_text=True)
        assert "<script>alert" not in page and 'href="javascript' not in page
        assert "<img src=x" not in page and "<b onmouseover" not in page
    assert document.sections[0].heading == "<script>alert(1)</script> Titel"
