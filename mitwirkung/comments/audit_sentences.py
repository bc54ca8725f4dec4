"""How the audit log names comments and says what was done to them. A comment is named by
the start of its text: the log shows what a decision was about without opening it."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core import audit
from ..core.audit import quoted
from ..extensions import db
from .models import Comment, ModerationMode, excerpt

LABEL_LENGTH = 60


def _start(text: str | None) -> str:
    return excerpt(text, LABEL_LENGTH)


def _load(ids) -> dict[int, str]:
    rows = db.session.execute(select(Comment.id, Comment.text).where(Comment.id.in_(ids)))
    return {id_: _start(text) for id_, text in rows}


audit.register_target("comments", _l("Comment"), label=lambda comment: _start(comment.text),
                      load=_load, show=quoted)


@audit.sentence("comment.approve", _l("Comment approved"), target="comments")
def _approve(line):
    return _("Comment %(comment)s approved and published", comment=line.target)


@audit.sentence("comment.reject", _l("Comment rejected"), target="comments")
def _reject(line):
    return _("Comment %(comment)s rejected: %(reason)s", comment=line.target,
             reason=line.get("reason"))


@audit.sentence("project.comment_settings", _l("Comment settings changed"), target="projects")
def _settings(line):
    new = line.get("new")
    if not isinstance(new, dict) or new.get("moderation") not in set(ModerationMode):
        return _("Comment settings of project %(project)s changed", project=line.target)
    if not new.get("enabled"):
        return _("Comments in project %(project)s switched off", project=line.target)
    return _("Comments in project %(project)s switched on: %(mode)s", project=line.target,
             mode=ModerationMode.label_of(new["moderation"]))
@audit.sentence("comment.hide", _l("Comment hidden"), target="comments")
def _hide(line):
    return _("Comment %(comment)s hidden by the moderation (%(flags)s reports): %(reason)s",
             comment=line.target, flags=line.get("flags", 0), reason=line.get("reason"))


@audit.sentence("comment.keep", _l("Reports on a comment dismissed"), target="comments")
def _keep(line):
    if line.get("reason"):
        return _("Comment %(comment)s kept, %(flags)s reports dismissed: %(reason)s",
                 comment=line.target, flags=line.get("flags", 0), reason=line.get("reason"))
    return _("Comment %(comment)s kept, %(flags)s reports dismissed", comment=line.target,
             flags=line.get("flags", 0))
