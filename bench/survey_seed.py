"""A big survey for benchmarks: 20 questions of every kind and any number of generated
responses, written through surveys.storage.insert_responses (the one writer of answer rows)
in batches, so 50,000 responses take seconds, not minutes.

    from survey_seed import seed_survey
    with app.app_context():
        survey = seed_survey(responses=50_000)   # committed; survey.slug == "bench-umfrage"

Answers are drawn from a seeded random generator (the same data every run) and checked by
surveys.answers like a sent response; one question is asked only under a condition, so
"not asked" is part of the data too.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.projects.models import Project
from mitwirkung.surveys import answers
from mitwirkung.surveys.models import (
    Audience,
    QuestionKind,
    Survey,
    SurveyOption,
    SurveyQuestion,
    SurveyStatement,
    SurveyStatus,
)
from mitwirkung.surveys.storage import NewResponse, insert_responses

SLUG = "bench-umfrage"
BATCH = 2_000

# (kind, title, options or statements, settings): 20 questions.
QUESTIONS = (
    ("single", "Sie antworten als", ("Einwohnerin oder Einwohner", "Gewerbe",
                                    ("Sonstiges, bitte angeben", True)), {"required": True}),
    ("yes_no", "Kennen Sie die Verpackungssteuer?", (), {}),
    ("multiple", "Welche Verpackungen nutzen Sie?", ("Becher", "Teller", "Besteck",
                                                     "Schalen", ("Sonstiges", True)), {}),
    ("number", "Wie viele Stunden spart Ihnen das Werkzeug im Monat?", (),
     {"number_min": 0, "number_max": 160, "number_step": 0.5, "unit": "Stunden"}),
    ("scale", "Wie zufrieden sind Sie mit der Sauberkeit der Innenstadt?", (),
     {"scale_min": 1, "scale_max": 5, "scale_min_label": "gar nicht",
      "scale_max_label": "sehr"}),
    ("matrix", "Wie wichtig sind Ihnen ...", ("Sauberkeit", "Kosten", "Umwelt"),
     {"scale_min": 1, "scale_max": 5}),
    ("text", "Was möchten Sie uns noch sagen?", (), {"max_length": 2000}),
    ("single", "Wie alt sind Sie?", ("unter 18", "18 bis 29", "30 bis 49", "50 bis 64",
                                     "65 und älter"), {}),
    ("scale", "Wie wahrscheinlich empfehlen Sie die Innenstadt weiter?", (),
     {"scale_min": 0, "scale_max": 10}),
    ("multiple", "Wo kaufen Sie Essen zum Mitnehmen?", ("Bäckerei", "Imbiss", "Café",
                                                        "Supermarkt"), {"max_choices": 3}),
    ("yes_no", "Würden Sie Mehrweg nutzen?", (), {}),
    ("number", "Wie viele Einwegbecher nutzen Sie pro Woche?", (),
     {"number_min": 0, "number_max": 50, "number_step": 1}),
    ("single", "Wie kommen Sie in die Innenstadt?", ("Zu Fuß", "Fahrrad", "Bus", "Auto"), {}),
    ("matrix", "Wie bewerten Sie ...", ("Angebot", "Preise", "Erreichbarkeit", "Atmosphäre"),
     {"scale_min": 1, "scale_max": 5}),
    ("scale", "Wie sehr belastet Sie Müll im Stadtbild?", (), {"scale_min": 1, "scale_max": 5}),
    ("text", "Welche Idee haben Sie für weniger Müll?", (), {}),
    ("yes_no", "Haben Sie schon an einer Umfrage der Stadt teilgenommen?", (), {}),
    ("number", "Wie viele Personen leben in Ihrem Haushalt?", (),
     {"number_min": 1, "number_max": 12, "number_step": 1}),
    ("multiple", "Welche Themen sind Ihnen wichtig?", ("Verkehr", "Grün", "Kultur",
                                                       "Sicherheit", "Wohnen", "Handel"), {}),
    ("single", "Wie viele Beschäftigte hat Ihr Betrieb?", ("1 bis 9", "10 bis 49",
                                                           "50 und mehr"), {}),
)
TEXTS = ("Mehr Mülleimer am Stiftsplatz", "Pfandsystem für Becher", "Weniger Plastik",
         "Die Steuer ist zu hoch", "Gute Idee, weiter so", "Mehrweg in der Mensa",
         "Öfter leeren am Wochenende", "100% dafür", "Kontrollen_verstärken")


def build_survey(project: Project, slug: str = SLUG) -> Survey:
    """The survey with its 20 questions (the last asked only of businesses), flushed."""
    now = utcnow()
    survey = Survey(project=project, slug=slug, title="Verpackungssteuer (Benchmark)",
                    status=SurveyStatus.PUBLISHED, audience=Audience.PUBLIC, anonymous=False,
                    results_public=True, opens_at=now - timedelta(days=30),
                    closes_at=now - timedelta(days=1))
    db.session.add(survey)
    for position, (kind, title, choices, settings) in enumerate(QUESTIONS):
        question = SurveyQuestion(survey=survey, kind=kind, title=title, position=position,
                                  page=1 + position // 7, **settings)
        db.session.add(question)
        for i, choice in enumerate(choices):
            label, other = (choice, False) if isinstance(choice, str) else choice
            if kind == "matrix":
                question.statements.append(SurveyStatement(label=label, position=i))
            else:
                question.options.append(SurveyOption(label=label, position=i, is_other=other))
        if kind == "yes_no":
            question.options += [SurveyOption(label="Ja", position=0),
                                 SurveyOption(label="Nein", position=1)]
    db.session.flush()
    first, last = survey.questions[0], survey.questions[-1]
    last.condition_question_id = first.id
    last.condition_option_id = first.options[1].id  # businesses only
    db.session.flush()
    return survey


def random_value(question: SurveyQuestion, rng: random.Random) -> dict:
    """A valid answer to `question`, left empty now and then (unless required)."""
    if not question.required and rng.random() < 0.05:
        return {}
    kind = question.kind_enum
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        option = rng.choice(question.options)
        return {"option": option.id, **({"other": rng.choice(TEXTS)} if option.is_other else {})}
    if kind == QuestionKind.MULTIPLE:
        count = rng.randint(1, question.max_choices or len(question.options))
        chosen = rng.sample(question.options, count)
        value = {"options": [option.id for option in chosen]}
        if any(option.is_other for option in chosen):
            value["other"] = rng.choice(TEXTS)
        return value
    if kind == QuestionKind.TEXT:
        return {"text": rng.choice(TEXTS)} if rng.random() < 0.4 else {}
    if kind == QuestionKind.SCALE:
        return {"number": rng.randint(question.scale_min, question.scale_max)}
    if kind == QuestionKind.MATRIX:
        return {"rows": {str(statement.id): rng.randint(question.scale_min, question.scale_max)
                         for statement in question.statements}}
    low, high, step = question.number_min or 0, question.number_max or 100, \
        question.number_step or 1
    steps = int((min(high, low + 40) - low) / step)
    return {"number": low + step * min(rng.randint(0, steps), rng.randint(0, steps))}


def seed_survey(responses: int = 50_000, slug: str = SLUG, seed: int = 18,
                project: Project | None = None) -> Survey:
    """The benchmark survey with `responses` responses, committed; its project is the first
    published one, or a new one."""
    rng = random.Random(seed)
    if project is None:
        project = db.session.scalar(select(Project).where(Project.status == "published")
                                    .order_by(Project.id).limit(1))
    if project is None:
        project = Project(slug=f"{slug}-projekt", title="Umfragen (Benchmark)",
                          status="published", published_at=utcnow())
        db.session.add(project)
    survey = build_survey(project, slug)
    questions = survey.questions
    batch: list[NewResponse] = []
    for _ in range(responses):
        given = {str(question.id): random_value(question, rng) for question in questions}
        checked = answers.check_response(questions, given)
        batch.append(NewResponse(rows=answers.response_rows(questions, checked)))
        if len(batch) >= BATCH:
            insert_responses(survey.id, batch)
            batch = []
    insert_responses(survey.id, batch)
    db.session.commit()
    return survey
