"""Admin pages: accounts, roles, blocking, and the audit log."""

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from ..core import audit
from ..core.csv_export import csv_response
from ..core.permissions import ROLES, require
from ..core.urls import page_arg
from ..extensions import db
from . import services
from .forms import AuditFilterForm, BlockForm

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


@bp.route("/users/<int:user_id>/block", methods=["GET", "POST"])
@require("manage_users")
def block(user_id: int):
    user = _user_or_404(user_id)
    search = request.args.get("q", "")[:100]
    form = BlockForm()
    if form.validate_on_submit():
        try:
            services.block(current_user, user, form.reason.data)
        except services.AccountError as error:
            db.session.rollback()
            form.reason.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(name)s is blocked.") % {"name": user.username}, "success")
            return redirect(url_for("admin.users", q=search))
    return render_template("accounts/admin_block.html", form=form, user=user, search=search)


@bp.route("/users/<int:user_id>/unblock", methods=["POST"])
@require("manage_users")
def unblock(user_id: int):
    user = _user_or_404(user_id)
    services.unblock(current_user, user)
    db.session.commit()
    flash(_("%(name)s is unblocked.") % {"name": user.username}, "success")
    return redirect(url_for("admin.users", q=request.args.get("q", "")))


@bp.route("/audit")
@require("see_audit_log")
def audit_log():
    form, filters, args = _audit_filters()
    pagination = audit.entries(filters, page_arg())
    return render_template("accounts/admin_audit.html", form=form, args=args,
                           pagination=pagination, lines=audit.describe(pagination.items))


@bp.route("/audit.csv")
@require("see_audit_log")
def audit_export():
    _form, filters, _args = _audit_filters()
    header = [_("Time"), _("Who"), _("What happened"), _("Object"), _("Object no."),
              _("Action"), _("Details")]
    rows = [header] + [
        [format_datetime(line.entry.created_at, "yyyy-MM-dd HH:mm:ss"),
         _actor_name(line.entry), line.sentence, line.noun, line.entry.target_id,
         line.entry.action, json.dumps(line.details, ensure_ascii=False, sort_keys=True)]
        for line in audit.describe(audit.all_entries(filters))
    ]
    return csv_response(rows, "protokoll.csv")


def _audit_filters():
    """The filter form, the filters it accepts, and those as query arguments (for the
    pages and the export, so they keep the filters)."""
    form = AuditFilterForm(request.args, actors=services.actors_in_audit_log(),
                           actions=_action_choices(), targets=_target_choices())
    args = form.filters()
    filters = audit.Filters(
        actor_id=int(args["actor"]) if "actor" in args else None,
        action=args.get("action"),
        target_type=args.get("target"),
        since=form.since.data if "from" in args else None,
        until=form.until.data if "to" in args else None,
        search=args.get("q", ""),
    )
    return form, filters, args


def _target_choices() -> list[tuple[str, str]]:
    targets = audit.registered_targets().values()
    return sorted(((kind.table, str(kind.noun)) for kind in targets), key=lambda pair: pair[1])


def _action_choices() -> dict[str, list[tuple[str, str]]]:
    """Kinds of action, grouped by the kind of object they act on."""
    nouns = {kind.table: str(kind.noun) for kind in audit.registered_targets().values()}
    groups: dict[str, list[tuple[str, str]]] = {}
    for kind in audit.registered_actions().values():
        groups.setdefault(nouns.get(kind.target, kind.target), []).append(
            (kind.action, str(kind.name))
        )
    return {noun: sorted(groups[noun], key=lambda pair: pair[1]) for noun in sorted(groups)}


def _actor_name(entry) -> str:
    return entry.actor.display_name if entry.actor is not None else ""


def _user_or_404(user_id: int):
    user = services.get_user(user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    return user
