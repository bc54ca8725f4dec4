"""Reporting a published item (a small form page that works without script), and the
moderators' decisions on reported or published items: keep (dismiss the reports) or hide
with a reason. The reported items are listed in the moderators' queue through the
template global `reported_items` (templates/moderation/_flagged.html)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..extensions import db
from . import flags, hiding, moderation, muting
from .domain import show_on_form
from .forms import Form
from .permissions import can, require
from .redirects import safe_next

bp = Blueprint("flags", __name__)

REASON_MAX = 2000


class FlagForm(Form):
    reason = RadioField(
        _l("Why do you report it?"),
        choices=[SelectChoice(reason.value, reason.label) for reason in flags.FlagReason],
        validators=[InputRequired(message=_l("Please choose a reason."))])
    details = TextAreaField(
        _l("Details"),
        validators=[Optional(), Length(max=flags.DETAILS_MAX, message=_l(
            "The details can have at most %(max)d characters.", max=flags.DETAILS_MAX))],
        description=_l("Up to %(max)d characters. Only the moderators read them.",
                       max=flags.DETAILS_MAX))


class HideForm(Form):
    reason = TextAreaField(
        _l("Reason for hiding it"),
        validators=[DataRequired(message=_l("Please give the reason for hiding it; the "
                                            "author reads it.")), Length(max=REASON_MAX)],
        description=_l("The author reads it in an e-mail."))


class KeepForm(Form):
    note = TextAreaField(_l("Note for the audit log"), validators=[Optional(),
                                                                   Length(max=REASON_MAX)],
                         description=_l("Optional: why the contribution stays."))


def _kind_and_item(key: str, item_id: int):
    """The kind that takes part in flagging and its item, else 404."""
    kind = moderation.kind_by_key(key)
    if kind is None or kind.flaggable is None:
        abort(404)
    item = db.session.get(kind.model, item_id)
    if item is None:
        abort(404)
    return kind, item


def _back(default: str):
    return redirect(safe_next(request.values.get("next"), default))


@bp.app_template_global()
def reported_items() -> list[flags.Reported]:
    """The reported items, for the moderators' queue (nothing for anybody else)."""
    return flags.reported() if can(current_user, "moderate") else []


@bp.app_template_global()
def flag_url(item) -> str:
    return url_for("flags.report", key=moderation.kind_of(item).key, item_id=item.id)


@bp.app_template_global()
def hide_url(item) -> str:
    return url_for("flags.hide", key=moderation.kind_of(item).key, item_id=item.id,
                   next=request.path)


# Reporting ----------------------------------------------------------------------------------


@bp.route("/report/<key>/<int:item_id>", methods=["GET", "POST"])
@require("participate")
def report(key: str, item_id: int):
    """GET: the form. POST: store the report; errors show the form as typed."""
    kind, item = _kind_and_item(key, item_id)
    # What nobody may see publicly cannot be reported either, and is not revealed here.
    if not kind.flaggable(item):
        abort(404)
    form = FlagForm()
    status = 200
    refusal = None
    if flags.is_author(item, current_user):
        refusal = flags.OwnItem()
    elif flags.has_flagged(item, current_user):
        refusal = flags.AlreadyFlagged()
    else:
        refusal = muting.muted_error(current_user, flags.MutedFlagger)
    if refusal is None and form.validate_on_submit():
        try:
            flags.flag(item, current_user, form.reason.data, form.details.data or "")
        except flags.FlagError as error:
            db.session.rollback()
            if not show_on_form(form, error):
                refusal = error
        else:
            db.session.commit()
            flash(_("Thank you. The moderators will look at it; until they decide, it stays "
                    "visible."), "success")
            return redirect(kind.url(item) if kind.url else url_for("pages.home"))
    if refusal is not None and request.method == "POST":
        status = 403 if isinstance(refusal, flags.MutedFlagger | flags.OwnItem) else 409
    return render_template("moderation/flag.html", kind=kind, item=item, form=form,
                           refusal=refusal), status


# Deciding -----------------------------------------------------------------------------------


@bp.route("/moderation/<key>/<int:item_id>/keep", methods=["POST"])
@require("moderate")
def keep(key: str, item_id: int):
    kind, item = _kind_and_item(key, item_id)
    form = KeepForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        count = flags.keep(item, current_user, form.note.data or "")
    except (flags.FlagError, moderation.ModerationError) as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Kept: %(title)s. %(num)d reports dismissed.", title=kind.title(item),
                num=count), "success")
    return _back(url_for("moderation.queue"))


@bp.route("/moderation/<key>/<int:item_id>/hide", methods=["GET", "POST"])
@require("moderate")
def hide(key: str, item_id: int):
    """GET: the item and the reason to give. POST: hide it with that reason."""
    kind, item = _kind_and_item(key, item_id)
    form = HideForm()
    if form.validate_on_submit():
        try:
            hiding.hide(item, current_user, form.reason.data)
        except moderation.ModerationError as error:
            db.session.rollback()
            if not show_on_form(form, error):
                flash(str(error), "error")
                return _back(url_for("moderation.queue"))
        else:
            db.session.commit()
            flash(_("Hidden: %(title)s. The author is told by e-mail, with your reason.",
                    title=kind.title(item)), "success")
            return _back(url_for("moderation.queue"))
    return render_template(
        "moderation/hide.html", kind=kind, item=item, form=form,
        hideable=kind.flaggable(item), own=flags.is_author(item, current_user),
        next=safe_next(request.values.get("next"), url_for("moderation.queue")))
