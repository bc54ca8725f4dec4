"""Comments take part in moderation (core/moderation.py): how the queue names them, what
they answer, and the author's mail after the decision."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core import moderation
from ..core.audit import quoted
from ..extensions import db
from . import mails, targets
from .models import Comment


def _target(comment: Comment):
    # From the session's identity map where _preload has put it: no query per comment.
    kind = targets.kind(comment.link_kind)
    return db.session.get(kind.model, comment.target_id) if kind is not None else None


def _preload(comments: list[Comment]) -> None:
    """What the comments answer and their projects: one query per kind of target."""
    wanted: dict[str, set[int]] = {}
    for comment in comments:
        wanted.setdefault(comment.link_kind, set()).add(comment.target_id)
    wanted.setdefault("project", set()).update(comment.project_id for comment in comments)
    for kind_name, ids in wanted.items():
        kind = targets.kind(kind_name)
        if kind is not None and ids:
            db.session.scalars(select(kind.model).where(kind.model.id.in_(ids))).unique().all()


def _title(comment: Comment) -> str:
    target = _target(comment)
    name = targets.of(comment.link_kind).title(target) if target is not None else "?"
    if comment.parent_id is not None:
        return _("Reply to a comment on %(target)s", target=quoted(name))
    return _("Comment on %(target)s", target=quoted(name))


def _context(comment: Comment) -> str:
    target = _target(comment)
    kind = targets.of(comment.link_kind)
    where = kind.context(target) if kind.context and target is not None else ""
    project = _("Project %(project)s", project=quoted(_project_title(comment)))
    return f"{where} · {project}" if where else project


def _project_title(comment: Comment) -> str:
    from ..projects.models import Project

    project = db.session.get(Project, comment.project_id)
    return project.title if project else ""


def _url(comment: Comment) -> str:
    target = _target(comment)
    return targets.of(comment.link_kind).url(target).split("#", 1)[0] + f"#comment-{comment.id}"


def _flaggable(comment: Comment) -> bool:
    """Published, and on something the public may see (a hidden idea takes its comments)."""
    if not comment.is_public:
        return False
    target = _target(comment)
    return target is not None and targets.of(comment.link_kind).may_see(target, None)


def _author_name(comment: Comment) -> str:
    return comment.author.display_name if comment.author is not None else _("deleted account")


moderation.register_kind(moderation.ModeratedKind(
    model=Comment,
    approve_action="comment.approve",
    reject_action="comment.reject",
    noun=_l("Comment"),
    title=_title,
    author_id=lambda comment: comment.author_id,
    tell_author=mails.tell_of_moderation,
    url=_url,
    context=_context,
    text=lambda comment: comment.text,
    author_name=_author_name,
    still_open=lambda: Comment.deleted_at.is_(None),
    queue_options=lambda: (joinedload(Comment.author),),
    flaggable=_flaggable,
    hide_action="comment.hide",
    keep_action="comment.keep",
    tell_hidden=mails.tell_of_hiding,
    preload=_preload,
))
