"""A text's comments, section by section, as rows of the CSV for staff."""

from flask_babel import gettext as _

from ..core.time import format_moment
from . import services
from .models import TextDocument


def header() -> list[str]:
    return [_("Section"), _("Section key"), _("Version"), _("Comment no."),
            _("Reply to no."), _("Author (username)"), _("Date"), _("Text"),
            _("Moderation state")]


def rows(document: TextDocument, everything: bool) -> list[list]:
    """The header, then one row per comment: published ones only unless `everything`."""
    lines = [header()]
    for section, comment in services.comments_for_export(document, everything):
        author = comment.author.display_name if comment.author else _("deleted account")
        state = str(comment.moderation_label)
        if comment.deleted_at is not None:
            state = _("deleted by its author")
        lines.append([section.title, section.key, comment.version, comment.id,
                      comment.parent_id, author, format_moment(comment.created_at),
                      comment.text, state])
    return lines
