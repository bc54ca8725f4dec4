"""Staff pages to set up a vote: the vote, its questions and their options, and publishing."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ...core.domain import show_on_form
from ...core.image_fields import image_upload_message
from ...core.permissions import require
from ...core.time import format_day, local_today
from ...core.uploads import UploadRejected
from ...core.urls import id_arg
from ...extensions import db
from ...projects.models import Project
from ...projects.services import all_projects
from .. import bp, services
from ..models import Option, Question, Vote
from ..results import final
from . import questions as vote_questions
from . import services as setup
from .forms import NewVoteForm, OptionForm, QuestionForm, VoteForm


def _vote_or_404(slug: str) -> Vote:
    return services.get_vote(slug) or abort(404)


def _question_or_404(vote: Vote, question_id: int) -> Question:
    for question in vote.questions:
        if question.id == question_id:
            return question
    abort(404)


def _option_or_404(question: Question, option_id: int) -> Option:
    for option in question.options:
        if option.id == option_id:
            return option
    abort(404)


def _locked_page(vote: Vote):
    """Questions and options of a vote with ballots are refused with a page that says why."""
    return render_template("votes/manage/locked.html", vote=vote), 403


def _back(vote: Vote, anchor: str | None = None):
    return redirect(url_for("votes.manage", slug=vote.slug, _anchor=anchor))


def _refused(vote: Vote, form, error: setup.SetupError, anchor: str | None = None):
    """A refused change: beside its field when the form has one (None: render the form
    again), else as a message back on the vote's page."""
    if form is not None and show_on_form(form, error):
        return None
    flash(str(error), "error")
    return _back(vote, anchor)


# Votes ---------------------------------------------------------------------------------


@bp.route("/manage/votes")
@require("manage_projects")
def manage_list():
    return render_template("votes/manage/list.html", votes=setup.all_votes())


@bp.route("/manage/votes/new", methods=["GET", "POST"])
@require("manage_projects")
def new():
    project_id = id_arg("project")
    if "project" in request.args and db.session.get(Project, project_id or 0) is None:
        abort(404)
    form = NewVoteForm(project_id=project_id)
    form.project_id.choices = [SelectChoice(0, _("Choose a project"))] + [
        SelectChoice(p.id, p.title) for p in all_projects()
    ]
    if form.validate_on_submit():
        project = db.session.get(Project, form.project_id.data)
        try:
            vote = setup.create_vote(project, current_user, **form.values())
        except setup.SetupError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("The vote was created as a draft. Now add its questions."), "success")
            return _back(vote)
    return render_template("votes/manage/new.html", form=form)


@bp.route("/manage/votes/<slug>", methods=["GET", "POST"])
@require("manage_projects")
def manage(slug: str):
    vote = _vote_or_404(slug)
    locked = setup.is_locked(vote)
    double_entry_locked = setup.double_entry_locked(vote)
    form = VoteForm() if request.method == "POST" else VoteForm.for_vote(vote)
    if locked:
        del form.slug
    if double_entry_locked:
        del form.double_entry
    if form.validate_on_submit():
        try:
            setup.update_vote(vote, current_user, **form.values(slug=vote.slug if locked else None))
        except setup.SetupError as error:
            refused = _refused(vote, form, error)
            if refused is not None:
                return refused
        else:
            db.session.commit()
            flash(_("The vote was saved."), "success")
            return _back(vote)
    return render_template(
        "votes/manage/vote.html",
        vote=vote,
        form=form,
        locked=locked,
        double_entry_locked=double_entry_locked,
        phase=services.phase(vote),
        problems=setup.readiness_problems(vote),
        declarable=final.may_declare(vote),
    )


@bp.route("/manage/votes/<slug>/publish", methods=["POST"])
@require("manage_projects")
def publish(slug: str):
    vote = _vote_or_404(slug)
    try:
        setup.publish_vote(vote, current_user)
    except setup.SetupError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The vote is published."), "success")
    return _back(vote)


@bp.route("/manage/votes/<slug>/copy", methods=["POST"])
@require("manage_projects")
def copy(slug: str):
    vote = _vote_or_404(slug)
    try:
        copied = setup.copy_vote(vote, current_user)
    except setup.SetupError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(vote)
    db.session.commit()
    flash(_("This is a copy of “%(title)s”, saved as a draft. Check its web address, texts and "
            "dates before you publish it.", title=vote.title), "success")
    return _back(copied)


@bp.route("/manage/votes/<slug>/close", methods=["GET", "POST"])
@require("manage_projects")
def close_now(slug: str):
    """GET says what closing now means and asks; POST closes the vote."""
    vote = _vote_or_404(slug)
    if request.method == "POST":
        try:
            setup.close_now(vote, current_user)
        except setup.SetupError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The vote is closed: online voting has stopped. Paper ballots collected "
                    "up to %(day)s can still be entered until the result is declared final.",
                    day=format_day(services.closing_day(vote))), "success")
        return _back(vote)
    return render_template("votes/manage/close.html", vote=vote, phase=services.phase(vote),
                           today=local_today())


# Questions -----------------------------------------------------------------------------


@bp.route("/manage/votes/<slug>/questions/new", methods=["GET", "POST"])
@require("manage_projects")
def question_new(slug: str):
    vote = _vote_or_404(slug)
    if setup.is_locked(vote):
        return _locked_page(vote)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            question = vote_questions.add_question(vote, current_user, **form.values())
        except setup.VoteLocked:
            return _locked_page(vote)
        except setup.SetupError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("The question was added. Now add its options."), "success")
            return _back(vote, f"question-{question.id}")
    return render_template("votes/manage/question_form.html", vote=vote, form=form, question=None)


@bp.route("/manage/votes/<slug>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@require("manage_projects")
def question_edit(slug: str, question_id: int):
    vote = _vote_or_404(slug)
    question = _question_or_404(vote, question_id)
    if setup.is_locked(vote):
        return _locked_page(vote)
    form = QuestionForm(obj=question)
    if form.validate_on_submit():
        try:
            vote_questions.update_question(question, current_user, **form.values())
        except setup.VoteLocked:
            return _locked_page(vote)
        except setup.SetupError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("The question was saved."), "success")
            return _back(vote, f"question-{question.id}")
    return render_template(
        "votes/manage/question_form.html", vote=vote, form=form, question=question
    )


@bp.route("/manage/votes/<slug>/questions/<int:question_id>/delete", methods=["GET", "POST"])
@require("manage_projects")
def question_delete(slug: str, question_id: int):
    """GET asks once more, naming the question; POST deletes it."""
    vote = _vote_or_404(slug)
    question = _question_or_404(vote, question_id)
    if setup.is_locked(vote):
        return _locked_page(vote)
    if request.method == "GET":
        return render_template(
            "votes/manage/delete_question.html", vote=vote, question=question,
            refused=vote_questions.question_deletion_refused(question),
        )
    try:
        vote_questions.delete_question(question, current_user)
    except setup.VoteLocked:
        return _locked_page(vote)
    except setup.SetupError as error:
        return _refused(vote, None, error, f"question-{question_id}")
    db.session.commit()
    flash(_("The question was deleted."), "success")
    return _back(vote, "questions")


# Options -------------------------------------------------------------------------------


@bp.route("/manage/votes/<slug>/questions/<int:question_id>/options/new", methods=["GET", "POST"])
@require("manage_projects")
def option_new(slug: str, question_id: int):
    vote = _vote_or_404(slug)
    question = _question_or_404(vote, question_id)
    if setup.is_locked(vote):
        return _locked_page(vote)
    form = OptionForm()
    if form.validate_on_submit():
        try:
            vote_questions.add_option(question, current_user, image=form.image_file.data,
                                      **form.values())
        except setup.VoteLocked:
            return _locked_page(vote)
        except setup.SetupError as error:
            show_on_form(form, error)
        except UploadRejected as error:
            form.image_file.errors.append(image_upload_message(error))
        else:
            db.session.commit()
            flash(_("The option was added."), "success")
            return _back(vote, f"question-{question.id}")
    return render_template(
        "votes/manage/option_form.html", vote=vote, question=question, form=form, option=None
    )


@bp.route(
    "/manage/votes/<slug>/questions/<int:question_id>/options/<int:option_id>/edit",
    methods=["GET", "POST"],
)
@require("manage_projects")
def option_edit(slug: str, question_id: int, option_id: int):
    vote = _vote_or_404(slug)
    question = _question_or_404(vote, question_id)
    option = _option_or_404(question, option_id)
    if setup.is_locked(vote):
        return _locked_page(vote)
    form = OptionForm(obj=option)
    form.has_image = option.image is not None
    if form.validate_on_submit():
        try:
            vote_questions.update_option(
                option,
                current_user,
                image=form.image_file.data,
                remove_image=form.remove_image.data,
                **form.values(),
            )
        except setup.VoteLocked:
            return _locked_page(vote)
        except setup.SetupError as error:
            show_on_form(form, error)
        except UploadRejected as error:
            form.image_file.errors.append(image_upload_message(error))
        else:
            db.session.commit()
            flash(_("The option was saved."), "success")
            return _back(vote, f"question-{question.id}")
    return render_template(
        "votes/manage/option_form.html", vote=vote, question=question, form=form, option=option
    )


@bp.route(
    "/manage/votes/<slug>/questions/<int:question_id>/options/<int:option_id>/delete",
    methods=["GET", "POST"],
)
@require("manage_projects")
def option_delete(slug: str, question_id: int, option_id: int):
    """GET asks once more, naming the option; POST deletes it."""
    vote = _vote_or_404(slug)
    question = _question_or_404(vote, question_id)
    option = _option_or_404(question, option_id)
    if setup.is_locked(vote):
        return _locked_page(vote)
    if request.method == "GET":
        return render_template(
            "votes/manage/delete_option.html", vote=vote, question=question, option=option,
            refused=vote_questions.option_deletion_refused(option),
        )
    try:
        vote_questions.delete_option(option, current_user)
    except setup.VoteLocked:
        return _locked_page(vote)
    except setup.SetupError as error:
        return _refused(vote, None, error, f"question-{question_id}")
    db.session.commit()
    flash(_("The option was deleted."), "success")
    return _back(vote, f"question-{question_id}")
