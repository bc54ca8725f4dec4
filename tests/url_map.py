"""Every rule of the URL map as concrete requests, for tests that must reach all routes
(bad input, out-of-range ids, fuzzing): a small world of objects fills the path arguments."""

import io
import itertools
import re
from dataclasses import dataclass
from datetime import date

from mitwirkung.comments import services as comment_services
from mitwirkung.core import reject_reasons, uploads
from mitwirkung.extensions import db
from mitwirkung.votes.paper import batches, double_entry, tally_sheets
from mitwirkung.votes.paper.tally_sheets import SheetFigures

from . import factories
from .documents import factories as text_factories
from .projects import factories as project_factories
from .proposals import factories as board_factories
from .surveys import factories as survey_factories
from .votes.factories import make_vote

# <converter(args):name> or <name>
ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
SKIPPED_METHODS = {"HEAD", "OPTIONS"}


@dataclass
class World:
    """Ids and names of objects that every route with path arguments can find; a name with
    several values (both batches) gives a request for each."""

    values: dict[str, tuple[str, ...]]
    vote_slug: str
    project_slug: str
    board_slug: str = ""
    survey_slug: str = ""
    # Path arguments of the survey routes (/surveys/..., /manage/surveys/...) that differ
    # from the others' (a question id is a survey question's).
    survey_values: dict[str, tuple[str, ...]] | None = None
    # Results and exports are read on a closed survey with responses (the other is open
    # and nobody has answered it, so the builder may still change it).
    answered_survey_slug: str = ""
    answered_survey_values: dict[str, tuple[str, ...]] | None = None


def build_world(staff) -> World:
    """A published project with a phase, a document and an image; an open vote with double
    entry, a counted-to-be batch awaiting its check entry, an open batch with a card and a
    tally sheet awaiting its check entry; an idea board with a category, a public idea and
    a pending one; a published comment on the public idea; a text in its second version
    with a comment on a section that version changed."""
    image = uploads.save_image(io.BytesIO(project_factories.image_bytes()))
    project = project_factories.project(phases=[(-5, 5)], slug="welt", image=image,
                                        image_alt="Ein Bild")
    document = project_factories.document(project)
    vote = make_vote(project, slug="welt-abstimmung", double_entry=True)
    checking, _parsed = batches.import_batch(
        vote, b"serial,entwurf,name\nW-1,A,B\n", station="Markt", collected_on=date.today(),
        entered_by=staff, file_name="w.csv")
    other = factories.user(role="staff")
    check_card = double_entry.add_check_card(checking, "W-1", {"entwurf": "A", "name": "B"},
                                             other)
    open_batch = batches.open_batch(vote, "Rathaus", date.today(), staff)
    card = batches.add_card(open_batch, "W-2", {"entwurf": "B", "name": ""})
    sheet = tally_sheets.enter_sheet(vote, station="Bibliothek", collected_on=date.today(),
                                     figures=SheetFigures(1, {"entwurf": {"options": {"A": 1}},
                                                              "name": {"blank": 1}}),
                                     entered_by=staff)
    board = board_factories.board(project, slug="welt-ideen")
    idea = board_factories.idea(board, title="Welt-Idee")
    # A pending idea for the moderators' routes, by someone other than whoever walks them.
    pending = board_factories.idea(board, title="Wartende Welt-Idee", state="pending")
    # A published comment on the idea, by someone else (who alone may delete it).
    comment, _created = comment_services.post("idea", idea, factories.user(), "Ein Kommentar.",
                                              submission_key="welt-kommentar-0001")
    comment.moderation_state = "approved"
    reason = reject_reasons.add(staff, "Ein Grund der Testwelt")
    db.session.commit()
    # A text with a second version: a section changed in it, with a comment on version 1.
    text = text_factories.text(project, actor=staff, title="Welt-Leitlinien",
                               slug="welt-leitlinien")
    section = text_factories.section(text, "2-vorhabenliste")
    text_factories.comment(section, text="Zu selten.")
    text_factories.version(text, text_factories.GUIDELINES.replace("zweimal", "viermal"),
                           actor=staff)
    survey = _survey(project)
    question = vote.questions[0]
    answered, answered_text = _survey_world(project)
    values = {
        "project_id": project.id, "phase_id": project.phases[0].id, "document_id": document.id,
        "question_id": question.id, "option_id": question.options[0].id,
        "batch_id": (open_batch.id, checking.id, sheet.id), "ballot_id": card.id,
        "card_id": check_card.id, "user_id": factories.user().id, "token": "x",
        "name": project.image, "filename": "css/site.css", "idea_id": idea.id,
        "category_id": board.categories[0].id, "key": "ideas", "item_id": pending.id,
        "kind": "idea", "target_id": idea.id, "comment_id": comment.id, "parent_id": comment.id,
        "text_slug": text.slug, "text_id": text.id, "section_id": section.id,
        "reason_id": reason.id,
    }
    survey_values = {"question_id": (str(survey.questions[-1].id),),
                     "option_id": (str(survey.questions[0].options[0].id),)}
    return World({k: tuple(map(str, v if isinstance(v, tuple) else (v,)))
                  for k, v in values.items()}, vote.slug, project.slug, board.slug,
                 survey.slug, survey_values, answered.slug,
                 {"question_id": (str(answered_text.id),)})


def _survey_world(project):
    """A closed survey with public results, a choice and a free text question, and six
    responses (enough for a breakdown that shows its groups)."""
    from datetime import timedelta

    from mitwirkung.core.time import utcnow
    from mitwirkung.surveys.models import Audience, QuestionKind

    survey = survey_factories.survey(
        project, slug="welt-ergebnisse", audience=Audience.PUBLIC, results_public=True,
        opens_at=utcnow() - timedelta(days=3), closes_at=utcnow() - timedelta(days=1))
    who = survey_factories.question(survey, QuestionKind.SINGLE, title="Sie antworten als",
                                    options=("Einwohner", "Gewerbe"))
    text = survey_factories.question(survey, QuestionKind.TEXT, title="Anmerkungen")
    survey_factories.responses(survey, *[{who: {"option": who.options[i % 2].id},
                                          text: {"text": f"Welt-Text {i}"}}
                                         for i in range(6)],
                               user_ids=[factories.user().id for _ in range(6)])
    return survey, text


def _survey(project):
    """An open public survey on two pages, with a condition on the first and a question
    of every kind."""
    from mitwirkung.surveys.models import Audience, QuestionKind

    survey = survey_factories.survey(project, slug="welt-umfrage", title="Welt-Umfrage",
                                     audience=Audience.PUBLIC, intro="Eine **Umfrage**.")
    way = survey_factories.question(survey, QuestionKind.SINGLE, "Wie kommen Sie?",
                                    options=("Rad", ("Sonstiges", {"is_other": True})),
                                    required=True)
    survey_factories.question(survey, QuestionKind.TEXT, "Warum das Rad?",
                              condition_question_id=way.id,
                              condition_option_id=way.options[0].id)
    survey_factories.question(survey, QuestionKind.NUMBER, "Stunden?", page=2, unit="Stunden")
    survey_factories.question(survey, QuestionKind.SCALE, "Zufrieden?", page=2,
                              scale_min_label="gar nicht", scale_max_label="sehr")
    survey_factories.question(survey, QuestionKind.MATRIX, "Wie wichtig?", page=2,
                              statements=("Preis", "Zeit"))
    survey_factories.question(survey, QuestionKind.MULTIPLE, "Was noch?", page=2,
                              options=("A", "B"))
    survey_factories.question(survey, QuestionKind.YES_NO, "Gut?", page=2)
    return survey


def slug_for(rule: str, world: World) -> str:
    if rule.startswith("/pages/"):
        return "impressum"
    if rule.startswith("/projects/"):
        return world.project_slug
    if "/boards/" in rule:
        return world.board_slug
    if "/surveys/" in rule:
        return world.answered_survey_slug if _reads_answers(rule) else world.survey_slug
    return world.vote_slug


def _reads_answers(rule: str) -> bool:
    """A survey route that reads responses: results and exports."""
    return "/surveys/" in rule and ("/results" in rule or "/responses." in rule)


def _survey_values(rule: str, world: World) -> dict[str, tuple[str, ...]]:
    if "/surveys/" not in rule:
        return {}
    return (world.answered_survey_values if _reads_answers(rule) else world.survey_values) or {}


def concrete_rules(app, world: World, replace=None):
    """(rule, method, path) for every rule and method; `replace(converter, name)` may return
    a value to put into the path instead of the world's (None: keep the world's)."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        arguments = ARGUMENT.findall(rule.rule)
        choices = []
        for converter, name in arguments:
            chosen = replace(converter or "default", name) if replace else None
            if chosen is not None:
                choices.append((chosen,))
            elif name == "slug":
                choices.append((slug_for(rule.rule, world),))
            elif name in _survey_values(rule.rule, world):
                choices.append(_survey_values(rule.rule, world)[name])
            else:
                choices.append(world.values[name])
        for combination in itertools.product(*choices):
            values = iter(combination)
            path = ARGUMENT.sub(lambda _match, values=values: next(values), rule.rule)
            for method in sorted(rule.methods - SKIPPED_METHODS):
                yield rule, method, path
