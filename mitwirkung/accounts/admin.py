"""Admin pages: accounts, roles, blocking, and the audit log."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core import audit
from ..core.permissions import ROLES, require
from ..core.urls import page_arg
from ..extensions import db
from . import services

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@require("manage_users")
def users():
    search = request.args.get("q", "")[:100]
    return render_template(
        "accounts/admin_users.html",
        pagination=services.list_users(search, page_arg()),
        search=search,
        roles=ROLES,
    )


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@require("manage_users")
def set_role(user_id: int):
    user = _user_or_404(user_id)
    try:
        services.set_role(current_user, user, request.form.get("role", ""))
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The role of %(name)s is now %(role)s.", name=user.username,
                role=user.role_label), "success")
    return redirect(url_for("admin.users", q=request.args.get("q", "")))


@bp.route("/users/<int:user_id>/block", methods=["POST"])
@require("manage_users")
def set_blocked(user_id: int):
    user = _user_or_404(user_id)
    blocked = request.form.get("blocked") == "1"
    try:
        services.set_blocked(current_user, user, blocked)
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        message = _("%(name)s is blocked.") if blocked else _("%(name)s is unblocked.")
        flash(message % {"name": user.username}, "success")
    return redirect(url_for("admin.users", q=request.args.get("q", "")))


@bp.route("/audit")
@require("see_audit_log")
def audit_log():
    return render_template("accounts/admin_audit.html", pagination=audit.entries(page_arg()))


def _user_or_404(user_id: int):
    user = services.get_user(user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    return user
