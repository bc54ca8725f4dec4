"""Idea boards: a board on a project, its categories, the ideas residents submit, their
supports, and the public history of what staff decided about each idea."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..core.enums import LabelledEnum
from ..core.moderation import Moderated, moderation_check
from ..core.sanitize import render_markdown, render_plain_text
from ..core.time import utcnow
from ..extensions import db

TITLE_MAX = 120
TEXT_MAX = 5_000


class BoardStatus(LabelledEnum):
    DRAFT = "draft", _l("draft")
    PUBLISHED = "published", _l("published")


class IdeaStatus(LabelledEnum):
    """The official answer's status. `submitted` is "not answered yet", and staff can always
    set it again (Decidim #8981: a status could not be unset)."""

    SUBMITTED = "submitted", _l("submitted, not answered yet")
    IN_REVIEW = "in_review", _l("under review")
    ACCEPTED = "accepted", _l("accepted")
    REJECTED = "rejected", _l("rejected")
    IMPLEMENTED = "implemented", _l("implemented")


class WithdrawReason(LabelledEnum):
    DUPLICATE = "duplicate", _l("a duplicate of another idea")
    DONE = "done", _l("already done")
    OTHER = "other", _l("another reason")


class Feasibility(LabelledEnum):
    """A competition's check by the city, before supporting opens."""

    FEASIBLE = "feasible", _l("admissible")
    NOT_FEASIBLE = "not_feasible", _l("not admissible")


class EventKind(LabelledEnum):
    """What an entry of an idea's public history records."""

    STATUS = "status", _l("status and answer")
    FEASIBILITY = "feasibility", _l("feasibility check")
    SHORTLIST = "shortlist", _l("shortlist")


class Board(db.Model):
    """An idea board on a project: its phases are days in the city's zone."""

    __tablename__ = "boards"
    __table_args__ = (
        CheckConstraint(BoardStatus.check("status"), name="status"),
        CheckConstraint("support_from IS NULL OR support_until IS NULL "
                        "OR support_until >= support_from", name="support_dates"),
        CheckConstraint("support_limit IS NULL OR support_limit > 0", name="support_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # Markdown, and the HTML it renders to when saved.
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=BoardStatus.DRAFT)
    # Submitting is open up to and including this day (None: no end).
    submit_until: Mapped[date | None] = mapped_column(Date)
    # Supporting is open on these days (both None: never; one None: open on that side).
    support_from: Mapped[date | None] = mapped_column(Date)
    support_until: Mapped[date | None] = mapped_column(Date)
    support_limit: Mapped[int | None]  # supports per person on this board
    map_enabled: Mapped[bool] = mapped_column(default=False)
    premoderation: Mapped[bool] = mapped_column(default=True)
    competition: Mapped[bool] = mapped_column(default=False)
    # A competition's rules, shown before submitting (Markdown, rendered when saved).
    rules: Mapped[str] = mapped_column(Text, default="")
    rules_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    project = relationship("Project", lazy="joined")
    categories: Mapped[list["Category"]] = relationship(
        back_populates="board", order_by="(Category.position, Category.id)",
        cascade="all, delete-orphan", passive_deletes=True)

    @validates("description")
    def _render_description(self, _key, value):
        self.description_html = render_markdown(value)
        return value

    @validates("rules")
    def _render_rules(self, _key, value):
        self.rules_html = render_markdown(value)
        return value

    def __repr__(self) -> str:
        return f"<Board {self.slug}>"


class Category(db.Model):
    """A staff-defined kind of idea; its colour is never the only sign of it."""

    __tablename__ = "board_categories"
    __table_args__ = (
        UniqueConstraint("board_id", "name"),
        CheckConstraint("colour IS NULL OR length(colour) = 7", name="colour"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(60))
    colour: Mapped[str | None] = mapped_column(String(7))  # "#0b5a8a"
    position: Mapped[int] = mapped_column(default=0)

    board: Mapped[Board] = relationship(back_populates="categories")


class Idea(Moderated, db.Model):
    """A resident's idea. Public once approved (or at once on a board without
    pre-moderation), while neither withdrawn nor hidden by the moderation."""

    __tablename__ = "ideas"
    __table_args__ = (
        moderation_check(),
        CheckConstraint(IdeaStatus.check("status"), name="status"),
        CheckConstraint(f"withdraw_reason IS NULL OR {WithdrawReason.check('withdraw_reason')}",
                        name="withdraw_reason"),
        CheckConstraint(f"feasibility IS NULL OR {Feasibility.check('feasibility')}",
                        name="feasibility"),
        CheckConstraint("supports_count >= 0", name="supports_count"),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="point"),
        # The list (proposals/listing/): a board's ideas newest or most supported first,
        # walked in that order; and how many of them a person may see, counted from the
        # index alone, filters included (docs/benchmarks.md, the idea list).
        Index("ix_ideas_board_newest", "board_id", "created_at", "id"),
        Index("ix_ideas_board_supports", "board_id", "supports_count", "id"),
        Index("ix_ideas_board_visible", "board_id", "moderation_state", "withdrawn_at",
              "hidden_at", "author_id", "category_id", "status"),
        # One idea per submission: a double click sends the form's key twice.
        Index("uq_ideas_author_submission", "author_id", "submission_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_categories.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # Plain text as typed; its HTML (paragraphs, links with rel="nofollow ugc") is rendered
    # when saved, through core/sanitize.py.
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text, default="")
    image: Mapped[str | None] = mapped_column(String(64))
    image_alt: Mapped[str] = mapped_column(String(300), default="")
    place: Mapped[str] = mapped_column(String(200), default="")  # an address, in words
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    status: Mapped[str] = mapped_column(String(16), default=IdeaStatus.SUBMITTED)
    # The latest official answer (its history is in idea_events).
    answer: Mapped[str] = mapped_column(Text, default="")
    supports_count: Mapped[int] = mapped_column(default=0, server_default=sql_text("0"))
    feasibility: Mapped[str | None] = mapped_column(String(16))
    feasibility_reason: Mapped[str] = mapped_column(Text, default="")
    shortlisted: Mapped[bool] = mapped_column(default=False)
    withdrawn_at: Mapped[datetime | None]
    withdraw_reason: Mapped[str | None] = mapped_column(String(16))
    withdraw_note: Mapped[str] = mapped_column(Text, default="")
    # A random key the submission form carries from its first step to saving; a second
    # request with the same key (a double click) finds the idea the first one stored.
    submission_key: Mapped[str | None] = mapped_column(String(43))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    board: Mapped[Board] = relationship(lazy="joined")
    category: Mapped[Category | None] = relationship(lazy="joined")
    author = relationship("User", foreign_keys=[author_id], lazy="raise")

    @validates("text")
    def _render_text(self, _key, value):
        self.text_html = render_plain_text(value)
        return value

    @property
    def is_public(self) -> bool:
        return self.is_approved and self.withdrawn_at is None and self.hidden_at is None

    @property
    def status_label(self):
        return IdeaStatus.label_of(self.status)

    def __repr__(self) -> str:
        return f"<Idea {self.id} {self.moderation_state} {self.status}>"


class Support(db.Model):
    """One account's support of one idea; the unique constraint decides concurrent clicks
    (Decidim GHSA-r275-j57c-7mf2, CONSUL #2415 counted them twice)."""

    __tablename__ = "idea_supports"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    # Denormalised for the per-board limit of supports per person.
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdeaEvent(db.Model):
    """One entry of an idea's public history: a status change with its answer, a
    feasibility decision, a shortlisting. Who decided is shown by role, not by name."""

    __tablename__ = "idea_events"
    __table_args__ = (CheckConstraint(EventKind.check("kind"), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[str] = mapped_column(String(16))
    from_value: Mapped[str | None] = mapped_column(String(16))
    to_value: Mapped[str | None] = mapped_column(String(16))
    answer: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
