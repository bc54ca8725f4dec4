"""The comments of a text as CSV for staff (German spreadsheet profile), and the text's page
at a fixed small number of queries whatever it holds."""

import csv
import io

from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import utcnow

from ..projects import factories as project_factories
from . import factories
from .factories import GUIDELINES, section


def read_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and "\r\n" in text
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_export_lists_published_comments_section_by_section(as_, document, people):
    goals, listing = section(document, "1-ziele"), section(document, "2-vorhabenliste")
    first = factories.comment(listing, author=people["citizen"], text="=1+1 zu selten")
    factories.comment(goals, text="Früh ist gut.")
    reply = factories.comment(listing, text="Stimmt.", parent_id=first.id)
    factories.comment(goals, text="Geheim", state=ModerationState.PENDING)
    factories.comment(goals, text="Nein", state=ModerationState.REJECTED)
    factories.comment(goals, text="", deleted_at=utcnow())
    factories.version(document, GUIDELINES.replace("zweimal im Jahr", "vierteljährlich"))
    response = as_("staff").get(f"/manage/texts/{document.id}/comments.csv")
    assert response.mimetype == "text/csv"
    assert "kommentare-leitlinien-veroeffentlicht.csv" in response.headers[
        "Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["Section", "Section key", "Version", "Comment no.", "Reply to no.",
                       "Author (username)", "Date", "Text", "Moderation state"]
    assert [(r[0], r[2], r[4], r[7], r[8]) for r in rows[1:]] == [
        ("1. Ziele", "1", "", "Früh ist gut.", "approved"),
        ("2. Vorhabenliste", "1", "", "'=1+1 zu selten", "approved"),
        ("2. Vorhabenliste", "1", str(first.id), "Stimmt.", "approved"),
    ]
    assert rows[2][3] == str(first.id) and rows[3][3] == str(reply.id)
    assert rows[2][5] == "erika"


def test_the_full_export_adds_every_state(as_, document):
    goals = section(document, "1-ziele")
    factories.comment(goals, text="Geheim", state=ModerationState.PENDING)
    factories.comment(goals, text="Nein", state=ModerationState.REJECTED)
    factories.comment(goals, text="", deleted_at=utcnow())
    rows = read_csv(as_("staff").get(f"/manage/texts/{document.id}/comments.csv?all=1"))
    assert sorted(r[8] for r in rows[1:]) == ["awaiting approval", "deleted by its author",
                                             "rejected"]


def test_the_export_in_german(app, document):
    from .. import factories as user_factories
    from ..conftest import signed_in_client

    client = signed_in_client(app, user_factories.user(role="staff"))
    factories.comment(section(document, "1-ziele"), text="Gut.")
    rows = read_csv(client.get(f"/manage/texts/{document.id}/comments.csv"))
    assert rows[0][0] == "Abschnitt" and rows[1][8] == "freigegeben"


def test_the_text_page_takes_at_most_ten_queries_whatever_it_holds(as_, count_queries):
    project = project_factories.project(slug="gross")
    small = factories.text(project, "# Eins\nText\n", slug="klein")
    many = "".join(f"# Abschnitt {n}\n\nText {n}.\n\n" for n in range(60))
    large = factories.text(project, many, slug="gross")
    for part in large.sections[:30]:
        for n in range(5):
            factories.comment(part, text=f"Kommentar {n}")
    factories.version(large, many.replace("Text 3.", "Text drei."))
    for document in (small, large):
        for viewer in (as_("visitor"), as_("citizen"), as_("staff")):
            assert count_queries(viewer, f"/projects/gross/texts/{document.slug}") <= 10


def test_a_sections_page_takes_few_queries_however_long_its_thread(as_, count_queries,
                                                                  document):
    part = section(document, "1-ziele")
    for n in range(40):
        factories.comment(part, text=f"Kommentar {n}")
    for viewer in (as_("visitor"), as_("citizen")):
        assert count_queries(viewer, f"/projects/beteiligung/texts/leitlinien/sections/"
                                     f"{part.id}") <= 10
