"""Comments take part in moderation (core/moderation.py): how the queue names them, what
they answer, and the author's mail after the decision."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..core import moderation
from ..core.audit import quoted
from . import mails, targets
from .models import Comment


def _target(comment: Comment):
    return targets.load(comment.link_kind, comment.target_id)


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
    from ..extensions import db
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
))
