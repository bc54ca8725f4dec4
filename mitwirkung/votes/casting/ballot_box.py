"""What casting a ballot needs to know about a vote, read in one query and kept per process.

Every cast needs the vote's window, status and its question and option codes. Reading them
is a round trip and a seven-row join, 15 % of a cast's CPU, for data that changes only
while staff set a vote up. So each process keeps the boxes it has read, and each vote row
carries a random `box_version` that is replaced whenever the vote, one of its questions or
one of its options changes (votes/models.py). A cached box is never trusted on its own:

- a ballot counts only if its write finds the same version in the database, in the same
  statement (votes/casting/writes.py), so a box that went stale meanwhile writes nothing;
- every refusal (unknown vote or option, not open) is decided again on a fresh read.

A stale box therefore costs one more read and never lets a wrong ballot in; a right one
is turned away only if staff change the vote twice while it is being cast. Several app
servers each keep their own boxes; the database decides for all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from ...extensions import db
from ...projects.models import Project
from ..models import Option, Question, Vote

# Boxes of this many votes at most; a city runs a handful at a time.
CACHE_SIZE = 64


@dataclass(frozen=True)
class BallotBox:
    """A vote as casting sees it."""

    id: int
    status: str
    opens_at: datetime
    closes_at: datetime
    project_public: bool
    # question code -> (question id, {option code -> option id})
    questions: dict[str, tuple[int, dict[str, int]]]
    version: str


_READ = (
    select(Vote.id, Vote.status, Vote.opens_at, Vote.closes_at, Project.status,
           Vote.box_version, Question.id, Question.code, Option.id, Option.code)
    .join(Project, Project.id == Vote.project_id)
    .outerjoin(Question, Question.vote_id == Vote.id)
    .outerjoin(Option, Option.question_id == Question.id)
    .where(Vote.slug == bindparam("slug"))
    .order_by(Question.position, Question.id, Option.position, Option.id)
)

_cache: dict[str, BallotBox] = {}


def read(slug: str) -> BallotBox | None:
    """The vote's box from the database (and into this process's cache), None if unknown."""
    rows = db.session.execute(_READ, {"slug": slug}).all()
    if not rows:
        _cache.pop(slug, None)
        return None
    questions: dict[str, tuple[int, dict[str, int]]] = {}
    for *_vote, question_id, question_code, option_id, option_code in rows:
        if question_id is not None:
            options = questions.setdefault(question_code, (question_id, {}))[1]
            if option_id is not None:
                options[option_code] = option_id
    vote_id, status, opens_at, closes_at, project_status, version = rows[0][:6]
    box = BallotBox(vote_id, status, opens_at, closes_at, project_status != "draft",
                    questions, version)
    if len(_cache) >= CACHE_SIZE:
        _cache.clear()
    _cache[slug] = box
    return box


def lookup(slug: str) -> tuple[BallotBox | None, bool]:
    """(box, whether it came from the cache): the cached box if there is one, else read."""
    box = _cache.get(slug)
    if box is not None:
        return box, True
    return read(slug), False


def forget_all() -> None:
    """Empty this process's cache (tests, and after restoring a backup)."""
    _cache.clear()
