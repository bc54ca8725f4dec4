"""Comments: plain text on a project, an idea, a vote option or a document section, with one
level of replies, moderated like every contribution (core/moderation.py); and each project's
comment settings.

What a comment answers is one link (Indico's LinkMixin): `link_kind` names the kind and
exactly the matching foreign key is set, which a CHECK constraint holds. The kinds' tables
are named here, never imported: each feature registers its kind in comments/targets.py.
`project_id` is set on every comment, whatever it answers: the project's settings decide
whether it may be posted and whether it waits for a moderator.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..core.enums import LabelledEnum
from ..core.moderation import Moderated, moderation_check
from ..core.sanitize import render_plain_text
from ..core.time import utcnow
from ..extensions import db

TEXT_MAX = 2_000


def excerpt(text: str | None, length: int) -> str:
    """The start of a comment on one line, cut at a word where it is long (the moderators'
    queue, the audit log)."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + " …"


class LinkKind(LabelledEnum):
    """What a comment answers, and the column that holds it."""

    PROJECT = "project", _l("Project")
    IDEA = "idea", _l("Idea")
    OPTION = "option", _l("Vote option")
    SECTION = "section", _l("Document section")


LINK_COLUMNS = {LinkKind.PROJECT: "linked_project_id", LinkKind.IDEA: "idea_id",
                LinkKind.OPTION: "option_id", LinkKind.SECTION: "section_id"}


def _one_link_check() -> CheckConstraint:
    """Exactly the column of `link_kind` is set, every other link column is empty."""
    cases = [f"(link_kind = '{kind.value}' AND "
             + " AND ".join(f"{other} IS {'NOT ' if other == column else ''}NULL"
                            for other in LINK_COLUMNS.values()) + ")"
             for kind, column in LINK_COLUMNS.items()]
    return CheckConstraint(" OR ".join(cases), name="one_link")


class ModerationMode(LabelledEnum):
    PRE = "pre", _l("Pre-moderation: a moderator releases each comment before it is public")
    POST = "post", _l("Post-moderation: comments are public at once; moderators act on reports")


class Comment(Moderated, db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        moderation_check(),
        _one_link_check(),
        CheckConstraint(LinkKind.check("link_kind"), name="link_kind"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="parent"),
        # A thread: the comments on one thing, oldest or newest first.
        Index("ix_comments_idea", "idea_id", "created_at"),
        Index("ix_comments_option", "option_id", "created_at"),
        Index("ix_comments_section", "section_id", "created_at"),
        Index("ix_comments_project", "linked_project_id", "created_at"),
        # One comment per submission: a double click sends the form's key twice.
        Index("uq_comments_author_submission", "author_id", "submission_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    link_kind: Mapped[str] = mapped_column(String(16))
    linked_project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("vote_options.id", ondelete="CASCADE"))
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_sections.id", ondelete="CASCADE"))
    # A reply answers a comment of the same thread; replies are not answered (one level).
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    # Plain text as typed, and its HTML (paragraphs, links rel="nofollow ugc") made when
    # saved through core/sanitize.py.
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text, default="")
    submission_key: Mapped[str | None] = mapped_column(String(43))
    # The version of the text a section's comment was made on ("zu Fassung 1").
    version: Mapped[int | None]
    # The author deleted it: its text is gone; where it has replies it shows "deleted".
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    author = relationship("User", foreign_keys=[author_id], lazy="raise")
    project = relationship("Project", foreign_keys=[project_id], lazy="raise")
    parent: Mapped["Comment | None"] = relationship(remote_side=[id], lazy="raise")

    @validates("text")
    def _render_text(self, _key, text):
        self.text_html = render_plain_text(text)
        return text

    @property
    def target_id(self) -> int:
        return getattr(self, LINK_COLUMNS[LinkKind(self.link_kind)])

    @property
    def is_public(self) -> bool:
        return self.is_approved and self.deleted_at is None and self.hidden_at is None

    def __repr__(self) -> str:
        return f"<Comment {self.id} {self.link_kind}:{self.target_id} {self.moderation_state}>"


class CommentSettings(db.Model):
    """A project's comments: on or off, and pre- or post-moderated. A project without a row
    has the defaults: comments on, pre-moderated."""

    __tablename__ = "comment_settings"
    __table_args__ = (CheckConstraint(ModerationMode.check("moderation"), name="moderation"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    moderation: Mapped[str] = mapped_column(String(8), default=ModerationMode.PRE)
