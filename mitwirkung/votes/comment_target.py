"""A vote's options can be commented on (comments/targets.py), each on its own comments
page linked from the vote: before and while the vote is open."""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..comments import targets
from ..comments.models import LinkKind
from ..core.audit import quoted
from . import services
from .models import Option, Question, VotePhase


def _title(option: Option) -> str:
    return f"{option.code}: {option.title}"


targets.register(targets.TargetKind(
    kind=LinkKind.OPTION, model=Option,
    project_id=lambda option: option.question.vote.project_id,
    title=_title,
    url=lambda option: url_for("comments.show", kind=LinkKind.OPTION.value,
                               target_id=option.id),
    may_see=lambda option, viewer: services.may_see(option.question.vote, viewer),
    open=lambda option: services.phase(option.question.vote) in (VotePhase.UPCOMING,
                                                                 VotePhase.OPEN),
    context=lambda option: _("Vote %(vote)s, question %(question)s",
                             vote=quoted(option.question.vote.title),
                             question=quoted(option.question.title)),
    load_options=lambda: (joinedload(Option.question).joinedload(Question.vote),),
))
