"""Comments take part in moderation (core/moderation.py): how the queue names them, what
they answer, and the author's mail after the decision."""

from collections import defaultdict

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..core import moderation
from ..core.audit import quoted
from ..extensions import db
from ..projects.models import Project
from . import mails, targets
from .models import Comment, LinkKind, excerpt

EXCERPT_LENGTH = 120


def _target(comment: Comment):
    # From the session's identity map when the queue has preloaded it: no query per item.
    return db.session.get(targets.of(comment.link_kind).model, comment.target_id)


def _target_name(comment: Comment) -> str:
    target = _target(comment)
    return targets.of(comment.link_kind).title(target) if target is not None else "?"


def _title(comment: Comment) -> str:
    if comment.parent_id is not None:
        return _("Reply to a comment on %(target)s", target=quoted(_target_name(comment)))
    return _("Comment on %(target)s", target=quoted(_target_name(comment)))


def _context(comment: Comment) -> str:
    target = _target(comment)
    kind = targets.of(comment.link_kind)
    where = kind.context(target) if kind.context and target is not None else ""
    project = _("Project %(project)s", project=quoted(_project_title(comment)))
    return f"{where} · {project}" if where else project



def _answers(comment: Comment) -> str:
    """A reply answers its parent comment (its start is shown); a comment the thing it is on."""
    if comment.parent_id is not None:
        parent = comment.parent
        if parent is None or parent.deleted_at is not None:
            return _("Answers a deleted comment")
        return _("Answers the comment %(excerpt)s",
                 excerpt=quoted(excerpt(parent.text, EXCERPT_LENGTH)))
    target = _target(comment)
    kind = targets.of(comment.link_kind)
    answered = _("%(kind)s %(title)s", kind=LinkKind.label_of(comment.link_kind),
                 title=quoted(_target_name(comment)))
    if kind.context and target is not None:
        return f"{answered} · {kind.context(target)}"
    return answered


def _project_title(comment: Comment) -> str:
    # The queue joins the project (below); elsewhere one query, and never a lazy load.
    project = db.session.get(Project, comment.project_id)
    return project.title if project else ""


def _preload(comments: list[Comment]) -> None:
    """The things the comments are on and their projects, one query per kind at most (none
    for what the session holds already), where the hooks above find them."""
    ids = defaultdict(set)
    for comment in comments:
        ids[comment.link_kind].add(comment.target_id)
        ids[LinkKind.PROJECT].add(comment.project_id)
    for kind_name, target_ids in ids.items():
        targets.load_many(kind_name, target_ids)


def _flaggable(comment: Comment) -> bool:
    """Published, and on something the public may see (a hidden idea takes its comments)."""
    if not comment.is_public:
        return False
    target = _target(comment)
    return target is not None and targets.of(comment.link_kind).may_see(target, None)


def _url(comment: Comment) -> str:
    target = _target(comment)
    return targets.page_of(comment.link_kind, target) + f"#comment-{comment.id}"


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
    queue_options=lambda: (joinedload(Comment.author), joinedload(Comment.parent),
                           joinedload(Comment.project)),
    answers=_answers,
    project_title=_project_title,
    flaggable=_flaggable,
    hide_action="comment.hide",
    keep_action="comment.keep",
    tell_hidden=mails.tell_of_hiding,
    preload=_preload,
))
