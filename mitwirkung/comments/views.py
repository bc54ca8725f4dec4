"""Comment pages and actions: a thread's own page (for targets without a page of their
own, and to show a form again with what was typed), posting and replying, deleting one's
own comment. Target pages embed their thread through `comment_thread` (comments/_thread.html)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse

from ..core import rate_limits
from ..core.domain import show_on_form
from ..core.permissions import require
from ..core.urls import MAX_PAGE
from ..extensions import db, limiter
from . import bp, services, targets
from .forms import CommentForm, DeleteForm
from .models import Comment

# Per account: a burst and a day (SECURITY.md: posting is rate-limited).
POSTING_LIMITS = (parse("5 per minute"), parse("50 per day"))


@dataclass
class ThreadView:
    """What a thread's template needs: the target, its comments as the viewer sees them,
    whether and how they may post, and an empty form (or the one being corrected)."""

    kind: str
    target: object
    thread: services.Thread
    standing: services.Standing
    form: CommentForm
    title: str
    url: str

    @property
    def action(self) -> str:
        return url_for("comments.show", kind=self.kind, target_id=self.target.id)


def _order() -> services.Order:
    value = request.args.get("comments", "")
    return services.Order(value) if value in set(services.Order) else services.Order.OLDEST


def _page() -> int:
    page = request.args.get("comments_page", 1, type=int)
    return page if 1 <= page <= MAX_PAGE else 1


@bp.app_template_global()
def comment_thread(kind: str, target, form: CommentForm | None = None) -> ThreadView:
    """The thread of `target` for the page being rendered (order and page from the query
    string: ?comments=newest&comments_page=2)."""
    target_kind = targets.of(kind)
    thread = services.thread(kind, target, current_user, order=_order(), page=_page())
    return ThreadView(
        kind=kind, target=target, thread=thread,
        standing=services.standing(kind, target, current_user, thread.settings),
        form=form or CommentForm(formdata=None), title=target_kind.title(target),
        url=target_kind.url(target))


@bp.app_template_global()
def comment_counts(kind: str, target_ids) -> dict[int, int]:
    """Published comments per target (one query), for lists and links."""
    return services.public_counts(kind, target_ids)


@bp.app_template_global()
def comments_url(**changes) -> str:
    """This page with the comments' order or page changed (None removes it), at the
    comments."""
    args = {key: value for key, value in request.args.items()
            if key in ("comments", "comments_page")}
    args.update(changes)
    query = urlencode({key: value for key, value in args.items() if value is not None})
    return request.path + (f"?{query}" if query else "") + "#comments"


def _target_or_404(kind: str, target_id: int):
    target = targets.load(kind, target_id)
    if target is None or not targets.of(kind).may_see(target, current_user):
        abort(404)
    return target


@bp.route("/comments/<kind>/<int:target_id>", methods=["GET", "POST"])
def show(kind: str, target_id: int):
    """GET: the thread's own page. POST: a new comment or reply (one rule for both, so an
    id out of range is a 404 for either method)."""
    target = _target_or_404(kind, target_id)
    if request.method == "POST":
        return _post(kind, target)
    return render_template("comments/page.html", view=comment_thread(kind, target))


@require("participate")
def _post(kind: str, target):
    """Store a comment or reply; errors show the thread's page with the form as typed."""
    form = CommentForm()
    parent = None
    status = 200
    if form.validate_on_submit():
        key = f"comment-author:{current_user.id}"
        if limiter.enabled and not all(rate_limits.test(limit, key)
                                       for limit in POSTING_LIMITS):
            form.text.errors.append(_(
                "You have written many comments in a short time. Please wait a minute and "
                "send again: your text stays here."))
            status = 429
        else:
            try:
                comment, created = services.post(
                    kind, target, current_user, form.text.data,
                    submission_key=form.submission_key.data, parent_id=form.parent_id.data)
            except services.CommentError as error:
                db.session.rollback()
                if not show_on_form(form, error):
                    form.text.errors.append(str(error))
            else:
                db.session.commit()
                if created and limiter.enabled:
                    for limit in POSTING_LIMITS:
                        rate_limits.hit(limit, key)
                if comment.is_pending:
                    flash(_("Thank you! Your comment awaits approval by the moderators. "
                            "Until then only you can see it."), "success")
                else:
                    flash(_("Thank you! Your comment is published."), "success")
                return redirect(targets.page_of(kind, target) + f"#comment-{comment.id}")
    if form.parent_id.data:
        parent = _parent_or_none(kind, target, form.parent_id.data)
    return render_template("comments/page.html", view=comment_thread(kind, target, form),
                           parent=parent, focus_form=True), status


def _parent_or_none(kind: str, target, parent_id: int) -> Comment | None:
    try:
        return services.reply_parent(kind, target, parent_id)
    except services.CannotReply:
        return None


@bp.route("/comments/<kind>/<int:target_id>/reply/<int:parent_id>")
def reply(kind: str, target_id: int, parent_id: int):
    """A reply's form beneath the comment it answers (the thread's page without script)."""
    target = _target_or_404(kind, target_id)
    parent = _parent_or_none(kind, target, parent_id)
    if parent is None:
        abort(404)
    form = CommentForm(formdata=None, data={"parent_id": parent.id})
    return render_template("comments/page.html", view=comment_thread(kind, target, form),
                           parent=parent, focus_form=True)


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@require("participate")
def delete(comment_id: int):
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.deleted_at is not None:
        abort(404)
    if comment.author_id != current_user.id:
        abort(403)
    target = targets.load(comment.link_kind, comment.target_id)
    form = DeleteForm()
    if form.validate_on_submit():
        services.delete(comment, current_user)
        db.session.commit()
        flash(_("Your comment is deleted."), "success")
        return redirect(targets.page_of(comment.link_kind, target) + "#comments")
    return render_template("comments/delete.html", comment=comment, form=form,
                           title=targets.of(comment.link_kind).title(target),
                           back=targets.of(comment.link_kind).url(target))
