"""The demo surveys (idempotent): the staff survey on the panorama-image tool, closed, with
120 responses whose mean saving is 8.5 hours a month; and the two-part survey on a
packaging tax (everyone, then businesses), open, with about 400 responses.

Both are anonymous, so their responses are written as mixes of ten, as sending and mixing
would have left them (surveys/answering/mixing.py): no participation (the demo has no
such respondents), random ids, the newest mix of the open survey not counted yet."""

import io
import random
from datetime import timedelta

from sqlalchemy import select

from ..core.time import utcnow
from ..extensions import db
from ..projects import services as projects
from ..projects.models import Project
from . import answers, tallies
from .models import (
    Audience,
    QuestionKind,
    Survey,
    SurveyOption,
    SurveyQuestion,
    SurveyStatement,
    SurveyStatus,
)
from .storage import NewResponse, insert_responses

PANORAMA = "panoramabilder"
PACKAGING = "verpackungssteuer"
MIX = 10
PANORAMA_RESPONSES = 120
PANORAMA_MEAN_HOURS = 8.5
PACKAGING_RESPONSES = 404

PANORAMA_INTRO = """\
Seit einem Jahr erstellt das Panoramabild-Werkzeug Rundumansichten von Straßen und Plätzen
für Planungen, Ortstermine und Bürgerinformationen. Wir möchten wissen, ob es Ihnen Arbeit
abnimmt. Die Umfrage ist anonym und dauert etwa drei Minuten.
"""
PACKAGING_INTRO = """\
Der Stadtrat prüft eine Steuer auf Einwegverpackungen für Speisen und Getränke zum
Mitnehmen, wie sie Tübingen erhebt. Sagen Sie uns Ihre Meinung: im ersten Teil alle, im
zweiten Teil Gastronomie und Handel. Die Umfrage ist anonym.
"""

RESIDENT, BUSINESS = "Als Einwohnerin oder Einwohner", "Für einen Betrieb (Gastronomie, Handel)"


def create_demo_surveys(users: dict) -> None:
    """Add the demo surveys (and their project) unless their slugs exist; the caller
    commits."""
    if not _exists(PANORAMA):
        _panorama(users["staff"])
    if not _exists(PACKAGING):
        _packaging(users["staff"])


def _exists(slug: str) -> bool:
    return db.session.scalar(select(Survey.id).where(Survey.slug == slug)) is not None


def _project(staff, slug: str, title: str, teaser: str, colours: tuple, image_alt: str
             ) -> Project:
    from ..projects.demo import _demo_image

    project = db.session.scalar(select(Project).where(Project.slug == slug))
    if project is None:
        project = projects.create_project(
            staff, title=title, slug=slug, teaser=teaser, description=teaser,
            image=io.BytesIO(_demo_image(*colours)), image_alt=image_alt)
        projects.publish_project(project, staff)
    return project


def _question(survey, page, kind, title, options=(), statements=(), **fields):
    question = SurveyQuestion(page=page, position=len(survey.questions), kind=kind,
                              title=title, **fields)
    for position, option in enumerate(options):
        # A label ending in "…" is the option that asks for a text ("Sonstiges").
        label, other = (option[:-1], True) if option.endswith("…") else (option, False)
        question.options.append(SurveyOption(label=label, position=position, is_other=other))
    for position, label in enumerate(statements):
        question.statements.append(SurveyStatement(label=label, position=position))
    survey.questions.append(question)
    return question


def _panorama(staff) -> None:
    project = _project(staff, "digitale-verwaltung", "Digitale Verwaltung",
                       "Werkzeuge für die Arbeit der Stadtverwaltung: was sie bringen und "
                       "was besser werden soll.", ((120, 120, 130), (11, 90, 138)),
                       "Ein Rathaus mit Bäumen davor")
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    survey = Survey(project_id=project.id, slug=PANORAMA,
                    title="Wie viel Zeit spart Ihnen das Panoramabild-Werkzeug?",
                    intro=PANORAMA_INTRO, opens_at=now - timedelta(days=45),
                    closes_at=now - timedelta(days=15), status=SurveyStatus.PUBLISHED,
                    audience=Audience.STAFF, anonymous=True, created_by_id=staff.id)
    area = _question(survey, 1, QuestionKind.SINGLE, "In welchem Bereich arbeiten Sie?",
                     ("Stadtplanung", "Tiefbau", "Grünflächen", "Denkmalpflege",
                      "Sonstiges, bitte angeben…"), required=True)
    often = _question(survey, 1, QuestionKind.SINGLE, "Wie oft nutzen Sie das Werkzeug?",
                      ("täglich", "wöchentlich", "monatlich", "seltener"), required=True)
    hours = _question(survey, 1, QuestionKind.NUMBER,
                      "Wie viele Stunden im Monat spart Ihnen das Werkzeug?",
                      help_text="Schätzen Sie; halbe Stunden genügen.", required=True,
                      number_min=0, number_max=160, number_step=0.5, unit="Stunden")
    content = _question(survey, 2, QuestionKind.SCALE, "Wie zufrieden sind Sie insgesamt?",
                        scale_min=1, scale_max=5, scale_min_label="gar nicht zufrieden",
                        scale_max_label="sehr zufrieden")
    wish = _question(survey, 2, QuestionKind.TEXT, "Was sollte besser werden?",
                     max_length=1000)
    db.session.add(survey)
    db.session.flush()

    rng = random.Random(18)
    savings = _hours_with_mean(rng, PANORAMA_RESPONSES, PANORAMA_MEAN_HOURS)
    wishes = ["Schnellerer Export als PDF.", "Eine Schulung für neue Kolleginnen und Kollegen.",
              "Die Bilder sollten sich direkt in Planungsunterlagen einfügen lassen.",
              "Mehr Aufnahmen aus den Ortsteilen."]
    sets = []
    for saved in savings:
        usage = 0 if saved >= 14 else 1 if saved >= 6 else rng.choice((2, 3))
        chosen_area = rng.choices(area.options, weights=(5, 4, 3, 2, 1))[0]
        answer = {area: {"option": chosen_area.id}, often: {"option": often.options[usage].id},
                  hours: {"number": saved},
                  content: {"number": min(5, max(1, round(2 + saved / 6 + rng.random())))}}
        if chosen_area.is_other:
            answer[area]["other"] = rng.choice(("Bauordnung", "Vermessung", "Pressestelle"))
        if rng.random() < 0.3:
            answer[wish] = {"text": rng.choice(wishes)}
        sets.append(answer)
    _write_mixed(survey, sets, rng, counted_all=True)
    survey.sealed_at = survey.closes_at


def _hours_with_mean(rng: random.Random, count: int, mean: float) -> list[float]:
    """`count` savings in half hours between 0 and 40 whose mean is exactly `mean`."""
    values = [min(40.0, max(0.0, round(rng.lognormvariate(1.9, 0.6) * 2) / 2))
              for _ in range(count)]
    missing = round((mean * count - sum(values)) * 2)  # half hours to add (or take)
    step = 1 if missing > 0 else -1
    index = 0
    while missing:
        if 0 <= values[index % count] + step / 2 <= 40:
            values[index % count] += step / 2
            missing -= step
        index += 1
    return values


def _packaging(staff) -> None:
    project = _project(staff, "verpackungssteuer", "Verpackungssteuer",
                       "Soll die Stadt Einwegverpackungen für Essen und Getränke zum "
                       "Mitnehmen besteuern? Ihre Meinung zählt.", ((90, 140, 70), (230, 200, 90)),
                       "Eine Fußgängerzone mit Imbissständen")
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    survey = Survey(project_id=project.id, slug=PACKAGING,
                    title="Umfrage zur Verpackungssteuer", intro=PACKAGING_INTRO,
                    opens_at=now - timedelta(days=12), closes_at=now + timedelta(days=23),
                    status=SurveyStatus.PUBLISHED, audience=Audience.PUBLIC, anonymous=True,
                    results_public=True, created_by_id=staff.id)
    who = _question(survey, 1, QuestionKind.SINGLE, "Sie antworten …", (RESIDENT, BUSINESS),
                    required=True)
    takeaway = _question(survey, 1, QuestionKind.SINGLE,
                         "Wie oft kaufen Sie Essen oder Getränke zum Mitnehmen?",
                         ("mehrmals pro Woche", "etwa einmal pro Woche", "seltener", "nie"))
    opinion = _question(survey, 1, QuestionKind.SINGLE,
                        "Befürworten Sie eine Verpackungssteuer nach Tübinger Vorbild?",
                        ("ja", "eher ja", "eher nein", "nein", "weiß nicht"), required=True)
    instead = _question(survey, 1, QuestionKind.MULTIPLE,
                        "Was nutzen Sie schon statt Einwegverpackungen?",
                        ("Mehrwegbecher", "eigene Dose oder eigenen Becher", "vor Ort essen",
                         "nichts davon", "Sonstiges, bitte angeben…"), max_choices=4)
    remark = _question(survey, 1, QuestionKind.TEXT, "Möchten Sie uns noch etwas sagen?",
                       max_length=2000)
    kind = _question(survey, 2, QuestionKind.SINGLE, "Welche Art von Betrieb führen Sie?",
                     ("Gastronomie", "Bäckerei", "Imbiss", "Einzelhandel",
                      "Sonstiges, bitte angeben…"), required=True)
    per_day = _question(survey, 2, QuestionKind.NUMBER,
                        "Wie viele Einwegverpackungen geben Sie an einem üblichen Tag aus?",
                        number_min=0, number_max=100_000, number_step=1, unit="Stück")
    reusable = _question(survey, 2, QuestionKind.YES_NO, "Bieten Sie schon Mehrweg an?",
                         ("Ja", "Nein"))
    burden = _question(survey, 2, QuestionKind.MATRIX,
                       "Wie stark würde Sie eine Verpackungssteuer belasten?",
                       statements=("Kosten für Mehrwegsysteme", "Verwaltungsaufwand",
                                   "Reaktion der Kundschaft"),
                       scale_min=1, scale_max=5, scale_min_label="gar nicht",
                       scale_max_label="sehr stark")
    business_questions = (kind, per_day, reusable, burden)
    db.session.add(survey)
    db.session.flush()
    business_option = who.options[1]
    for question in business_questions:
        question.condition_question_id = who.id
        question.condition_option_id = business_option.id

    rng = random.Random(6)
    sets = []
    for _ in range(PACKAGING_RESPONSES):
        business = rng.random() < 0.24
        answer = {who: {"option": who.options[1 if business else 0].id},
                  takeaway: {"option": rng.choices(takeaway.options, (3, 4, 4, 1))[0].id},
                  opinion: {"option": rng.choices(
                      opinion.options, (2, 2, 3, 4, 1) if business else (5, 4, 2, 2, 1))[0].id}}
        chosen = rng.sample(instead.options[:3], rng.randint(0, 2)) or [instead.options[3]]
        answer[instead] = {"options": [option.id for option in chosen]}
        if rng.random() < 0.12:
            answer[remark] = {"text": rng.choice((
                "Mehrweg muss für alle einfach werden.",
                "Bitte erst mit den Betrieben reden.",
                "Die Mülleimer in der Fußgängerzone quellen über."))}
        if business:
            answer[kind] = {"option": rng.choices(kind.options[:4], (3, 2, 3, 2))[0].id}
            answer[per_day] = {"number": float(rng.randint(20, 600))}
            answer[reusable] = {"option": reusable.options[rng.random() < 0.45].id}
            answer[burden] = {"rows": {str(statement.id): rng.randint(2, 5)
                                       for statement in burden.statements}}
        sets.append(answer)
    _write_mixed(survey, sets, rng, counted_all=False)


def _write_mixed(survey: Survey, sets: list[dict], rng: random.Random, counted_all: bool
                 ) -> None:
    """Write the answer sets as mixes of at least ten (the remainder joins the last) in
    random order; all counted, or all but the newest (an open survey counts one mix late)."""
    questions = survey.questions
    rng.shuffle(sets)
    mixes = max(1, len(sets) // MIX)
    new = []
    for index, answer_set in enumerate(sets):
        checked = answers.check_response(
            questions, {str(question.id): value for question, value in answer_set.items()})
        new.append(NewResponse(rows=answers.response_rows(questions, checked),
                               mix=min(index // MIX, mixes - 1) + 1))
    insert_responses(survey.id, new)
    survey.mixes = new[-1].mix if new else 0
    survey.mixes_counted = survey.mixes if counted_all else max(0, survey.mixes - 1)
    tallies.recount(survey)  # the mixes were written here, not by a mix that counts them
