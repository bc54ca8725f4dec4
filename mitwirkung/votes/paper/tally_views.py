"""Staff pages for tally sheets: enter one, see it, its check entry, and correcting the first
entry when the two differ."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.domain import show_on_form
from ...core.permissions import require
from ...extensions import db
from .. import bp, services
from ..models import BatchStatus, TallyEntry
from . import batches, double_entry, tally_sheets
from .tally_forms import tally_form
from .views import _default_day

PREFIX = "/manage/votes/<slug>/tally"


def _vote_and_sheet(slug: str, batch_id: int):
    vote = services.get_vote(slug) or abort(404)
    batch = batches.get_batch(vote, batch_id)
    if batch is None or not batch.is_tally:
        abort(404)
    return vote, batch


def _to_list(vote):
    return redirect(url_for(".batch_list", slug=vote.slug))


def _to_sheet(vote, batch):
    return redirect(url_for(".tally_sheet", slug=vote.slug, batch_id=batch.id))


def _render_form(vote, form, *, batch=None, entry=None):
    return render_template("votes/batches/tally_form.html", vote=vote, form=form, batch=batch,
                           entry=entry)


@bp.route(f"{PREFIX}/new", methods=["GET", "POST"])
@require("manage_projects")
def tally_new(slug: str):
    vote = services.get_vote(slug) or abort(404)
    form = tally_form(vote, new=True)
    if not form.is_submitted():
        form.collected_on.data = _default_day(vote)
    if form.validate_on_submit():
        try:
            batch = tally_sheets.enter_sheet(
                vote, station=form.station.data, collected_on=form.collected_on.data,
                figures=form.figures(), entered_by=current_user)
        except tally_sheets.SheetRejected as error:
            db.session.rollback()
            form.show_errors(error)
        except batches.BatchError as error:
            db.session.rollback()
            if not show_on_form(form, error):  # the vote takes no cards: say so on the list
                flash(str(error), "error")
                return _to_list(vote)
        else:
            db.session.commit()
            _flash_entered(batch)
            return _to_list(vote)
    return _render_form(vote, form)


def _flash_entered(batch) -> None:
    cards = tally_sheets.sheet_cards([batch.id]).get(batch.id, 0)
    if batch.status == BatchStatus.CHECKING:
        flash(_("The tally sheet from %(station)s is saved. Its %(count)d cards count once "
                "another staff member has entered the sheet again and both entries agree.",
                station=batch.station, count=cards), "success")
    else:
        flash(_("The tally sheet from %(station)s is saved; its %(count)d cards now count.",
                station=batch.station, count=cards), "success")


@bp.route(f"{PREFIX}/<int:batch_id>")
@require("manage_projects")
def tally_sheet(slug: str, batch_id: int):
    vote, batch = _vote_and_sheet(slug, batch_id)
    state = tally_sheets.state(vote, batch)
    # While the check entry is missing, the figures stay with whoever typed them: the check
    # entry is counted from the paper, not copied from the screen.
    show_figures = (batch.status != BatchStatus.CHECKING or state.check is not None
                    or not double_entry.may_check(batch, current_user))
    return render_template(
        "votes/batches/tally_sheet.html", vote=vote, batch=batch, state=state,
        show_figures=show_figures, may_check=double_entry.may_check(batch, current_user),
        accepting=services.accepts_paper(vote), choices=list(tally_sheets.choices(vote)),
        choice_label=tally_sheets.choice_label,
    )


def _save_entry(vote, batch, entry: str):
    """The check entry or a correction of the first: the form, filled with what this person
    typed before, and what saving it means for the sheet."""
    sheet = tally_sheets.sheet_of(batch, entry)
    mine = sheet is not None and (entry == TallyEntry.FIRST
                                  or sheet.entered_by_id == current_user.id)
    form = tally_form(vote, new=False, figures=tally_sheets.figures_of(sheet) if mine else None)
    if form.validate_on_submit():
        save = tally_sheets.enter_check if entry == TallyEntry.CHECK else \
            tally_sheets.correct_first
        try:
            state = save(batch, form.figures(), current_user)
        except tally_sheets.SheetRejected as error:
            db.session.rollback()
            form.show_errors(error)
        except batches.BatchError as error:
            db.session.rollback()
            flash(str(error), "error")
            return _to_sheet(vote, batch)
        else:
            db.session.commit()
            if batch.status == BatchStatus.COUNTED:
                flash(_("Both entries agree: the %(count)d cards of the tally sheet from "
                        "%(station)s now count.", count=state.first.cards,
                        station=batch.station), "success")
                return _to_list(vote)
            if state.differences:
                flash(_("Saved. The two entries differ: count the sheet again and correct "
                        "the entry that is wrong."), "error")
            elif state.one_person:
                flash(str(tally_sheets.OnePerson()), "error")
            else:
                flash(_("Saved. The sheet counts once another staff member has entered it "
                        "again."), "success")
            return _to_sheet(vote, batch)
    return _render_form(vote, form, batch=batch, entry=entry)


@bp.route(f"{PREFIX}/<int:batch_id>/check", methods=["GET", "POST"])
@require("manage_projects")
def tally_check(slug: str, batch_id: int):
    return _entry_page(slug, batch_id, TallyEntry.CHECK)


@bp.route(f"{PREFIX}/<int:batch_id>/correct", methods=["GET", "POST"])
@require("manage_projects")
def tally_correct(slug: str, batch_id: int):
    return _entry_page(slug, batch_id, TallyEntry.FIRST)


def _entry_page(slug: str, batch_id: int, entry: str):
    """A sheet's check entry or the correction of its first entry, while it awaits its
    check; the first entrant makes no check entry. Refusals go back to the sheet's page."""
    vote, batch = _vote_and_sheet(slug, batch_id)
    refusal = None
    if batch.status != BatchStatus.CHECKING:
        refusal = double_entry.NotChecking()
    elif entry == TallyEntry.CHECK and not double_entry.may_check(batch, current_user):
        refusal = double_entry.SameStaffMember()
    if refusal is not None:
        flash(str(refusal), "error")
        return _to_sheet(vote, batch)
    return _save_entry(vote, batch, entry)
