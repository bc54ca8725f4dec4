"""Staff pages for paper ballots: batch list, CSV import with preview, manual entry, voiding."""

import base64
import binascii
import hashlib
import zlib
from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.domain import show_on_form
from ...core.permissions import require
from ...core.time import local_today
from ...extensions import db
from .. import bp, services
from ..models import BatchStatus
from . import batches, cards
from . import parse as paper
from .entry import CONFLICT, count_text, entry_refused, entry_saved, wants_json
from .forms import (
    BatchForm,
    ConfirmImportForm,
    ImportForm,
    VoidForm,
    card_form,
    question_field_name,
)

PREVIEW_ROWS = 100  # cards shown in the preview; the counts cover all of them
RECENT_CARDS = 10
# The confirmation form carries the file compressed; never unpack more than the parser reads.
MAX_PACKED_FILE = paper.MAX_FILE_BYTES + 1


def pack_file(data: bytes) -> str:
    """The file for the preview's hidden field: zlib-compressed, base64."""
    return base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def unpack_file(text: str) -> bytes:
    """The file back from the hidden field; ValueError if it is not one of ours."""
    try:
        packed = base64.b64decode(text, validate=True)
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, MAX_PACKED_FILE)
    except (binascii.Error, zlib.error) as error:
        raise ValueError("not a packed file") from error
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("packed file too large or cut off")
    return data


def _day_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


ENCODING_NAMES = {"utf-8": "UTF-8", "cp1252": "Windows-1252 (ANSI)"}


def file_format(parsed) -> str:
    """How the file was read, in plain words: "UTF-8, separated by semicolons"."""
    separated = (_("separated by semicolons") if parsed.delimiter == ";"
                 else _("separated by commas"))
    return f"{ENCODING_NAMES.get(parsed.encoding, parsed.encoding)}, {separated}"


def _default_day(vote) -> date:
    """Today, or the vote's last day once that has passed: the box emptied after the close."""
    return min(local_today(), services.closing_day(vote))


def _vote_or_404(slug: str):
    return services.get_vote(slug) or abort(404)


def _batch_or_404(vote, batch_id: int):
    return batches.get_batch(vote, batch_id) or abort(404)


def _int_or_none(text: str | None) -> int | None:
    """A whole number sent back by one of our forms; ValueError if it is none."""
    return int(text) if text else None


@bp.route("/manage/votes/<slug>/batches")
@require("manage_projects")
def batch_list(slug: str):
    """Every batch of the vote with its status; links to enter, check, close and void."""
    vote = _vote_or_404(slug)
    summaries = batches.batch_summaries(vote)
    totals = {
        status: sum(item.ballots for item in summaries if item.batch.status == status)
        for status in BatchStatus
    }
    return render_template(
        "votes/batches/list.html", vote=vote, summaries=summaries, totals=totals,
        accepting=services.accepts_paper(vote), phase=services.phase(vote),
        closing_day=services.closing_day(vote),
    )


# CSV import -----------------------------------------------------------------------------


def _render_preview(vote, data, parsed, errors, *, file_name, station, collected_on,
                    expected_cards=None):
    """The file's cards, counts and errors; the confirmation only if there are no errors."""
    confirm = None
    if not errors:
        confirm = ConfirmImportForm(formdata=None, data={
            "content": pack_file(data), "sha256": parsed.sha256,
            "file_name": file_name, "station": station,
            "collected_on": collected_on.isoformat(),
            "expected_cards": "" if expected_cards is None else str(expected_cards),
        })
    return render_template(
        "votes/batches/preview.html", vote=vote, parsed=parsed, errors=errors,
        counts=parsed.counts(), rows=parsed.cards[:PREVIEW_ROWS],
        file_name=file_name, station=station, collected_on=collected_on, confirm=confirm,
        file_format=file_format(parsed),
        card_count=batches.CardCount(len(parsed.cards), expected_cards),
    )


@bp.route("/manage/votes/<slug>/batches/import", methods=["GET", "POST"])
@require("manage_projects")
def batch_import(slug: str):
    """Upload a CSV file and preview it; nothing is stored until the preview is confirmed."""
    vote = _vote_or_404(slug)
    form = ImportForm()
    if not form.is_submitted():  # "upload a corrected file" keeps station and day
        form.station.data = request.args.get("station", "")[: batches.STATION_MAX_LENGTH]
        form.collected_on.data = _day_arg("date") or _default_day(vote)
        form.expected_cards.data = request.args.get("expected", type=int)
    if form.validate_on_submit():
        data = paper.read_limited(form.file.data)
        file_name = (form.file.data.filename or "")[: batches.FILE_NAME_MAX_LENGTH]
        context = {"file_name": file_name, "station": form.station.data,
                   "collected_on": form.collected_on.data,
                   "expected_cards": form.expected_cards.data}
        try:
            _batch, parsed = batches.import_batch(
                vote, data, entered_by=current_user, dry_run=True, **context
            )
        except batches.ImportRejected as error:
            return _render_preview(vote, data, error.parsed, error.errors, **context)
        except batches.BatchError as error:
            form[error.field or "file"].errors.append(str(error))
        else:
            return _render_preview(vote, data, parsed, [], **context)
    return render_template("votes/batches/import.html", vote=vote, form=form)


@bp.route("/manage/votes/<slug>/batches/import/confirm", methods=["POST"])
@require("manage_projects")
def batch_import_confirm(slug: str):
    """Import the previewed file, if it is still the same file and still without errors."""
    # The file travels in a form field; allow it up to the request's own limit.
    request.max_form_memory_size = current_app.config["MAX_CONTENT_LENGTH"]
    vote = _vote_or_404(slug)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = unpack_file(form.content.data)
        collected_on = date.fromisoformat(form.collected_on.data)
        expected_cards = _int_or_none(form.expected_cards.data)
    except ValueError:
        abort(400)
    if hashlib.sha256(data).hexdigest() != form.sha256.data:
        flash(_("The file changed after the preview, so nothing was imported. "
                "Please upload it again."), "error")
        return redirect(url_for(".batch_import", slug=slug))
    context = {"file_name": form.file_name.data, "station": form.station.data,
               "collected_on": collected_on, "expected_cards": expected_cards}
    try:
        batch, parsed = batches.import_batch(vote, data, entered_by=current_user, **context)
    except batches.ImportRejected as error:
        db.session.rollback()
        return _render_preview(vote, data, error.parsed, error.errors, **context)
    except batches.BatchError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".batch_list", slug=slug))
    db.session.commit()
    if batch.status == BatchStatus.CHECKING:
        flash(_("%(count)d cards from “%(file)s” were imported. They count once another staff "
                "member has entered them again and both entries agree.",
                count=len(parsed.cards), file=batch.file_name or ""), "success")
    else:
        flash(_("%(count)d cards from “%(file)s” were imported and counted.",
                count=len(parsed.cards), file=batch.file_name or ""), "success")
    return redirect(url_for(".batch_list", slug=slug))


# Manual entry ---------------------------------------------------------------------------


@bp.route("/manage/votes/<slug>/batches/new", methods=["GET", "POST"])
@require("manage_projects")
def batch_new(slug: str):
    vote = _vote_or_404(slug)
    form = BatchForm()
    if not form.is_submitted():
        form.collected_on.data = _default_day(vote)
    if form.validate_on_submit():
        try:
            batch = batches.open_batch(
                vote, form.station.data, form.collected_on.data, current_user,
                expected_cards=form.expected_cards.data,
            )
        except batches.BatchError as error:
            if not show_on_form(form, error):  # the vote takes no cards: say so on the list
                flash(str(error), "error")
                return redirect(url_for(".batch_list", slug=slug))
        else:
            db.session.commit()
            return redirect(url_for(".batch_cards", slug=slug, batch_id=batch.id))
    return render_template("votes/batches/new.html", vote=vote, form=form)


def _save_card(batch, form, ballot=None):
    """Add or correct a card from the form and commit; the card, or None with the errors on
    the form's fields."""
    try:
        if ballot is None:
            ballot = batches.add_card(batch, form.serial.data, form.cells())
        else:
            batches.update_card(batch, ballot, form.serial.data, form.cells())
    except cards.CardRejected as error:
        form.show_errors(error)
        return None
    db.session.commit()
    return ballot


def _refuse(vote, batch, error: batches.BatchError):
    """Where a refused change to a batch's cards lands: its page, with the reason."""
    flash(str(error), "error")
    return redirect(url_for(".batch_cards", slug=vote.slug, batch_id=batch.id))


@bp.route("/manage/votes/<slug>/batches/<int:batch_id>", methods=["GET", "POST"])
@require("manage_projects")
def batch_cards(slug: str, batch_id: int):
    """One card per screen: type it, press Enter, the next empty card follows. The entry
    script posts the same form and gets JSON back, so typing never waits for a page."""
    vote = _vote_or_404(slug)
    batch = _batch_or_404(vote, batch_id)
    if batch.is_tally:  # no cards: its figures are on its own page
        return redirect(url_for(".tally_sheet", slug=slug, batch_id=batch.id))
    form = card_form(vote, entry=True)
    if form.is_submitted():
        ballot = None
        try:
            if form.validate():
                ballot = _save_card(batch, form)
        except batches.BatchError as error:
            db.session.rollback()
            if wants_json():
                return entry_refused(form, form.serial.data, status=CONFLICT, message=str(error))
            return _refuse(vote, batch, error)
        if wants_json():
            if ballot is None:
                return entry_refused(form, form.serial.data)
            return _entry_saved(vote, batch, ballot.serial)
        if ballot is not None:
            flash(_("Card %(serial)s saved.", serial=ballot.serial), "success")
            return redirect(url_for(".batch_cards", slug=slug, batch_id=batch.id,
                                    after=ballot.serial))
    guide = batches.serial_guide(batch, request.args.get("after"))
    if not form.is_submitted():
        form.propose(guide.proposal)
    return render_template(
        "votes/batches/cards.html", **_cards_context(vote, batch), form=form, guide=guide,
        accepting=services.accepts_paper(vote),
    )


def _cards_context(vote, batch) -> dict:
    """What the page and the entry script's answer show of a batch's cards."""
    show_all = request.args.get("all") == "1"
    count = batches.batch_size(batch)
    return {"vote": vote, "batch": batch, "count": count,
            "count_text": count_text(count, batch.expected_cards),
            "show_all": show_all, "card_answers": cards.ballot_answers,
            "cards": batches.cards_of(batch, None if show_all else RECENT_CARDS)}


def _entry_saved(vote, batch, serial: str):
    context = _cards_context(vote, batch)
    guide = batches.serial_guide(batch, serial)
    return entry_saved(
        serial=serial, count=context["count"], count_text=context["count_text"], guide=guide,
        cards_html=render_template("votes/batches/_batch_cards.html", **context),
    )


def _card_or_404(batch, ballot_id: str):
    return batches.get_card(batch, ballot_id) or abort(404)


@bp.route("/manage/votes/<slug>/batches/<int:batch_id>/cards/<ballot_id>/edit",
          methods=["GET", "POST"])
@require("manage_projects")
def batch_card_edit(slug: str, batch_id: int, ballot_id: str):
    vote = _vote_or_404(slug)
    batch = _batch_or_404(vote, batch_id)
    ballot = _card_or_404(batch, ballot_id)
    if batch.status != BatchStatus.OPEN:
        return _refuse(vote, batch, batches.BatchClosed())
    typed = {question_field_name(code): text
             for code, text in cards.typed_cells(vote, cards.ballot_answers(vote, ballot)).items()}
    form = card_form(vote, data={"serial": ballot.serial, **typed})
    if form.validate_on_submit():
        try:
            if _save_card(batch, form, ballot) is not None:
                flash(_("Card %(serial)s saved.", serial=ballot.serial), "success")
                return redirect(url_for(".batch_cards", slug=slug, batch_id=batch.id))
        except batches.BatchError as error:
            return _refuse(vote, batch, error)
    return render_template("votes/batches/card_edit.html", vote=vote, batch=batch, form=form,
                           ballot=ballot)


@bp.route("/manage/votes/<slug>/batches/<int:batch_id>/cards/<ballot_id>/delete",
          methods=["POST"])
@require("manage_projects")
def batch_card_delete(slug: str, batch_id: int, ballot_id: str):
    vote = _vote_or_404(slug)
    batch = _batch_or_404(vote, batch_id)
    ballot = _card_or_404(batch, ballot_id)
    serial = ballot.serial
    try:
        batches.delete_card(batch, ballot)
    except batches.BatchError as error:
        return _refuse(vote, batch, error)
    db.session.commit()
    flash(_("Card %(serial)s deleted.", serial=serial), "success")
    return redirect(url_for(".batch_cards", slug=slug, batch_id=batch.id))


@bp.route("/manage/votes/<slug>/batches/<int:batch_id>/close", methods=["GET", "POST"])
@require("manage_projects")
def batch_close(slug: str, batch_id: int):
    """Close a batch typed by hand, after a page that asks once more: from then on its cards
    count. A number of cards other than the expected one is closed only once confirmed."""
    vote = _vote_or_404(slug)
    batch = _batch_or_404(vote, batch_id)
    try:
        if request.method == "POST":
            closed = batches.close_batch(batch, current_user, confirmed_cards=_confirmed())
            db.session.commit()
            _flash_closed(batch, closed)
            return redirect(url_for(".batch_list", slug=slug))
        count = batches.closing_count(batch)
    except batches.CardCountDiffers as error:  # not confirmed, or the number changed since
        db.session.rollback()
        count = error.count
    except batches.BatchError as error:
        db.session.rollback()
        return _refuse(vote, batch, error)
    return render_template("votes/batches/close.html", vote=vote, batch=batch, count=count)


def _confirmed() -> int | None:
    """The number of cards the close page showed, when it asked to confirm a difference."""
    try:
        return _int_or_none(request.form.get("cards"))
    except ValueError:
        return None


def _flash_closed(batch, cards: int) -> None:
    if batch.status == BatchStatus.CHECKING:
        flash(_("The batch from %(station)s is closed. Its %(count)d cards count once another "
                "staff member has entered them again and both entries agree.",
                station=batch.station, count=cards), "success")
    else:
        flash(_("The batch from %(station)s is closed; its %(count)d cards now count.",
                station=batch.station, count=cards), "success")


@bp.route("/manage/votes/<slug>/batches/<int:batch_id>/void", methods=["GET", "POST"])
@require("manage_projects")
def batch_void(slug: str, batch_id: int):
    """Take a batch out of the result, with a reason, after a page that asks once more; it
    stays listed."""
    vote = _vote_or_404(slug)
    batch = _batch_or_404(vote, batch_id)
    form = VoidForm()
    if form.validate_on_submit():
        try:
            batches.void_batch(batch, current_user, form.reason.data)
        except batches.BatchError as error:
            db.session.rollback()
            if not show_on_form(form, error):
                flash(str(error), "error")
                return redirect(url_for(".batch_list", slug=slug))
        else:
            db.session.commit()
            flash(_("The batch from %(station)s is void and no longer counts.",
                    station=batch.station), "success")
            return redirect(url_for(".batch_list", slug=slug))
    return render_template("votes/batches/void.html", vote=vote, batch=batch, form=form,
                           size=batches.batch_size(batch))
