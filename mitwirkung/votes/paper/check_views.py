"""Staff pages for double entry: a batch's check entry (typed or a CSV file), the card-by-card
comparison with the first entry, corrections of either side, and confirming the batch."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...core.permissions import require
from ...extensions import db
from .. import bp, services
from . import batches, cards, double_entry
from . import parse as paper
from .entry import CONFLICT, entry_refused, entry_saved, wants_json
from .forms import CheckFileForm, card_form, question_field_name
from .views import RECENT_CARDS

PREFIX = "/manage/votes/<slug>/batches/<int:batch_id>"


def _vote_and_batch(slug: str, batch_id: int):
    vote = services.get_vote(slug) or abort(404)
    return vote, batches.get_batch(vote, batch_id) or abort(404)


def _refuse(vote, batch, error: Exception, endpoint: str = ".batch_compare"):
    db.session.rollback()
    flash(str(error), "error")
    return redirect(url_for(endpoint, slug=vote.slug, batch_id=batch.id))


def _to_compare(vote, batch, anchor: str | None = None):
    return redirect(url_for(".batch_compare", slug=vote.slug, batch_id=batch.id,
                            _anchor=anchor))


# The check entry ------------------------------------------------------------------------


@bp.route(f"{PREFIX}/check", methods=["GET", "POST"])
@require("manage_projects")
def batch_check(slug: str, batch_id: int):
    """The check entry: the batch's cards typed again, one per screen, by another person.
    The entry script posts the same form and gets JSON back (entry.py)."""
    vote, batch = _vote_and_batch(slug, batch_id)
    typed = request.args.get("serial", "")[:40]  # a card the comparison found missing
    form = card_form(vote, entry=True, data={"serial": typed})
    if form.is_submitted():
        card = None
        try:
            if form.validate():
                card = double_entry.add_check_card(batch, form.serial.data, form.cells(),
                                                   current_user)
        except cards.CardRejected as error:
            form.show_errors(error)
        except batches.BatchError as error:
            if wants_json():
                db.session.rollback()
                return entry_refused(form, form.serial.data, status=CONFLICT,
                                     message=str(error))
            return _refuse(vote, batch, error, ".batch_check")
        if card is not None:
            db.session.commit()
        if wants_json():
            if card is None:
                return entry_refused(form, form.serial.data)
            return _check_saved(vote, batch, card.serial)
        if card is not None:
            flash(_("Card %(serial)s saved.", serial=card.serial), "success")
            return redirect(url_for(".batch_check", slug=slug, batch_id=batch.id,
                                    after=card.serial))
    guide = double_entry.serial_guide(batch, request.args.get("after"))
    if not form.is_submitted() and not typed:
        form.propose(guide.proposal)
    return render_template(
        "votes/batches/check.html", **_check_context(vote, batch), form=form, guide=guide,
        first_count=batches.batch_size(batch), accepting=services.accepts_paper(vote),
        may_check=double_entry.may_check(batch, current_user),
    )


def _check_context(vote, batch) -> dict:
    """What the check entry's page and the entry script's answer show of its cards."""
    show_all = request.args.get("all") == "1"
    count = double_entry.check_size(batch)
    return {"vote": vote, "batch": batch, "count": count,
            "count_text": ngettext("%(num)d card in the check entry",
                                   "%(num)d cards in the check entry", count),
            "show_all": show_all, "check_answers": cards.check_answers,
            "cards": double_entry.check_cards_of(batch, None if show_all else RECENT_CARDS)}


def _check_saved(vote, batch, serial: str):
    context = _check_context(vote, batch)
    return entry_saved(
        serial=serial, count=context["count"], count_text=context["count_text"],
        guide=double_entry.serial_guide(batch, serial),
        cards_html=render_template("votes/batches/_check_cards.html", **context,
                                   may_enter=True),
    )


@bp.route(f"{PREFIX}/check/import", methods=["GET", "POST"])
@require("manage_projects")
def batch_check_import(slug: str, batch_id: int):
    """A CSV file as the check entry; errors are listed and nothing is stored."""
    vote, batch = _vote_and_batch(slug, batch_id)
    form = CheckFileForm()
    errors = []
    if form.validate_on_submit():
        file_name = (form.file.data.filename or "")[: batches.FILE_NAME_MAX_LENGTH]
        try:
            data = paper.read_limited(form.file.data)
            parsed = double_entry.import_check_file(batch, data, current_user,
                                                    file_name=file_name)
        except batches.ImportRejected as error:
            db.session.rollback()
            errors = error.errors
        except double_entry.SameFile as error:
            form.file.errors.append(str(error))
        except batches.BatchError as error:
            return _refuse(vote, batch, error, ".batch_check")
        else:
            db.session.commit()
            flash(ngettext("%(num)d card of the check entry was imported.",
                           "%(num)d cards of the check entry were imported.",
                           len(parsed.cards)), "success")
            return _to_compare(vote, batch)
    return render_template("votes/batches/check_import.html", vote=vote, batch=batch, form=form,
                           errors=errors, may_check=double_entry.may_check(batch, current_user))


def _back(vote, batch):
    """Where a correction of a check card returns: the comparison or the check entry."""
    if request.args.get("back") == "compare":
        return _to_compare(vote, batch)
    return redirect(url_for(".batch_check", slug=vote.slug, batch_id=batch.id))


def _check_card_or_404(batch, card_id: int):
    return double_entry.get_check_card(batch, card_id) or abort(404)


@bp.route(f"{PREFIX}/check/cards/<int:card_id>/edit", methods=["GET", "POST"])
@require("manage_projects")
def batch_check_card_edit(slug: str, batch_id: int, card_id: int):
    vote, batch = _vote_and_batch(slug, batch_id)
    card = _check_card_or_404(batch, card_id)
    return _card_editor(
        vote, batch, card.serial, cards.typed_cells(vote, cards.check_answers(vote, card)),
        save=lambda serial, cells: double_entry.update_check_card(
            batch, card, serial, cells, current_user),
        heading=_("Correct card %(serial)s of the check entry", serial=card.serial),
        done=lambda: _back(vote, batch),
    )


@bp.route(f"{PREFIX}/check/cards/<int:card_id>/delete", methods=["POST"])
@require("manage_projects")
def batch_check_card_delete(slug: str, batch_id: int, card_id: int):
    vote, batch = _vote_and_batch(slug, batch_id)
    card = _check_card_or_404(batch, card_id)
    return _card_deleter(
        vote, batch, card.serial,
        delete=lambda: double_entry.delete_check_card(batch, card, current_user),
        done=lambda: _back(vote, batch),
    )


@bp.route(f"{PREFIX}/check/discard", methods=["POST"])
@require("manage_projects")
def batch_check_discard(slug: str, batch_id: int):
    """Delete the whole check entry, e.g. after importing the wrong file."""
    vote, batch = _vote_and_batch(slug, batch_id)
    try:
        cards = double_entry.discard_check(batch, current_user)
    except batches.BatchError as error:
        return _refuse(vote, batch, error, ".batch_check")
    db.session.commit()
    flash(ngettext("The check entry with %(num)d card was discarded.",
                   "The check entry with %(num)d cards was discarded.", cards), "success")
    return redirect(url_for(".batch_check", slug=slug, batch_id=batch.id))


# Comparing, correcting the first entry, confirming ----------------------------------------


@bp.route(f"{PREFIX}/compare")
@require("manage_projects")
def batch_compare(slug: str, batch_id: int):
    """Both entries card by card: every difference, until none is left and staff confirm."""
    vote, batch = _vote_and_batch(slug, batch_id)
    return render_template(
        "votes/batches/compare.html", vote=vote, batch=batch,
        comparison=double_entry.compare(batch),
        accepting=services.accepts_paper(vote),
        may_check=double_entry.may_check(batch, current_user),
    )


@bp.route(f"{PREFIX}/compare/cards/new", methods=["GET", "POST"])
@require("manage_projects")
def batch_first_card_new(slug: str, batch_id: int):
    """Add a card that the first entry missed."""
    vote, batch = _vote_and_batch(slug, batch_id)
    form = card_form(vote, data={"serial": request.args.get("serial", "")[:40]})
    if form.validate_on_submit():
        try:
            ballot = double_entry.add_first_card(batch, form.serial.data, form.cells(),
                                                 current_user)
        except cards.CardRejected as error:
            form.show_errors(error)
        except batches.BatchError as error:
            return _refuse(vote, batch, error)
        else:
            db.session.commit()
            flash(_("Card %(serial)s saved.", serial=ballot.serial), "success")
            return _to_compare(vote, batch)
    return render_template("votes/batches/check_card.html", vote=vote, batch=batch, form=form,
                           heading=_("Add a card to the first entry"))


def _ballot_or_404(batch, ballot_id: str):
    return batches.get_card(batch, ballot_id) or abort(404)


@bp.route(f"{PREFIX}/compare/cards/<ballot_id>/edit", methods=["GET", "POST"])
@require("manage_projects")
def batch_first_card_edit(slug: str, batch_id: int, ballot_id: str):
    """Correct a card of the first entry while the batch awaits its check."""
    vote, batch = _vote_and_batch(slug, batch_id)
    ballot = _ballot_or_404(batch, ballot_id)
    return _card_editor(
        vote, batch, ballot.serial, cards.typed_cells(vote, cards.ballot_answers(vote, ballot)),
        save=lambda serial, cells: double_entry.correct_first_card(
            batch, ballot, serial, cells, current_user),
        heading=_("Correct card %(serial)s of the first entry", serial=ballot.serial),
        done=lambda: _to_compare(vote, batch),
    )


def _card_editor(vote, batch, serial: str, cells: dict, *, save, heading: str, done):
    """The page that corrects one card of either entry: `save(serial, cells)` stores it."""
    typed = {question_field_name(code): text for code, text in cells.items()}
    form = card_form(vote, data={"serial": serial, **typed})
    if form.validate_on_submit():
        try:
            save(form.serial.data, form.cells())
        except cards.CardRejected as error:
            form.show_errors(error)
        except batches.BatchError as error:
            return _refuse(vote, batch, error)
        else:
            db.session.commit()
            flash(_("Card %(serial)s saved.", serial=form.serial.data.strip()), "success")
            return done()
    return render_template(
        "votes/batches/check_card.html", vote=vote, batch=batch, form=form, heading=heading,
    )


@bp.route(f"{PREFIX}/compare/cards/<ballot_id>/delete", methods=["POST"])
@require("manage_projects")
def batch_first_card_delete(slug: str, batch_id: int, ballot_id: str):
    vote, batch = _vote_and_batch(slug, batch_id)
    ballot = _ballot_or_404(batch, ballot_id)
    return _card_deleter(
        vote, batch, ballot.serial,
        delete=lambda: double_entry.delete_first_card(batch, ballot, current_user),
        done=lambda: _to_compare(vote, batch),
    )


def _card_deleter(vote, batch, serial: str, *, delete, done):
    """Delete one card of either entry: `delete()` removes it, `done()` is where to go."""
    try:
        delete()
    except batches.BatchError as error:
        return _refuse(vote, batch, error)
    db.session.commit()
    flash(_("Card %(serial)s deleted.", serial=serial), "success")
    return done()


@bp.route(f"{PREFIX}/confirm", methods=["POST"])
@require("manage_projects")
def batch_confirm(slug: str, batch_id: int):
    """Count a batch whose two entries agree."""
    vote, batch = _vote_and_batch(slug, batch_id)
    try:
        cards = double_entry.confirm(batch, current_user)
    except batches.BatchError as error:
        return _refuse(vote, batch, error)
    db.session.commit()
    flash(ngettext("Both entries agree. The batch from %(station)s is confirmed; its "
                   "%(num)d card now counts.",
                   "Both entries agree. The batch from %(station)s is confirmed; its "
                   "%(num)d cards now count.", cards, station=batch.station), "success")
    return redirect(url_for(".batch_list", slug=slug))
