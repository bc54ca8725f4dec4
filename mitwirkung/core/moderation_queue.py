"""The moderators' queue: the waiting items of every kind that core/moderation.py knows, in
one list, oldest first, each approved or rejected with a reason by a POST of its own. After
a decision the queue opens at the next item, whose heading takes the focus (a keyboard
works through the list without starting over at the top)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from ..extensions import db
from . import moderation, moderation_overview, reject_reasons
from .forms import Form
from .permissions import can, require
from .redirects import safe_next
from .time import utcnow

bp = Blueprint("moderation", __name__)

REASON_MAX = 2000
REASON_NEEDED = _l("Please give the reason for the rejection; the author reads it.")


class RejectForm(Form):
    """The reason for rejecting one item: one of the admins' list, the moderator's own
    words, or both; one is needed. Its fields are named after the item, so a page can hold
    a form for each."""

    choice = SelectField(_l("Reason for the rejection"), validators=[Optional()],
                         description=_l("Choose a reason from the list, write your own words "
                                        "below, or both."))
    reason = TextAreaField(
        _l("In your own words"), validators=[Optional(), Length(max=REASON_MAX)],
        description=_l("The author reads the reason in an e-mail."))

    def __init__(self, kind: moderation.ModeratedKind, item_id: int, *args,
                 reasons: list | None = None, **kwargs):
        super().__init__(*args, prefix=f"reject-{kind.key}-{item_id}", **kwargs)
        reasons = reject_reasons.active() if reasons is None else reasons
        self.choice.choices = [("", _("Choose a reason"))] + [
            (str(reason.id), reason.text) for reason in reasons]

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.choice.data and not (self.reason.data or "").strip():
            self.choice.errors = [str(REASON_NEEDED)]
            return False
        return True

    def composed_reason(self) -> str:
        """The reason the author reads (the list's text is copied, not referred to)."""
        chosen = dict(self.choice.choices).get(self.choice.data, "") if self.choice.data else ""
        return reject_reasons.compose(chosen, self.reason.data)


def waiting_for(item, now=None) -> str:
    """How long ago an item was submitted, in words: "3 days ago"."""
    return format_timedelta(item.created_at - (now or utcnow()), add_direction=True)


@bp.app_template_global()
def waited(item) -> str:
    return waiting_for(item)


@bp.route("/moderation")
@require("moderate")
def queue():
    waiting = moderation_overview.waiting()
    reasons = reject_reasons.active()
    now = utcnow()
    entries = []
    for index, entry in enumerate(waiting.entries):
        entries.append({
            "entry": entry, "own": _own(entry.kind, entry.item),
            "waiting": moderation_overview.waiting_words(now - entry.item.created_at),
            "next": _after_deciding(waiting.entries, index),
            "form": RejectForm(entry.kind, entry.item.id, formdata=None, reasons=reasons)})
    median = waiting.median
    return render_template(
        "moderation/queue.html", entries=entries, total=waiting.total,
        median=moderation_overview.duration_words(median) if median is not None else None,
        days=moderation_overview.STATS_DAYS, may_edit_reasons=can(current_user, "edit_settings"))


def _after_deciding(entries: list, index: int) -> str:
    """Where the queue opens once this entry is decided: at the next one, or at the one
    before where it is the last, or at the list's heading where it is alone."""
    if index + 1 < len(entries):
        anchor = entries[index + 1].anchor
    elif index > 0:
        anchor = entries[index - 1].anchor
    else:
        anchor = "queue"
    return url_for("moderation.queue", _anchor=anchor)


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
            moderation.reject(item, current_user, form.composed_reason())
        except moderation.ReasonRequired as error:
            form.choice.errors = [str(error)]
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
