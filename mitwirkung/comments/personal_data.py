"""The comments' part of a person's data: every comment they wrote, with where it stands.

Erasure, as for ideas: a comment that was never public (pending or rejected) goes; a
published one stays, shown as by a deleted account, since others may have answered it and
a thread must not change under them. A comment the person deleted is already without text.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from ..core import data_rights
from ..core.moderation import ModerationState
from ..extensions import db
from .models import Comment


def export_comments(user) -> dict:
    comments = db.session.scalars(select(Comment).where(Comment.author_id == user.id)
                                  .order_by(Comment.created_at, Comment.id))
    return {"comments": [{
        "id": comment.id, "on": comment.link_kind, "on_id": comment.target_id,
        "reply_to": comment.parent_id, "text": comment.text,
        "written_at": comment.created_at.isoformat() + "Z",
        "moderation": comment.moderation_state,
        "moderation_label": str(ModerationState.label_of(comment.moderation_state)),
        "moderation_reason": comment.moderation_reason or None,
        "deleted_at": comment.deleted_at.isoformat() + "Z" if comment.deleted_at else None,
    } for comment in comments],
        "note": _("If you delete your account, comments that were never public are deleted; "
                  "published comments stay, shown as by a deleted account.")}


def erase_comments(user) -> None:
    db.session.execute(delete(Comment).where(
        Comment.author_id == user.id, Comment.moderation_state != ModerationState.APPROVED)
        .execution_options(synchronize_session="fetch"))
    db.session.execute(update(Comment).where(Comment.author_id == user.id)
                       .values(author_id=None, submission_key=None)
                       .execution_options(synchronize_session="fetch"))
    db.session.flush()


data_rights.register("comments", export=export_comments, erase=erase_comments)
