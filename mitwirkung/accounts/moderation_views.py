"""The moderators' page of one account: mute it for a time, end a mute, or block it. Each
action is a POST of its own; a refused one shows the page again with what was typed."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.domain import show_on_form
from ..core.muting import muted_until
from ..core.permissions import require
from ..extensions import db
from . import moderation, services
from .forms import BlockForm, MuteForm

bp = Blueprint("account_moderation", __name__, url_prefix="/moderation/accounts")


def _user_or_404(user_id: int):
    user = services.get_user(user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    return user


def _page(user, mute_form=None, block_form=None, status=200):
    allowed = moderation.may_act_on(current_user, user)
    return render_template(
        "accounts/moderate.html", user=user, allowed=allowed, muted_until=muted_until(user),
        mute_form=mute_form or MuteForm(formdata=None, prefix="mute"),
        block_form=block_form or BlockForm(formdata=None, prefix="block")), (
            status if allowed else 403)


def _done(user, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("account_moderation.account", user_id=user.id))


@bp.route("/<int:user_id>")
@require("moderate")
def account(user_id: int):
    user = _user_or_404(user_id)
    return _page(user)


@bp.route("/<int:user_id>/mute", methods=["POST"])
@require("moderate")
def mute(user_id: int):
    user = _user_or_404(user_id)
    form = MuteForm(prefix="mute")
    if form.validate_on_submit():
        try:
            moderation.mute(current_user, user, form.duration.data, form.reason.data)
        except moderation.AccountModerationError as error:
            db.session.rollback()
            if not show_on_form(form, error):
                flash(str(error), "error")
        else:
            return _done(user, _("%(name)s is muted. They are told by e-mail, with your "
                                 "reason.", name=user.username))
    return _page(user, mute_form=form, status=400)


@bp.route("/<int:user_id>/unmute", methods=["POST"])
@require("moderate")
def unmute(user_id: int):
    user = _user_or_404(user_id)
    try:
        moderation.unmute(current_user, user)
    except moderation.AccountModerationError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("account_moderation.account", user_id=user.id))
    return _done(user, _("The mute of %(name)s has ended.", name=user.username))


@bp.route("/<int:user_id>/block", methods=["POST"])
@require("moderate")
def block(user_id: int):
    user = _user_or_404(user_id)
    form = BlockForm(prefix="block")
    if form.validate_on_submit():
        try:
            moderation.block(current_user, user, form.reason.data)
        except moderation.AccountModerationError as error:
            db.session.rollback()
            if not show_on_form(form, error):
                flash(str(error), "error")
        else:
            return _done(user, _("%(name)s is blocked.", name=user.username))
    return _page(user, block_form=form, status=400)
