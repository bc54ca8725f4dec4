"""Staff pages to set up a survey: its settings, its questions page by page, publishing."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ...core.domain import show_on_form
from ...core.permissions import require
from ...core.urls import id_arg
from ...extensions import db
from ...projects.models import Project
from ...projects.services import all_projects
from .. import bp, services
from ..models import QuestionKind, Survey, SurveyQuestion
from . import questions
from . import services as setup
from .forms import (
    NewSurveyForm,
    SurveyForm,
    condition_choices,
    fill,
    question_form,
    question_values,
    wording_values,
)


def _survey_or_404(slug: str) -> Survey:
    return services.get_survey(slug) or abort(404)


def _question_or_404(survey: Survey, question_id: int) -> SurveyQuestion:
    for question in survey.questions:
        if question.id == question_id:
            return question
    abort(404)


def _locked_page(survey: Survey):
    """Structural changes of a survey with responses are refused with a page that says why."""
    return render_template("surveys/manage/locked.html", survey=survey), 403


def _back(survey: Survey, anchor: str | None = None):
    return redirect(url_for("surveys.manage", slug=survey.slug, _anchor=anchor))


def _refused(form, error: setup.SetupError) -> None:
    """Undo what the refused change touched and show why: at its field when the form has
    it, else at the top of the form."""
    db.session.rollback()
    if form is None or not show_on_form(form, error):
        flash(str(error), "error")


# Surveys -------------------------------------------------------------------------------


@bp.route("/manage/surveys")
@require("manage_projects")
def manage_list():
    return render_template("surveys/manage/list.html", surveys=setup.all_surveys())


@bp.route("/manage/surveys/new", methods=["GET", "POST"])
@require("manage_projects")
def new():
    project_id = id_arg("project")
    if "project" in request.args and db.session.get(Project, project_id or 0) is None:
        abort(404)
    form = NewSurveyForm(project_id=project_id)
    form.project_id.choices = [SelectChoice(0, _("Choose a project"))] + [
        SelectChoice(p.id, p.title) for p in all_projects()]
    if form.validate_on_submit():
        project = db.session.get(Project, form.project_id.data)
        try:
            survey = setup.create_survey(project, current_user, form.settings())
        except setup.SetupError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("The survey was created as a draft. Now add its questions."), "success")
            return _back(survey)
    return render_template("surveys/manage/new.html", form=form)


@bp.route("/manage/surveys/<slug>", methods=["GET", "POST"])
@require("manage_projects")
def manage(slug: str):
    survey = _survey_or_404(slug)
    locked = setup.is_locked(survey)
    form = SurveyForm() if request.method == "POST" else SurveyForm.for_survey(survey)
    if survey.status != "draft":
        del form.slug
    if locked:
        form._anonymous = survey.anonymous
        for name in setup.LOCKED_SETTINGS:
            del form[name]
    if form.validate_on_submit():
        try:
            setup.update_survey(survey, current_user, form.settings(survey))
        except setup.SetupError as error:
            _refused(form, error)
            survey = _survey_or_404(slug)
        else:
            db.session.commit()
            flash(_("The survey was saved."), "success")
            return _back(survey)
    return render_template(
        "surveys/manage/survey.html", survey=survey, form=form, locked=locked,
        phase=services.phase(survey), problems=setup.readiness_problems(survey),
        pages=_pages(survey), conditions=_conditions(survey),
        preview_url=url_for("surveys.show", slug=survey.slug))


def _pages(survey: Survey) -> list[tuple[int, list[tuple[int, SurveyQuestion]]]]:
    """(page, [(number, question)]) in order: the questions numbered through the survey."""
    pages: dict[int, list] = {}
    for number, question in enumerate(survey.questions, start=1):
        pages.setdefault(question.page, []).append((number, question))
    return sorted(pages.items())


def _conditions(survey: Survey) -> dict[int, tuple[SurveyQuestion, str]]:
    """Question id -> (the question it depends on, the option's label)."""
    options = {option.id: (question, option.label) for question in survey.questions
               for option in question.options}
    return {question.id: options[question.condition_option_id]
            for question in survey.questions
            if question.condition_option_id in options}


@bp.route("/manage/surveys/<slug>/publish", methods=["POST"])
@require("manage_projects")
def publish(slug: str):
    survey = _survey_or_404(slug)
    try:
        setup.publish_survey(survey, current_user)
    except setup.SetupError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(survey, "readiness")
    db.session.commit()
    flash(_("The survey is published."), "success")
    return _back(survey)


# Questions -----------------------------------------------------------------------------


def _kind_arg() -> QuestionKind | None:
    try:
        return QuestionKind(request.args.get("kind", ""))
    except ValueError:
        return None


@bp.route("/manage/surveys/<slug>/questions/new", methods=["GET", "POST"])
@require("manage_projects")
def question_new(slug: str):
    """Without ?kind= the kinds to choose from; with it the form for that kind."""
    survey = _survey_or_404(slug)
    if setup.is_locked(survey):
        return _locked_page(survey)
    kind = _kind_arg()
    if kind is None:
        return render_template("surveys/manage/question_kinds.html", survey=survey,
                               kinds=list(QuestionKind))
    form = question_form(kind, quiz=survey.quiz, locked=False,
                         condition_choices=condition_choices(survey, None))
    if request.method == "GET":
        form.page.data = questions.last_page(survey)
    if form.validate_on_submit():
        try:
            question = questions.add_question(survey, current_user, question_values(form, kind))
        except setup.StructureLocked:
            db.session.rollback()
            return _locked_page(survey)
        except setup.SetupError as error:
            _refused(form, error)
            survey = _survey_or_404(slug)
        else:
            db.session.commit()
            flash(_("The question was added."), "success")
            return _back(survey, f"question-{question.id}")
    return render_template("surveys/manage/question_form.html", survey=survey, form=form,
                           question=None, kind=kind, locked=False)


@bp.route("/manage/surveys/<slug>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@require("manage_projects")
def question_edit(slug: str, question_id: int):
    """The whole question while nobody has answered; after that its wording only."""
    survey = _survey_or_404(slug)
    question = _question_or_404(survey, question_id)
    locked = setup.is_locked(survey)
    kind = question.kind_enum
    form = question_form(kind, quiz=survey.quiz, locked=locked,
                         condition_choices=condition_choices(survey, question))
    if request.method == "GET":
        fill(form, question, survey.quiz)
    if form.validate_on_submit():
        try:
            if locked:
                changes = questions.fix_wording(question, current_user,
                                            wording_values(form, question))
            else:
                questions.update_question(question, current_user, question_values(form, kind))
        except setup.StructureLocked:
            db.session.rollback()
            return _locked_page(survey)
        except setup.SetupError as error:
            _refused(form, error)
            survey = _survey_or_404(slug)
            question = _question_or_404(survey, question_id)
        else:
            db.session.commit()
            if locked and not changes:
                flash(_("Nothing was changed."), "success")
            else:
                flash(_("The question was saved."), "success")
            return _back(survey, f"question-{question.id}")
    return render_template("surveys/manage/question_form.html", survey=survey, form=form,
                           question=question, kind=kind, locked=locked)


@bp.route("/manage/surveys/<slug>/questions/<int:question_id>/delete",
          methods=["GET", "POST"])
@require("manage_projects")
def question_delete(slug: str, question_id: int):
    """GET asks once more, naming the question; POST deletes it."""
    survey = _survey_or_404(slug)
    question = _question_or_404(survey, question_id)
    if setup.is_locked(survey):
        return _locked_page(survey)
    if request.method == "GET":
        return render_template("surveys/manage/delete_question.html", survey=survey,
                               question=question,
                               refused=questions.question_deletion_refused(question))
    try:
        questions.delete_question(question, current_user)
    except setup.StructureLocked:
        db.session.rollback()
        return _locked_page(survey)
    except setup.SetupError as error:
        _refused(None, error)
        return _back(survey, f"question-{question_id}")
    db.session.commit()
    flash(_("The question was deleted."), "success")
    return _back(survey, "questions")


@bp.route("/manage/surveys/<slug>/questions/<int:question_id>/move", methods=["POST"])
@require("manage_projects")
def question_move(slug: str, question_id: int):
    survey = _survey_or_404(slug)
    question = _question_or_404(survey, question_id)
    if setup.is_locked(survey):
        return _locked_page(survey)
    try:
        questions.move_question(question, current_user, request.form.get("direction", ""))
    except setup.StructureLocked:
        db.session.rollback()
        return _locked_page(survey)
    except setup.SetupError as error:
        _refused(None, error)
    else:
        db.session.commit()
        flash(_("The question was moved."), "success")
    return _back(survey, f"question-{question_id}")
