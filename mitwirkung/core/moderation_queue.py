"""The moderators' queue: every kind of contribution that core/moderation.py knows (ideas
now, comments next), its waiting items oldest first, each approved or rejected with a
reason by a POST of its own."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..extensions import db
from . import moderation
from .permissions import require
from .redirects import safe_next
from .time import utcnow

bp = Blueprint("moderation", __name__)

QUEUE_SHOWN = 50  # per kind; the oldest first, and how many more wait
REASON_MAX = 2000


class RejectForm(FlaskForm):
    """The reason for rejecting one item; its fields are named after the item, so a page
    can hold a form for each."""

    reason = TextAreaField(
        _l("Reason for the rejection"),
        validators=[DataRequired(message=_l("Please give the reason for the rejection; the "
                                            "author reads it.")), Length(max=REASON_MAX)],
        description=_l("The author reads it in an e-mail."))

    def __init__(self, kind: moderation.ModeratedKind, item_id: int, *args, **kwargs):
        super().__init__(*args, prefix=f"reject-{kind.key}-{item_id}", **kwargs)


def waiting_for(item, now=None) -> str:
    """How long an item has waited, in words: "3 days ago"."""
    return format_timedelta(item.created_at - (now or utcnow()), add_direction=True)


@bp.app_template_global()
def waited(item) -> str:
    return waiting_for(item)


@bp.route("/moderation")
@require("moderate")
def queue():
    sections = []
    for kind in moderation.registered_kinds():
        items = db.session.scalars(kind.waiting().limit(QUEUE_SHOWN)).unique().all()
        total = len(items)
        if total == QUEUE_SHOWN:
            total = db.session.scalar(select(func.count()).select_from(
                kind.waiting().order_by(None).subquery()))
        sections.append({
            "kind": kind, "total": total,
            "entries": [(item, _own(kind, item), RejectForm(kind, item.id, formdata=None))
                      for item in items]})
    return render_template("moderation/queue.html", sections=sections)


def _own(kind: moderation.ModeratedKind, item) -> bool:
    return kind.author_id(item) is not None and kind.author_id(item) == current_user.id


def _item_or_404(key: str, item_id: int):
    kind = moderation.kind_by_key(key)
    if kind is None:
        abort(404)
    item = db.session.get(kind.model, item_id)
    if item is None:
        abort(404)
    return kind, item


def _back():
    return redirect(safe_next(request.form.get("next"), url_for("moderation.queue")))


@bp.route("/moderation/<key>/<int:item_id>/approve", methods=["POST"])
@require("moderate")
def approve(key: str, item_id: int):
    kind, item = _item_or_404(key, item_id)
    try:
        moderation.approve(item, current_user)
    except moderation.ModerationError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Approved and published: %(title)s. The author is told by e-mail.",
                title=kind.title(item)), "success")
    return _back()


@bp.route("/moderation/<key>/<int:item_id>/reject", methods=["GET", "POST"])
@require("moderate")
def reject(key: str, item_id: int):
    """GET: the item and the reason to give. POST: reject it with that reason."""
    kind, item = _item_or_404(key, item_id)
    form = RejectForm(kind, item.id)
    if form.validate_on_submit():
        try:
            moderation.reject(item, current_user, form.reason.data)
        except moderation.ReasonRequired as error:
            form.reason.errors.append(str(error))
        except moderation.ModerationError as error:
            db.session.rollback()
            flash(str(error), "error")
            return _back()
        else:
            db.session.commit()
            flash(_("Rejected: %(title)s. The author is told by e-mail, with your reason.",
                    title=kind.title(item)), "success")
            return _back()
    return render_template("moderation/reject.html", kind=kind, item=item, form=form,
                           own=_own(kind, item), next=request.values.get("next", ""))
