"""Comments made directly, as a service would store them: for tests of the queue and the
moderators' numbers, which need many in every state."""

from datetime import datetime

from mitwirkung.comments.models import LINK_COLUMNS, Comment, LinkKind
from mitwirkung.core.moderation import ModerationState
from mitwirkung.extensions import db


def comment(target, kind: LinkKind, author, text="Ein Kommentar.", *, project_id: int,
            state=ModerationState.PENDING, parent=None, created_at: datetime | None = None,
            **fields) -> Comment:
    item = Comment(project_id=project_id, link_kind=kind.value, author_id=author.id,
                   text=text, moderation_state=state,
                   parent_id=parent.id if parent is not None else None, **fields)
    setattr(item, LINK_COLUMNS[kind], target.id)
    if created_at is not None:
        item.created_at = created_at
    db.session.add(item)
    db.session.commit()
    return item
