"""The results page and the free-text list as every role meets them, on every kind of
survey; what the public sees of a confidential survey; breakdowns that hide small numbers;
the search; the number of queries."""

import re
from datetime import timedelta

import pytest

from mitwirkung.core.time import utcnow
from mitwirkung.surveys.models import Audience, QuestionKind

from .. import factories as user_factories
from . import factories as f

ROLES = ("visitor", "citizen", "moderator", "staff", "admin")
STAFF = {"staff", "admin"}
CLOSED = {"opens_at": utcnow() - timedelta(days=10), "closes_at": utcnow() - timedelta(days=1)}

# kind -> survey fields
KINDS = {
    "staff_only": dict(audience=Audience.STAFF, results_public=True, **CLOSED),
    "public_results": dict(audience=Audience.PUBLIC, results_public=True, **CLOSED),
    "results_not_public": dict(audience=Audience.PUBLIC, results_public=False, **CLOSED),
    "open_results_public": dict(audience=Audience.CITIZENS, results_public=True),
    "confidential": dict(audience=Audience.PUBLIC, results_public=True, confidential=True,
                         **CLOSED),
    "draft": dict(status="draft", results_public=True, **CLOSED),
}
# kind -> (results page for others, texts page for others, exports for others)
EXPECTED = {
    "staff_only": (404, 404, 404),
    "public_results": (200, 403, 403),
    "results_not_public": (403, 403, 403),
    "open_results_public": (403, 403, 403),
    "confidential": (200, 403, 403),
    "draft": (404, 404, 404),
}


def build(kind, n=6):
    survey = f.survey(**KINDS[kind])
    who = f.question(survey, QuestionKind.SINGLE, title="Sie antworten als",
                     options=("Einwohner", "Gewerbe", ("Sonstiges", {"is_other": True})))
    hours = f.question(survey, QuestionKind.NUMBER, title="Stunden", unit="Stunden")
    text = f.question(survey, QuestionKind.TEXT, title="Anmerkungen")
    sets = [{who: {"option": f.option(who, "Einwohner").id}, hours: {"number": 8 + i % 2},
             text: {"text": f"Geheimer Text {i}"}} for i in range(n)]
    users = [user_factories.user().id for _ in sets]
    f.responses(survey, *sets, user_ids=users)
    return survey, who, text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_every_results_route_for_every_role_and_kind_of_survey(clients, kind, role):
    survey, _who, text = build(kind)
    paths = (f"/surveys/{survey.slug}/results",
             f"/surveys/{survey.slug}/results/questions/{text.id}/texts",
             f"/manage/surveys/{survey.slug}/responses.csv")
    expected = (200, 200, 200) if role in STAFF else EXPECTED[kind]
    got = tuple(clients[role].get(path).status_code for path in paths)
    assert got == expected
    assert clients[role].get(f"/manage/surveys/{survey.slug}/responses.json").status_code \
        == expected[2]
    page = clients[role].get(paths[0]).get_data(as_text=True)
    if role not in STAFF:
        # Free texts are not moderated: never on a page the public reaches.
        assert "Geheimer Text" not in page


def test_a_confidential_survey_shows_the_public_only_the_number_of_responses(clients):
    survey, _who, _text = build("confidential", n=7)
    page = clients["citizen"].get(f"/surveys/{survey.slug}/results").get_data(as_text=True)
    assert "7 Antworten" in page
    assert "Stunden" not in page and "Einwohner" not in page and "<table" not in page
    staff_page = clients["staff"].get(f"/surveys/{survey.slug}/results").get_data(as_text=True)
    assert "Einwohner" in staff_page and "8,43" in staff_page  # (4 x 8 + 3 x 9) / 7


def test_public_results_show_counts_shares_and_figures_in_german(clients):
    survey, _who, _text = build("public_results", n=6)
    page = clients["visitor"].get(f"/surveys/{survey.slug}/results").get_data(as_text=True)
    assert "100,0\u00a0%" in page and "8,5" in page  # mean of 8,9,8,9,8,9
    assert 'data-label="Anteil"' in page  # every cell of the stacked table is named
    assert "<svg" in page and "responses.csv" not in page


def test_unknown_breakdown_question_or_text_question_is_404(clients):
    survey, who, text = build("public_results")
    other, _w, other_text = build("public_results")
    staff = clients["staff"]
    assert staff.get(f"/surveys/{survey.slug}/results?by=999999").status_code == 404
    assert staff.get(f"/surveys/{survey.slug}/results?by=abc").status_code == 404
    hours = survey.questions[1]
    assert staff.get(f"/surveys/{survey.slug}/results?by={hours.id}").status_code == 404
    assert staff.get(f"/surveys/{survey.slug}/results?by=").status_code == 200
    assert staff.get(
        f"/surveys/{survey.slug}/results/questions/{other_text.id}/texts").status_code == 404
    assert staff.get(
        f"/surveys/{survey.slug}/results/questions/{hours.id}/texts").status_code == 404
    assert staff.get(f"/surveys/{survey.slug}/results/questions/{who.id}/texts").status_code \
        == 200  # the "Sonstiges" texts


def _visible_text(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_a_breakdown_hides_every_small_number_everywhere_in_the_page(clients):
    survey = f.survey(**KINDS["public_results"])
    who = f.question(survey, QuestionKind.SINGLE, title="Sie antworten als",
                     options=("Einwohner", "Gewerbe", "Verein"))
    likes = f.question(survey, QuestionKind.YES_NO, title="Gefällt es Ihnen?")
    hours = f.question(survey, QuestionKind.NUMBER, title="Stunden")
    ja, nein = f.option(likes, "Ja").id, f.option(likes, "Nein").id
    sets = []
    # Einwohner: 40 (ja 37, nein 3); Gewerbe: 12 (ja 10, nein 2); Verein: 3 (ja 3)
    for group, yes, no in (("Einwohner", 37, 3), ("Gewerbe", 10, 2), ("Verein", 3, 0)):
        for i in range(yes + no):
            sets.append({who: {"option": f.option(who, group).id},
                         likes: {"option": ja if i < yes else nein},
                         hours: {"number": 1020.5 + i if group == "Verein"
                                 else 1000 + len(sets)}})
    f.responses(survey, *sets, user_ids=[user_factories.user().id for _ in sets])
    response = clients["staff"].get(f"/surveys/{survey.slug}/results?by={who.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "&lt; 5" in page and "ausgeblendet" in page
    text = _visible_text(page)
    # The small group (Verein, 3) is hidden whole, and with it the smallest other (Gewerbe).
    table = page[page.index(f'id="breakdown-caption-{likes.id}"'):]
    table = _visible_text(table[table.index("<tbody>"):table.index("</tbody>")])
    numbers = set(re.findall(r"\d+", table))
    for hidden in ("12", "10", "2", "3"):
        assert hidden not in numbers, hidden
    # Einwohner: "nein" 3 is small, so "ja" 37 goes too (40 answered - 3 would give it).
    assert "40" in numbers and "37" not in numbers
    # The figures of hidden groups never appear: Verein's hours are 1020,5 to 1022,5.
    assert not re.search(r"1\.02[012],5", text)
    # Without the breakdown the page shows the whole as usual.
    plain = _visible_text(clients["staff"].get(f"/surveys/{survey.slug}/results")
                          .get_data(as_text=True))
    assert "50" in plain


def test_the_breakdown_form_offers_only_single_choice_and_yes_no_questions(clients):
    survey, who, _text = build("public_results")
    page = clients["staff"].get(f"/surveys/{survey.slug}/results").get_data(as_text=True)
    select = page[page.index('<select'):page.index('</select>')]
    assert f'value="{who.id}"' in select
    assert "Stunden" not in select and "Anmerkungen" not in select


def test_texts_are_searched_with_wildcards_taken_literally_and_paged(clients):
    survey = f.survey(**KINDS["public_results"])
    text = f.question(survey, QuestionKind.TEXT, title="Anmerkungen")
    texts = ["100% dafür", "1000 dafür", "Mehr_Grün", "Mehr Grün", "ÄRGER über Müll",
             "ärger", "Straße <b>fett</b>"] + [f"Text {i}" for i in range(60)]
    f.responses(survey, *[{text: {"text": t}} for t in texts],
                user_ids=[user_factories.user().id for _ in texts])
    staff = clients["staff"]
    base = f"/surveys/{survey.slug}/results/questions/{text.id}/texts"

    def found(query):
        page = staff.get(base, query_string={"q": query}).get_data(as_text=True)
        if 'class="answer-texts"' not in page:
            return []
        listing = page[page.index('class="answer-texts"'):]
        return re.findall(r"<li[^>]*>(.*?)</li>", listing[:listing.index("</ol>")], flags=re.S)

    assert found("%") == ["100% dafür"]
    assert found("_") == ["Mehr_Grün"]
    assert sorted(found("mehr")) == ["Mehr Grün", "Mehr_Grün"]
    assert found("<b>") == ["Straße &lt;b&gt;fett&lt;/b&gt;"]
    assert staff.get(base, query_string={"q": "\x00"}).status_code in (200, 400)
    too_long = staff.get(base, query_string={"q": "x" * 500})
    assert too_long.status_code == 200 and 'aria-invalid="true"' in too_long.get_data(as_text=True)
    first = staff.get(base).get_data(as_text=True)
    assert "Seite 1 von 2" in first
    assert len(found("Text")) == 50
    second = staff.get(base + "?page=2").get_data(as_text=True)
    assert "Seite 2 von 2" in second
    assert staff.get(base + "?page=99999999999").status_code == 404


def test_results_pages_run_few_queries_whatever_the_number_of_responses(clients,
                                                                       count_queries):
    from mitwirkung.surveys.results.services import forget_kept

    survey, who, text = build("public_results", n=30)
    staff = clients["staff"]
    for path in (f"/surveys/{survey.slug}/results", f"/surveys/{survey.slug}/results?by={who.id}",
                 f"/surveys/{survey.slug}/results/questions/{text.id}/texts?q=Text"):
        forget_kept()  # the first reader of a closed survey's results, who counts them
        assert count_queries(staff, path) <= 10, path
        assert count_queries(staff, path) <= 8, path  # later readers: the counts are kept
    assert count_queries(clients["visitor"], f"/surveys/{survey.slug}/results") <= 10


def test_an_open_survey_that_is_not_anonymous_shows_each_new_response_at_once(clients):
    survey, who, _text = build("open_results_public", n=5)
    staff = clients["staff"]
    assert "5 Antworten" in staff.get(f"/surveys/{survey.slug}/results").get_data(as_text=True)
    f.responses(survey, {who: {"option": f.option(who, "Gewerbe").id}},
                user_ids=[user_factories.user().id])
    assert "6 Antworten" in staff.get(f"/surveys/{survey.slug}/results").get_data(as_text=True)


def test_an_anonymous_survey_counts_only_the_mixes_counted_and_all_once_closed(clients):
    from mitwirkung.core.time import utcnow
    from mitwirkung.extensions import db
    from mitwirkung.surveys import tallies

    survey = f.survey(anonymous=True, audience=Audience.PUBLIC, results_public=True)
    who = f.question(survey, QuestionKind.SINGLE, options=("Einwohner", "Gewerbe"))
    f.responses(survey, *[{who: {"option": who.options[0].id}}] * 5, mix=1)
    f.responses(survey, *[{who: {"option": who.options[1].id}}] * 5, mix=2)
    survey.mixes, survey.mixes_counted = 2, 1
    tallies.recount(survey)  # mixes written directly, as the demo does
    db.session.commit()
    # Open: staff see the mixes counted so far; the newest waits for the next one.
    page = clients["staff"].get(f"/surveys/{survey.slug}/results").get_data(as_text=True)
    assert "5 Antworten" in page
    # Closed: the first read seals the survey and counts everything.
    survey.closes_at = utcnow()
    db.session.commit()
    page = clients["visitor"].get(f"/surveys/{survey.slug}/results").get_data(as_text=True)
    assert "10 Antworten" in page
    db.session.refresh(survey)
    assert survey.sealed_at is not None and survey.mixes_counted == 2
