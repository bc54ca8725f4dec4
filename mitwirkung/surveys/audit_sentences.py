"""How the audit log names surveys and says what staff did to them."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core import audit
from ..core.audit import quoted
from ..extensions import db
from .models import Survey

# What survey.update lists as changed, named as the survey's form names it.
SURVEY_FIELDS = {
    "slug": _l("Web address (slug)"),
    "title": _l("Title"),
    "intro": _l("Introduction"),
    "opens_at": _l("Opens at"),
    "closes_at": _l("Closes at"),
    "audience": _l("Who may answer"),
    "anonymous": _l("Anonymous"),
    "confidential": _l("Confidential"),
    "results_public": _l("Results public after the close"),
    "changeable": _l("Responses can be changed until the close"),
    "quiz": _l("Quiz"),
}
# What survey.question_update lists as changed.
QUESTION_FIELDS = {
    "title": _l("Question"),
    "help_text": _l("Help text"),
    "page": _l("Page"),
    "required": _l("Answer required"),
    "options": _l("Options"),
    "correct": _l("Correct answer"),
    "other": _l("“Other, please specify”"),
    "min_choices": _l("At least this many choices"),
    "max_choices": _l("At most this many choices"),
    "max_length": _l("Longest answer, in characters"),
    "number_min": _l("Lowest number"),
    "number_max": _l("Highest number"),
    "number_step": _l("Step"),
    "unit": _l("Unit"),
    "scale": _l("Scale"),
    "scale_min_label": _l("Label of the lowest point"),
    "scale_max_label": _l("Label of the highest point"),
    "statements": _l("Statements"),
    "condition_option_id": _l("Condition"),
    "condition_negated": _l("Condition"),
}


def _load_surveys(ids) -> dict[int, str]:
    query = select(Survey.id, Survey.title).where(Survey.id.in_(ids))
    return {id_: title for id_, title in db.session.execute(query)}


audit.register_target("surveys", _l("Survey"), label=lambda survey: survey.title,
                      load=_load_surveys, show=quoted)


def _sentence(action, name):
    return audit.sentence(action, name, target="surveys")


def _question(line) -> str:
    return quoted(line.get("title", "?"))


def _fields(names, labels) -> str:
    return ", ".join(dict.fromkeys(str(labels.get(name, name)) for name in names))


@_sentence("survey.create", _l("Survey created"))
def _create(line):
    return _("Survey %(survey)s created", survey=line.target)


@_sentence("survey.update", _l("Survey edited"))
def _update(line):
    changed = line.get("changed", [])
    if not changed:
        return _("Survey %(survey)s saved without changes", survey=line.target)
    return _("Survey %(survey)s edited: %(fields)s", survey=line.target,
             fields=_fields(changed, SURVEY_FIELDS))


@_sentence("survey.publish", _l("Survey published"))
def _publish(line):
    return _("Survey %(survey)s published", survey=line.target)


@_sentence("survey.question_add", _l("Survey question added"))
def _question_add(line):
    return _("Question %(question)s added to survey %(survey)s", question=_question(line),
             survey=line.target)


@_sentence("survey.question_update", _l("Survey question edited"))
def _question_update(line):
    changed = line.get("changed", [])
    if not changed:
        return _("Question %(question)s of survey %(survey)s saved without changes",
                 question=_question(line), survey=line.target)
    return _("Question %(question)s of survey %(survey)s edited: %(fields)s",
             question=_question(line), survey=line.target,
             fields=_fields(changed, QUESTION_FIELDS))


@_sentence("survey.question_delete", _l("Survey question deleted"))
def _question_delete(line):
    return _("Question %(question)s of survey %(survey)s deleted", question=_question(line),
             survey=line.target)


@_sentence("survey.question_move", _l("Survey question moved"))
def _question_move(line):
    if line.get("direction") == "up":
        return _("Question %(question)s of survey %(survey)s moved up (page %(page)s)",
                 question=_question(line), survey=line.target, page=line.get("page"))
    return _("Question %(question)s of survey %(survey)s moved down (page %(page)s)",
             question=_question(line), survey=line.target, page=line.get("page"))


WORDING_NAMES = {
    "title": _l("question"),
    "help_text": _l("help text"),
    "option": _l("option %(number)s"),
    "statement": _l("statement %(number)s"),
    "scale_min_label": _l("label of the lowest point"),
    "scale_max_label": _l("label of the highest point"),
    "unit": _l("unit"),
}


def _wording_change(change: dict) -> str:
    name = str(WORDING_NAMES.get(change["field"], change["field"]))
    if "%(number)s" in name:
        name = name % {"number": change.get("number", "?")}
    return _("%(what)s from %(before)s to %(after)s", what=name,
             before=quoted(change.get("before", "")), after=quoted(change.get("after", "")))


@_sentence("survey.question_wording", _l("Survey question wording corrected"))
def _question_wording(line):
    changes = line.get("changes", [])
    if not changes:
        return _("Wording of question %(question)s of survey %(survey)s saved without changes",
                 question=_question(line), survey=line.target)
    return _("Wording of question %(question)s of survey %(survey)s corrected: %(changes)s",
             question=_question(line), survey=line.target,
             changes="; ".join(_wording_change(change) for change in changes))
