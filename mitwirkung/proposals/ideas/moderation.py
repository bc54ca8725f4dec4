"""Ideas take part in pre-moderation (core/moderation.py): how the queue names them, where
they belong, and the author's mail after the decision."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ...core import moderation
from ...core.audit import quoted
from .. import services
from ..models import Idea
from . import mails


def _context(idea: Idea) -> str:
    return _("Board %(board)s of the project %(project)s", board=quoted(idea.board.title),
             project=quoted(idea.board.project.title))


def _author_name(idea: Idea) -> str:
    return idea.author.display_name if idea.author is not None else _("deleted account")


moderation.register_kind(moderation.ModeratedKind(
    model=Idea,
    approve_action="idea.approve",
    reject_action="idea.reject",
    noun=_l("Idea"),
    title=lambda idea: idea.title,
    author_id=lambda idea: idea.author_id,
    tell_author=mails.tell_of_moderation,
    url=lambda idea: url_for("proposals.idea", slug=idea.board.slug, idea_id=idea.id),
    context=_context,
    text=lambda idea: idea.text,
    author_name=_author_name,
    still_open=lambda: Idea.withdrawn_at.is_(None),
    # The board and its project are joined by the models already.
    queue_options=lambda: (joinedload(Idea.author),),
    answers=lambda idea: _("Idea board %(board)s", board=quoted(idea.board.title)),
    project_title=lambda idea: idea.board.project.title,
    flaggable=lambda idea: idea.is_public and services.is_public(idea.board),
    hide_action="idea.hide",
    keep_action="idea.keep",
    tell_hidden=mails.tell_of_hiding,
))
