"""The staff exports of every response: the German spreadsheet profile, a column per
question in question order whatever the conditions, responses in the order of their random
ids, the same data as JSON; streamed."""

import csv
import io
import json
from datetime import timedelta

from mitwirkung.core.time import utcnow
from mitwirkung.surveys.models import QuestionKind

from .. import factories as user_factories
from . import factories as f


def build():
    survey = f.survey(opens_at=utcnow() - timedelta(days=3), closes_at=utcnow() - timedelta(days=1))
    who = f.question(survey, QuestionKind.SINGLE, title="Sie antworten als",
                     options=("Einwohner", "Gewerbe", ("Sonstiges", {"is_other": True})))
    cups = f.question(survey, QuestionKind.MULTIPLE, title="Verpackungen",
                      options=("Becher", "Teller", ("Anderes", {"is_other": True})))
    staff_size = f.question(survey, QuestionKind.NUMBER, title="Beschäftigte",
                            condition_question_id=who.id,
                            condition_option_id=f.option(who, "Gewerbe").id)
    hours = f.question(survey, QuestionKind.NUMBER, title="Stunden")
    matrix = f.question(survey, QuestionKind.MATRIX, title="Wichtig", statements=("Kosten",
                                                                                   "Umwelt"))
    note = f.question(survey, QuestionKind.TEXT, title="Anmerkung")
    sets = [
        {who: {"option": f.option(who, "Sonstiges").id, "other": "=HYPERLINK(1)"},
         cups: {"options": [f.option(cups, "Becher").id, f.option(cups, "Anderes").id],
                "other": "Dosen"},
         hours: {"number": 8.5}, matrix: {"rows": {str(matrix.statements[0].id): 4}},
         note: {"text": "Zeile 1\nZeile 2; mit Semikolon"}},
        {who: {"option": f.option(who, "Gewerbe").id}, cups: {}, staff_size: {"number": 12},
         hours: {"number": 9}},
    ]
    ids = f.responses(survey, *sets, user_ids=[user_factories.user().id for _ in sets])
    return survey, ids


def test_csv_has_the_german_profile_and_a_column_per_question_in_order(clients):
    survey, ids = build()
    response = clients["staff"].get(f"/manage/surveys/{survey.slug}/responses.csv")
    body = response.get_data()  # first: a streamed response holds its context till read
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]
    assert body.startswith("\ufeff".encode()) and b"\r\n" in body
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == [
        "Antwort-ID", "1. Sie antworten als", "1. Sie antworten als: Sonstiges (Text)",
        "2. Verpackungen: Becher", "2. Verpackungen: Teller", "2. Verpackungen: Anderes",
        "2. Verpackungen: Anderes (Text)", "3. Beschäftigte", "4. Stunden",
        "5. Wichtig: Kosten", "5. Wichtig: Umwelt", "6. Anmerkung"]
    by_id = {row[0]: row for row in rows[1:]}
    assert [row[0] for row in rows[1:]] == sorted(ids)  # random ids, never time order
    first, second = by_id[ids[0]], by_id[ids[1]]
    assert first == [ids[0], "Sonstiges", "'=HYPERLINK(1)", "1", "0", "1", "Dosen", "", "8,5",
                     "4", "", "Zeile 1\nZeile 2; mit Semikolon"]
    # Asked and left empty: empty cells; not asked (the condition): an empty cell too.
    assert second == [ids[1], "Gewerbe", "", "", "", "", "", "12", "9", "", "", ""]
    assert len(first) == len(second) == len(rows[0])


def test_json_holds_the_same_data(clients):
    survey, ids = build()
    response = clients["staff"].get(f"/manage/surveys/{survey.slug}/responses.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert data["survey"] == survey.slug
    assert [q["title"] for q in data["questions"]] == [
        "Sie antworten als", "Verpackungen", "Beschäftigte", "Stunden", "Wichtig", "Anmerkung"]
    assert [r["id"] for r in data["responses"]] == sorted(ids)
    answers = {r["id"]: r["answers"] for r in data["responses"]}
    who, cups, staff_size = (str(q.id) for q in survey.questions[:3])
    assert answers[ids[0]][who]["other"] == "=HYPERLINK(1)"
    assert staff_size not in answers[ids[0]]  # not asked
    assert answers[ids[1]][cups] == {}  # asked, left empty
    assert answers[ids[1]][staff_size] == {"number": 12}


def test_an_export_of_no_responses_is_a_header_or_an_empty_list(clients):
    survey = f.survey()
    f.question(survey, QuestionKind.TEXT, title="Anmerkung")
    body = clients["admin"].get(f"/manage/surveys/{survey.slug}/responses.csv").get_data()
    assert body.decode("utf-8-sig") == "Antwort-ID;1. Anmerkung\r\n"
    data = clients["admin"].get(f"/manage/surveys/{survey.slug}/responses.json").get_json()
    assert data["responses"] == []


def test_exports_are_for_staff_only_and_unknown_surveys_are_404(clients):
    survey, _ids = build()
    for role in ("visitor", "citizen", "moderator"):
        for ext in ("csv", "json"):
            assert clients[role].get(
                f"/manage/surveys/{survey.slug}/responses.{ext}").status_code == 403
    assert clients["staff"].get("/manage/surveys/nope/responses.csv").status_code == 404
