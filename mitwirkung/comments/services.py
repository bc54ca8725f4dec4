"""The rules of comments, in one place: who may post where and when, what waits for a
moderator, what each person sees of a thread, deleting one's own comment.

A pending comment is seen by its author (marked "awaiting approval") and the moderators,
and counted for nobody. A deleted comment keeps its place as "deleted" where a reply still
shows, and is gone where none does. A comment hidden by the moderation (core/hiding.py)
keeps its place as "removed by the moderation", without its text, so its replies stay
(Decidim #8660); it is counted for nobody. A muted account (core/muting.py) cannot post.
Services add and flush; the caller commits.
"""

from dataclasses import dataclass, field
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from ..core.domain import DomainError
from ..core.enums import LabelledEnum
from ..core.moderation import ModerationState
from ..core.muting import MUTED_MESSAGE, muted_error
from ..core.paging import Page
from ..core.permissions import can
from ..core.time import utcnow
from ..extensions import db
from . import targets
from .models import LINK_COLUMNS, TEXT_MAX, Comment, CommentSettings, LinkKind, ModerationMode

PER_PAGE = 20


class Order(LabelledEnum):
    OLDEST = "oldest", _l("oldest first")
    NEWEST = "newest", _l("newest first")


class CommentError(DomainError):
    """A comment that cannot be posted or changed; the message says why."""


class CommentingClosed(CommentError):
    message = _l("Comments are closed here.")


class CommentingOff(CommentError):
    message = _l("Comments are switched off in this project.")


class NotEntitled(CommentError):
    message = _l("Please confirm your e-mail address before you comment.")


class Muted(CommentError):
    """The account is muted for now; the message says why and until when."""

    message = MUTED_MESSAGE


class CannotReply(CommentError):
    message = _l("This comment cannot be answered: only published comments are, and replies "
                 "are not answered in turn.")


class TextMissing(CommentError):
    message = _l("Please write your comment.")
    field = "text"


class TextTooLong(CommentError):
    message = _l("A comment can have at most %(max)d characters.", max=TEXT_MAX)
    field = "text"


class NotYours(CommentError):
    message = _l("Only its author can delete a comment.")


# Settings -----------------------------------------------------------------------------------


def settings_of(project_id: int) -> CommentSettings:
    """The project's settings; the defaults (on, pre-moderated) where none are saved."""
    return db.session.get(CommentSettings, project_id) or _defaults(project_id)


def _defaults(project_id: int) -> CommentSettings:
    return CommentSettings(project_id=project_id, enabled=True, moderation=ModerationMode.PRE)


def save_settings(project_id: int, *, enabled: bool, moderation: str) -> CommentSettings:
    saved = db.session.get(CommentSettings, project_id)
    if saved is None:
        saved = CommentSettings(project_id=project_id)
        db.session.add(saved)
    saved.enabled, saved.moderation = enabled, ModerationMode(moderation).value
    db.session.flush()
    return saved


# Who may post -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Whether `viewer` may comment on a target now, and if not, why (for the page)."""

    open: bool  # the project has comments on and the target's phase allows them
    entitled: bool  # a confirmed, active account
    signed_in: bool
    premoderated: bool
    closed_reason: CommentError | None = None
    muted: Muted | None = None  # why and until when the viewer cannot post

    @property
    def may_post(self) -> bool:
        return self.open and self.entitled and self.muted is None


def standing(kind_name: str, target, viewer,
             settings: CommentSettings | None = None) -> Standing:
    kind = targets.of(kind_name)
    settings = settings or settings_of(kind.project_id(target))
    reason = None
    if not settings.enabled:
        reason = CommentingOff()
    elif not kind.open(target):
        reason = CommentingClosed()
    return Standing(open=reason is None, entitled=can(viewer, "participate"),
                    signed_in=bool(getattr(viewer, "is_authenticated", False)),
                    premoderated=settings.moderation == ModerationMode.PRE,
                    closed_reason=reason, muted=muted_error(viewer, Muted))


def _publishes_at_once(user) -> bool:
    """Staff and moderators speak for the city; their comments need no release."""
    return can(user, "moderate") or can(user, "manage_projects")


# Posting ------------------------------------------------------------------------------------


def post(kind_name: str, target, author, text: str, *, submission_key: str,
         parent_id: int | None = None) -> tuple[Comment, bool]:
    """Store `author`'s comment on `target` (or reply to `parent_id` there). Returns
    (comment, True); a second request with the same submission key (a double click) stores
    nothing and returns (the first one's comment, False)."""
    kind = targets.of(kind_name)
    state = standing(kind_name, target, author)
    if not state.entitled:
        raise NotEntitled
    if state.muted is not None:
        raise state.muted
    if not state.open:
        raise state.closed_reason
    text = (text or "").strip()
    if not text:
        raise TextMissing
    if len(text) > TEXT_MAX:
        raise TextTooLong
    existing = _submitted(author, submission_key)
    if existing is not None:
        return existing, False
    if parent_id is not None:
        _check_parent(kind_name, target, parent_id)
    held = state.premoderated and not _publishes_at_once(author)
    comment = Comment(
        project_id=kind.project_id(target), link_kind=kind.kind.value,
        parent_id=parent_id, author_id=author.id, text=text, submission_key=submission_key,
        version=kind.version(target) if kind.version else None,
        moderation_state=ModerationState.PENDING if held else ModerationState.APPROVED,
        moderated_at=None if held else utcnow())
    setattr(comment, LINK_COLUMNS[kind.kind], target.id)
    try:
        with db.session.begin_nested():
            db.session.add(comment)
    except IntegrityError:
        existing = _submitted(author, submission_key)
        if existing is None:
            raise
        return existing, False
    return comment, True


def _submitted(author, submission_key: str) -> Comment | None:
    return db.session.scalar(select(Comment).where(Comment.author_id == author.id,
                                                   Comment.submission_key == submission_key))


def _check_parent(kind_name: str, target, parent_id: int) -> None:
    parent = db.session.get(Comment, parent_id)
    if (parent is None or parent.link_kind != kind_name or parent.target_id != target.id
            or parent.parent_id is not None or not parent.is_public):
        raise CannotReply


def reply_parent(kind_name: str, target, parent_id: int | None) -> Comment | None:
    """The comment a reply form answers, if it may be answered (else CannotReply)."""
    if parent_id is None:
        return None
    _check_parent(kind_name, target, parent_id)
    return db.session.get(Comment, parent_id)


# Deleting -----------------------------------------------------------------------------------


def delete(comment: Comment, user) -> None:
    """The author takes their comment back: its text is erased at once."""
    if comment.author_id is None or comment.author_id != getattr(user, "id", None):
        raise NotYours
    if comment.deleted_at is None:
        comment.deleted_at = utcnow()
        comment.text = ""
    db.session.flush()


# Reading ------------------------------------------------------------------------------------


def _shown(viewer_id, model=Comment):
    """The comments a viewer may read: published ones (not hidden), and their own pending
    ones; `viewer_id` None (a visitor), a number or a bind parameter."""
    published = and_(model.moderation_state == ModerationState.APPROVED,
                     model.hidden_at.is_(None))
    if viewer_id is None:
        return published
    return or_(published, and_(model.moderation_state == ModerationState.PENDING,
                               model.author_id == viewer_id))


def _readable(viewer_id, model=Comment):
    """Shown with its text: readable and not deleted."""
    return and_(_shown(viewer_id, model), model.deleted_at.is_(None))


def _removed(model=Comment):
    """Hidden by the moderation: shown in its place without its text, for everyone."""
    return and_(model.moderation_state == ModerationState.APPROVED,
                model.hidden_at.is_not(None), model.deleted_at.is_(None))


def _viewer_id(viewer) -> int | None:
    return viewer.id if getattr(viewer, "is_authenticated", False) else None


@dataclass
class Thread:
    """A page of a target's comments as one person sees them: top-level comments, each
    with its replies (all of them, oldest first), the count everyone sees, and the
    project's settings (read with the counts)."""

    page: Page
    replies: dict = field(default_factory=dict)
    order: Order = Order.OLDEST
    count: int = 0  # published comments and replies, for everyone alike
    settings: CommentSettings | None = None


@cache
def _thread_statements(kind_name: str, signed_in: bool, newest: bool):
    """The counts (with the project's settings) and the page's comments with their replies,
    for one kind of target, visitors or signed-in people, one order; built once, the values
    bound (`:target_id`, `:project_id`, `:viewer_id`, `:limit`, `:offset`): building them
    cost more than running them (docs/benchmarks.md, the idea board)."""
    column = getattr(Comment, LINK_COLUMNS[targets.of(kind_name).kind])
    viewer_id = bindparam("viewer_id") if signed_in else None
    reply = aliased(Comment)
    readable_reply = and_(reply.parent_id == Comment.id, _readable(viewer_id, reply))
    # A top-level comment shows with its text, as "removed by the moderation", or as
    # "deleted" while a reply still shows.
    top = and_(column == bindparam("target_id"), Comment.parent_id.is_(None),
               or_(_readable(viewer_id), _removed(),
                   and_(Comment.deleted_at.is_not(None),
                        Comment.moderation_state == ModerationState.APPROVED,
                        exists().where(readable_reply))))
    saved = select(CommentSettings).where(CommentSettings.project_id == bindparam("project_id"))
    counts = select(
        select(func.count()).select_from(Comment).where(top).scalar_subquery(),
        select(func.count()).select_from(Comment)
        .where(column == bindparam("target_id"), public_clause()).scalar_subquery(),
        saved.with_only_columns(CommentSettings.enabled).scalar_subquery(),
        saved.with_only_columns(CommentSettings.moderation).scalar_subquery())
    shown = (select(Comment.id).where(top)
             .order_by(Comment.created_at.desc() if newest else Comment.created_at,
                       Comment.id.desc() if newest else Comment.id)
             .limit(bindparam("limit")).offset(bindparam("offset")))
    rows = (select(Comment).where(or_(Comment.id.in_(shown),
                                      and_(Comment.parent_id.in_(shown),
                                           or_(_readable(viewer_id), _removed()))))
            .options(joinedload(Comment.author)).order_by(Comment.created_at, Comment.id))
    return counts, rows


def thread(kind_name: str, target, viewer, *, order: Order = Order.OLDEST, page: int = 1,
           per_page: int = PER_PAGE) -> Thread:
    """Two queries whatever the thread holds (one when it is empty): the counts with the
    project's settings, then the page's comments with their replies."""
    project_id = targets.of(kind_name).project_id(target)
    viewer_id = _viewer_id(viewer)
    newest = order == Order.NEWEST
    counts, rows = _thread_statements(kind_name, viewer_id is not None, newest)
    params = {"target_id": target.id, "project_id": project_id, "viewer_id": viewer_id,
              "limit": per_page, "offset": (page - 1) * per_page}
    total, counted, enabled, moderation = db.session.execute(counts, params).one()
    settings = (CommentSettings(project_id=project_id, enabled=enabled, moderation=moderation)
                if enabled is not None else _defaults(project_id))
    if not total:
        return Thread(Page([], 0, page, per_page), {}, order, counted, settings)
    found = db.session.scalars(rows, params).all()
    items = [row for row in found if row.parent_id is None]
    if newest:
        items.reverse()
    replies: dict[int, list[Comment]] = {}
    for row in found:
        if row.parent_id is not None:
            replies.setdefault(row.parent_id, []).append(row)
    return Thread(Page(items, total, page, per_page), replies, order, counted, settings)


def public_clause():
    """What counts as a public comment everywhere (lists, counts, exports)."""
    return and_(Comment.moderation_state == ModerationState.APPROVED,
                Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))


def public_counts(kind_name: str, target_ids) -> dict[int, int]:
    """Public comments per target, for lists ("12 comments"); one query."""
    ids = list(target_ids)
    if not ids:
        return {}
    column = getattr(Comment, LINK_COLUMNS[LinkKind(kind_name)])
    rows = db.session.execute(select(column, func.count()).where(
        column.in_(ids), public_clause()).group_by(column))
    return {target_id: count for target_id, count in rows}


def count_subquery(kind_name: str, target_column):
    """A correlated count of public comments, to sort a list by how much it is discussed."""
    column = getattr(Comment, LINK_COLUMNS[LinkKind(kind_name)])
    return (select(func.count()).where(column == target_column, public_clause())
            .correlate_except(Comment).scalar_subquery())

