"""An idea's page (its permalink) and its life: submitting in two steps (what it is, then
similar ideas and an optional image), editing while it awaits approval, withdrawing; the
staff's answer, admissibility check and shortlist."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from ...core import rate_limits
from ...core.domain import show_on_form
from ...core.image_fields import image_upload_message
from ...core.moderation import kind_of
from ...core.moderation_queue import RejectForm
from ...core.muting import muted_error
from ...core.page_cache import visitor_page
from ...core.permissions import can, require
from ...core.uploads import UploadRejected
from ...extensions import db, limiter
from .. import bp, services
from ..models import Board, BoardStatus, Feasibility, Idea, WithdrawReason
from . import events
from . import services as ideas
from .forms import AnswerForm, EditForm, FeasibilityForm, SubmitForm, WithdrawForm

# Saving an idea: per account (which cannot dodge it from many places) and, more loosely,
# per address (many residents may share one, e.g. in a library). The first step, which
# searches for similar ideas, is limited per address too.
SUBMIT_LIMIT = "10 per minute;60 per hour"
ADDRESS_LIMIT = "30 per minute;300 per hour"


def _board_or_404(slug: str) -> Board:
    board = services.get_board(slug)
    if board is None or not services.may_see_board(board, current_user):
        abort(404)
    return board


def _idea_or_404(slug: str, idea_id: int) -> tuple[Board, Idea]:
    board = _board_or_404(slug)
    idea = ideas.idea_for_page(board, idea_id)
    if idea is None or not services.may_see_idea(idea, current_user):
        abort(404)
    return board, idea


def _to_idea(idea: Idea):
    return redirect(url_for("proposals.idea", slug=idea.board.slug, idea_id=idea.id))


def submitting_open(board: Board) -> bool:
    """Whether `board` takes new ideas now (for templates: the "Submit an idea" link)."""
    return services.is_public(board) and services.submitting_open(board)


bp.add_app_template_global(submitting_open, "submitting_open")
bp.add_app_template_filter(events.event_title, "event_title")
bp.add_app_template_filter(events.role_label, "role_label")
bp.add_app_template_filter(lambda value: WithdrawReason.label_of(value), "withdraw_reason_label")
bp.add_app_template_filter(lambda value: Feasibility.label_of(value), "feasibility_label")
bp.add_app_template_filter(lambda value: BoardStatus.label_of(value), "board_status_label")
bp.add_app_template_filter(format_decimal, "format_decimal")


# The page -----------------------------------------------------------------------------------


@bp.route("/boards/<slug>/ideas/<int:idea_id>")
@visitor_page
def idea(slug: str, idea_id: int):
    board, idea = _idea_or_404(slug, idea_id)
    return _idea_page(board, idea)


def _idea_page(board: Board, idea: Idea, *, answer_form=None, feasibility_form=None,
               reject_form=None, focus=None):
    """The idea's page, with the forms the viewer may use (a refused one with its errors)."""
    staff = can(current_user, "manage_projects") and idea.is_public
    competition = staff and board.competition
    moderating = (can(current_user, "moderate") and idea.is_pending and idea.withdrawn_at is None
                  and not ideas.is_author(idea, current_user))
    if staff and answer_form is None:
        answer_form = AnswerForm(formdata=None, data={"status": idea.status})
    if competition and feasibility_form is None and ideas.feasibility_open(board):
        feasibility_form = FeasibilityForm(formdata=None, data={
            "feasibility": idea.feasibility, "reason": idea.feasibility_reason})
    if moderating and reject_form is None:
        reject_form = RejectForm(kind_of(idea), idea.id, formdata=None)
    return render_template(
        "proposals/idea.html", board=board, idea=idea, timeline=ideas.timeline(idea),
        is_author=ideas.is_author(idea, current_user),
        may_edit=ideas.may_edit(idea, current_user),
        may_withdraw=ideas.may_withdraw(idea, current_user),
        answer_form=answer_form if staff else None,
        feasibility_form=feasibility_form if competition else None,
        shortlist=competition, moderating=moderating, reject_form=reject_form,
        focus=focus)


# Submitting ---------------------------------------------------------------------------------


def _submit_form(board: Board) -> SubmitForm:
    return SubmitForm().for_board(board)


def _closed(board: Board):
    return render_template("proposals/submit_closed.html", board=board), 403


def _muted(board: Board, form: SubmitForm | None = None):
    """The submission pages of a muted account: why and until when, and what was typed."""
    muted = muted_error(current_user, ideas.Muted)
    if muted is None:
        return None
    return render_template("proposals/submit_muted.html", board=board, muted=muted,
                           form=form), 403


def _first_step(board: Board, form: SubmitForm):
    return render_template("proposals/submit.html", board=board, form=form)


def _second_step(board: Board, form: SubmitForm):
    fields = form.fields()
    return render_template(
        "proposals/submit_check.html", board=board, form=form,
        similar=ideas.similar_ideas(board, fields.title, fields.text),
        category=next((c for c in board.categories if c.id == fields.category_id), None))


@bp.route("/boards/<slug>/submit", methods=["GET", "POST"])
@require("participate")
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
def submit(slug: str):
    """GET: the first step. POST: on to the second step once the first is valid; with
    `back`, the first step again with what was typed."""
    board = _board_or_404(slug)
    if not submitting_open(board):
        return _closed(board)
    form = _submit_form(board)
    if (muted := _muted(board, form)) is not None:
        return muted
    if request.method == "POST" and not request.form.get("back") and form.validate():
        return _second_step(board, form)
    return _first_step(board, form)


@bp.route("/boards/<slug>/submit/confirm", methods=["POST"])
@require("participate")
@limiter.limit(ADDRESS_LIMIT)
@limiter.limit(SUBMIT_LIMIT, key_func=lambda: rate_limits.account_key("idea-author"))
def submit_confirm(slug: str):
    """Save the idea the two steps describe; a double click stores it once."""
    board = _board_or_404(slug)
    if not submitting_open(board):
        return _closed(board)
    form = _submit_form(board)
    if form.validate_on_submit():
        try:
            idea, _created = ideas.submit_idea(
                board, current_user, form.fields(), submission_key=form.submission_key.data,
                image=form.image_file.data or None, image_alt=form.image_alt.data or "")
        except ideas.SubmittingClosed:
            return _closed(board)
        except ideas.Muted:
            return _muted(board, form)
        except ideas.IdeaError as error:
            if not show_on_form(form, error):
                flash(str(error), "error")
        except UploadRejected as error:
            form.image_file.errors.append(image_upload_message(error))
        else:
            db.session.commit()
            if idea.is_pending:
                flash(_("Thank you! Your idea awaits approval by the moderators. Until then "
                        "only you and they can see it."), "success")
            else:
                flash(_("Thank you! Your idea is published."), "success")
            return _to_idea(idea)
    if form.first_step_errors():
        return _first_step(board, form)
    return _second_step(board, form)


# Editing and withdrawing (the author) -------------------------------------------------------


def _authors_idea(slug: str, idea_id: int) -> tuple[Board, Idea]:
    """The idea, for its author only: another person gets 403 (or 404 where they may not
    even see it)."""
    board, idea = _idea_or_404(slug, idea_id)
    if not ideas.is_author(idea, current_user):
        abort(403)
    return board, idea


@bp.route("/boards/<slug>/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
@require("participate")
def edit(slug: str, idea_id: int):
    board, idea = _authors_idea(slug, idea_id)
    if not ideas.may_edit(idea, current_user):
        flash(str(ideas.NotEditable()), "error")
        return _to_idea(idea)
    form = (EditForm() if request.method == "POST" else EditForm.from_idea(idea)).for_board(board)
    form.has_image = idea.image is not None
    if form.validate_on_submit():
        try:
            ideas.edit_idea(idea, current_user, form.fields(), image=form.image_file.data or None,
                            remove_image=form.remove_image.data,
                            image_alt=form.image_alt.data or "")
        except ideas.IdeaError as error:
            if not show_on_form(form, error):
                flash(str(error), "error")
                return _to_idea(idea)
        except UploadRejected as error:
            form.image_file.errors.append(image_upload_message(error))
        else:
            db.session.commit()
            flash(_("Your changes are saved. The idea still awaits approval."), "success")
            return _to_idea(idea)
    return render_template("proposals/edit.html", board=board, idea=idea, form=form)


@bp.route("/boards/<slug>/ideas/<int:idea_id>/withdraw", methods=["GET", "POST"])
@require("participate")
def withdraw(slug: str, idea_id: int):
    board, idea = _authors_idea(slug, idea_id)
    if not ideas.may_withdraw(idea, current_user):
        flash(str(ideas.AlreadyWithdrawn() if idea.withdrawn_at else ideas.NotWithdrawable()),
              "error")
        return _to_idea(idea)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            ideas.withdraw_idea(idea, current_user, form.reason.data, form.note.data or "")
        except ideas.IdeaError as error:
            if not show_on_form(form, error):
                flash(str(error), "error")
                return _to_idea(idea)
        else:
            db.session.commit()
            flash(_("Your idea is withdrawn. It no longer appears in any list; you can still "
                    "read it here."), "success")
            return _to_idea(idea)
    return render_template("proposals/withdraw.html", board=board, idea=idea, form=form)


# The city's answer and a competition's check (staff) ----------------------------------------


def _refused(board: Board, idea: Idea, form, error: ideas.IdeaError, **forms):
    """A refused staff decision: beside its field on the idea's page, else as a message."""
    if show_on_form(form, error):
        return _idea_page(board, idea, **forms)
    flash(str(error), "error")
    return _to_idea(idea)


@bp.route("/boards/<slug>/ideas/<int:idea_id>/answer", methods=["POST"])
@require("manage_projects")
def answer(slug: str, idea_id: int):
    board, idea = _idea_or_404(slug, idea_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _idea_page(board, idea, answer_form=form, focus="answer")
    try:
        ideas.answer_idea(idea, current_user, form.status.data, form.answer.data)
    except ideas.IdeaError as error:
        return _refused(board, idea, form, error, answer_form=form, focus="answer")
    db.session.commit()
    flash(_("The answer is published in the idea's history; the author is told by e-mail."),
          "success")
    return _to_idea(idea)


@bp.route("/boards/<slug>/ideas/<int:idea_id>/feasibility", methods=["POST"])
@require("manage_projects")
def feasibility(slug: str, idea_id: int):
    board, idea = _idea_or_404(slug, idea_id)
    form = FeasibilityForm()
    if not form.validate_on_submit():
        if not board.competition or not ideas.feasibility_open(board):
            flash(str(ideas.NotCompetition() if not board.competition
                      else ideas.FeasibilityClosed()), "error")
            return _to_idea(idea)
        return _idea_page(board, idea, feasibility_form=form, focus="feasibility")
    try:
        ideas.set_feasibility(idea, current_user, form.feasibility.data, form.reason.data)
    except ideas.IdeaError as error:
        return _refused(board, idea, form, error, feasibility_form=form, focus="feasibility")
    db.session.commit()
    flash(_("The admissibility check is saved and shown on the idea."), "success")
    return _to_idea(idea)


@bp.route("/boards/<slug>/ideas/<int:idea_id>/shortlist", methods=["POST"])
@require("manage_projects")
def shortlist(slug: str, idea_id: int):
    _board, idea = _idea_or_404(slug, idea_id)
    listed = request.form.get("shortlisted") == "1"
    try:
        ideas.set_shortlisted(idea, current_user, listed)
    except ideas.IdeaError as error:
        flash(str(error), "error")
        return _to_idea(idea)
    db.session.commit()
    flash(_("The idea is on the shortlist.") if listed
          else _("The idea is no longer on the shortlist."), "success")
    return _to_idea(idea)
