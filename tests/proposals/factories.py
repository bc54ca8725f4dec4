"""Builders for idea boards in tests. Each commits, which inside a test only releases a
savepoint."""

import itertools
from datetime import timedelta

from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import local_today
from mitwirkung.extensions import db
from mitwirkung.proposals.models import Board, BoardStatus, Category, Idea, Support

from .. import factories
from ..projects import factories as project_factories

_counter = itertools.count(1)


def board(project=None, categories=("Kultur", "Sport", "Umwelt"), **fields) -> Board:
    """A published board of a published project: submitting open for two weeks,
    supporting from today for four, no pre-moderation unless asked."""
    n = next(_counter)
    today = local_today()
    values = {
        "slug": f"board-{n}", "title": f"Ideen {n}", "status": BoardStatus.PUBLISHED,
        "submit_until": today + timedelta(days=14), "support_from": today,
        "support_until": today + timedelta(days=28), "premoderation": False,
    }
    values.update(fields)
    item = Board(project=project or project_factories.project(), **values)
    item.categories = [Category(name=name, position=i) for i, name in enumerate(categories)]
    db.session.add(item)
    db.session.commit()
    return item


def idea(board, author=None, title="Eine Idee", text="Ein Text.", place="",
         state=ModerationState.APPROVED, category=None, **fields) -> Idea:
    """An idea on `board`, approved unless `state` says otherwise."""
    item = Idea(board=board, author_id=(author or factories.user()).id, title=title,
                text=text, place=place, moderation_state=state,
                category=category, **fields)
    db.session.add(item)
    db.session.commit()
    return item


def support(idea, user) -> Support:
    """`user`'s support of `idea`, counted, whatever the board's phase."""
    item = Support(idea_id=idea.id, user_id=user.id, board_id=idea.board_id)
    idea.supports_count += 1
    db.session.add(item)
    db.session.commit()
    return item
