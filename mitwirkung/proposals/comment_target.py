"""Ideas can be commented on (comments/targets.py): on the idea's page, while the idea is
public and its board has not passed its last day."""

from flask import url_for
from flask_babel import gettext as _

from ..comments import targets
from ..comments.models import LinkKind
from ..core.audit import quoted
from ..core.time import local_today
from . import services
from .models import Idea


def _open(idea: Idea) -> bool:
    board = idea.board
    if not (idea.is_public and services.is_public(board)):
        return False
    days = [day for day in (board.submit_until, board.support_until) if day is not None]
    return not days or local_today() <= max(days)


targets.register(targets.TargetKind(
    kind=LinkKind.IDEA, model=Idea,
    project_id=lambda idea: idea.board.project_id,
    title=lambda idea: idea.title,
    url=lambda idea: url_for("proposals.idea", slug=idea.board.slug, idea_id=idea.id)
    + "#comments",
    may_see=services.may_see_idea,
    open=_open,
    context=lambda idea: _("Idea board %(board)s", board=quoted(idea.board.title)),
))
