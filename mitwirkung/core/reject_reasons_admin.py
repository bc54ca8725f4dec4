"""The admins' page of the reasons for rejection: the list in its order, each reason
reworded, moved up or down, deactivated or activated again; a form to add one."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..extensions import db
from . import reject_reasons
from .forms import Form
from .permissions import require

bp = Blueprint("moderation_reasons", __name__, url_prefix="/admin/moderation/reasons")


class ReasonForm(Form):
    text = StringField(_l("Reason"), validators=[
        DataRequired(message=_l("Please write the reason.")),
        Length(max=reject_reasons.TEXT_MAX)],
        description=_l("As the author reads it in the e-mail, e.g. “Werbung oder Spam”."))


@bp.route("", methods=["GET", "POST"])
@require("edit_settings")
def index():
    """GET: the list and the form to add a reason. POST: add it."""
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            reason = reject_reasons.add(current_user, form.text.data)
        except reject_reasons.ReasonError as error:
            db.session.rollback()
            form.text.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Reason %(reason)s added.", reason=reason.text), "success")
            return redirect(url_for(".index"))
    return render_template("moderation/reasons.html", reasons=reject_reasons.every(),
                           form=form)


@bp.route("/<int:reason_id>/edit", methods=["GET", "POST"])
@require("edit_settings")
def edit(reason_id: int):
    reason = _reason_or_404(reason_id)
    form = ReasonForm(data={"text": reason.text})
    if form.validate_on_submit():
        try:
            reject_reasons.reword(current_user, reason, form.text.data)
        except reject_reasons.ReasonError as error:
            db.session.rollback()
            form.text.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Reason saved."), "success")
            return redirect(url_for(".index"))
    return render_template("moderation/reason_edit.html", reason=reason, form=form)


@bp.route("/<int:reason_id>/move", methods=["POST"])
@require("edit_settings")
def move(reason_id: int):
    reason = _reason_or_404(reason_id)
    reject_reasons.move(current_user, reason, -1 if request.form.get("to") == "up" else 1)
    db.session.commit()
    return redirect(url_for(".index", _anchor=f"reason-{reason.id}"))


@bp.route("/<int:reason_id>/active", methods=["POST"])
@require("edit_settings")
def set_active(reason_id: int):
    reason = _reason_or_404(reason_id)
    active = request.form.get("active") == "1"
    reject_reasons.set_active(current_user, reason, active)
    db.session.commit()
    flash(_("Reason %(reason)s is offered again.", reason=reason.text) if active
          else _("Reason %(reason)s is no longer offered.", reason=reason.text), "success")
    return redirect(url_for(".index", _anchor=f"reason-{reason.id}"))


def _reason_or_404(reason_id: int):
    reason = reject_reasons.get(reason_id)
    if reason is None:
        abort(404)
    return reason
