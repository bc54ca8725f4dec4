"""Setting up a vote (staff): the vote itself; its questions and their options are
questions.py's, under the lock and guard at the end of this module.

Questions and options are locked once the first ballot exists, because a changed option
would change what earlier voters chose; the vote's dates, texts and results visibility can
still move. Double entry is fixed once a paper batch exists (void ones aside), so a batch is
never caught between the two ways of counting. Operations add and flush; the calling view
commits once.
"""

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, union_all
from sqlalchemy.exc import IntegrityError

from ...core import audit, uploads
from ...core.domain import DomainError
from ...core.time import utcnow
from ...extensions import db
from .. import services
from ..models import (
    Ballot,
    BatchSource,
    BatchStatus,
    OnlineTally,
    Option,
    PaperBatch,
    PaperTallySheet,
    Question,
    ResultsVisibility,
    TallyEntry,
    Vote,
    VotePhase,
    VoteStanding,
    VoteStatus,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX = 80
# /manage/votes/new is the form for a new vote, so no vote may be called "new".
RESERVED_SLUGS = frozenset({"new"})
# A copy's slug: "<slug>-kopie", then "-kopie-2" ... The word is German because the slug
# is part of the vote's public link, which German readers see.
COPY_SLUG_WORD = "kopie"
COPY_SLUG_SUFFIX = re.compile(rf"-{COPY_SLUG_WORD}(?:-\d+)?$")
TITLE_MAX = 200


class SetupError(DomainError):
    """A setup change was refused; `field` names the form field it belongs to, if one."""


class VoteLocked(SetupError):
    """Ballots exist: questions, options and the slug can no longer change."""

    message = _l("Ballots exist: the questions, options and web address of this vote can no "
                 "longer change.")


class DoubleEntryLocked(SetupError):
    """Paper batches exist: double entry can no longer be switched on or off."""

    message = _l("Double entry cannot change once paper ballots are entered.")


class SlugTaken(SetupError):
    message = _l("Another vote already uses this web address.")
    field = "slug"


class InvalidWindow(SetupError):
    """The vote would close before (or when) it opens."""

    message = _l("The closing time must be after the opening time.")
    field = "closes_at"


class VoteFinal(SetupError):
    """The vote's result is declared final: nothing about the vote changes any more."""

    message = _l("The result of this vote is final: the vote can no longer change.")


class AlreadyCounted(SetupError):
    """The vote closed and its online ballots were mixed for the last time (sealed): it
    cannot open again, or a ballot cast then would never be counted."""

    message = _l("This vote has closed and its online ballots are counted: it cannot open "
                 "again.")
    field = "closes_at"


class NotOpen(SetupError):
    """Only a vote that is open now can be closed early."""

    message = _l("Only an open vote can be closed early.")


class InvalidVisibility(SetupError):
    message = _l("Please choose when the results are visible.")
    field = "results_visibility"


class AlreadyPublished(SetupError):
    message = _l("This vote is already published.")


class NotReady(SetupError):
    """The vote cannot be published yet; `problems` says why.

    Each problem is ("no_questions", None) or ("too_few_options", question).
    """

    message = _l("The vote needs at least one question, and each question at least two "
                 "options.")

    def __init__(self, problems: list[tuple[str, Question | None]]):
        super().__init__(problems)
        self.problems = problems


# Votes ---------------------------------------------------------------------------------


class ListedVote(NamedTuple):
    """A row of the staff's list of votes."""

    vote: Vote
    standing: VoteStanding
    # Counted as the results count them: online ballots a mix has counted, and the cards
    # of counted paper batches and tally sheets.
    ballots: int


def all_votes(now=None) -> list[ListedVote]:
    """Every vote, the latest to open first, with its standing and how many ballots its
    results count so far: two queries whatever the number of votes."""
    now = now or utcnow()
    votes = db.session.scalars(select(Vote).order_by(Vote.opens_at.desc(), Vote.id.desc()))
    counted = ballots_counted()
    return [ListedVote(vote, services.standing(vote, now), counted[vote.id]) for vote in votes]


def ballots_counted() -> Counter:
    """Vote id -> ballots its results count, from the running tallies and the batch sizes,
    never from the ballots themselves (a vote may have a million)."""
    per_question = (
        select(OnlineTally.question_id, func.sum(OnlineTally.count).label("n"))
        .group_by(OnlineTally.question_id).subquery()
    )
    # Every online ballot answers every question (blank included), so each question of a
    # vote holds all of its counted ballots.
    online = (
        select(Question.vote_id, func.max(per_question.c.n))
        .join(per_question, per_question.c.question_id == Question.id)
        .group_by(Question.vote_id)
    )
    cards = (
        select(PaperBatch.vote_id, func.count(Ballot.id))
        .join(Ballot, Ballot.batch_id == PaperBatch.id)
        .where(PaperBatch.status == BatchStatus.COUNTED, PaperBatch.source != BatchSource.TALLY)
        .group_by(PaperBatch.vote_id)
    )
    sheets = (
        select(PaperBatch.vote_id, func.sum(PaperTallySheet.cards))
        .join(PaperTallySheet, PaperTallySheet.batch_id == PaperBatch.id)
        .where(PaperBatch.status == BatchStatus.COUNTED,
               PaperTallySheet.entry == TallyEntry.FIRST)
        .group_by(PaperBatch.vote_id)
    )
    counted: Counter = Counter()
    for vote_id, n in db.session.execute(union_all(online, cards, sheets)):
        counted[vote_id] += int(n or 0)
    return counted


def is_locked(vote: Vote) -> bool:
    """Questions, options and the slug are fixed once the first ballot exists."""
    return services.ballots_exist(vote)


def double_entry_locked(vote: Vote) -> bool:
    """Double entry is fixed once the vote has a paper batch that is not void."""
    return vote.id is not None and bool(db.session.scalar(select(exists().where(
        PaperBatch.vote_id == vote.id, PaperBatch.status != BatchStatus.VOID
    ))))


def create_vote(
    project,
    actor,
    *,
    slug: str,
    title: str,
    description: str,
    opens_at: datetime,
    closes_at: datetime,
    results_visibility: str,
    double_entry: bool = False,
) -> Vote:
    """Create a draft vote of `project`; times are naive UTC."""
    slug = slug.strip().lower()
    _check_window(opens_at, closes_at)
    _check_visibility(results_visibility)
    if _slug_in_use(slug, vote_id=None):
        raise SlugTaken(slug)
    vote = Vote(
        project_id=project.id,
        slug=slug,
        title=title.strip(),
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        results_visibility=results_visibility,
        double_entry=bool(double_entry),
        status=VoteStatus.DRAFT,
        created_by_id=getattr(actor, "id", None),
    )
    with unique_guard(SlugTaken):
        db.session.add(vote)
    audit.record(actor, "vote.create", vote, slug=vote.slug, project_id=project.id)
    return vote


def update_vote(
    vote: Vote,
    actor,
    *,
    slug: str,
    title: str,
    description: str,
    opens_at: datetime,
    closes_at: datetime,
    results_visibility: str,
    double_entry: bool | None = None,
) -> Vote:
    """Change a vote's texts, window and visibility; the slug only while no ballot exists,
    double entry (None: unchanged) only while no paper batch exists."""
    if vote.is_final:
        raise VoteFinal()
    slug = slug.strip().lower()
    _check_window(opens_at, closes_at)
    if vote.sealed_at is not None and closes_at > utcnow():
        raise AlreadyCounted()
    _check_visibility(results_visibility)
    if slug != vote.slug:
        ensure_unlocked(vote)
        if _slug_in_use(slug, vote_id=vote.id):
            raise SlugTaken(slug)
    double_entry = vote.double_entry if double_entry is None else bool(double_entry)
    if double_entry != vote.double_entry and double_entry_locked(vote):
        raise DoubleEntryLocked()
    changed = sorted(
        name
        for name, value in (
            ("slug", slug),
            ("title", title.strip()),
            ("description", description),
            ("opens_at", opens_at),
            ("closes_at", closes_at),
            ("results_visibility", results_visibility),
            ("double_entry", double_entry),
        )
        if getattr(vote, name) != value
    )
    with unique_guard(SlugTaken):
        vote.slug = slug
        vote.title = title.strip()
        vote.description = description
        vote.opens_at, vote.closes_at = opens_at, closes_at
        vote.results_visibility = results_visibility
        vote.double_entry = double_entry
    audit.record(actor, "vote.update", vote, slug=vote.slug, changed=changed)
    return vote


def publish_vote(vote: Vote, actor) -> Vote:
    """Make a draft vote public; it needs a question and two options for each question."""
    if vote.status != VoteStatus.DRAFT:
        raise AlreadyPublished()
    problems = readiness_problems(vote)
    if problems:
        raise NotReady(problems)
    vote.status = VoteStatus.PUBLISHED
    db.session.flush()
    audit.record(actor, "vote.publish", vote, slug=vote.slug)
    return vote


def close_now(vote: Vote, actor) -> Vote:
    """Close an open vote at once, by the server's clock: online voting stops, and paper
    cards collected up to today still count until the result is declared final.

    The vote's row is locked first (as for a change of its questions): on PostgreSQL a
    cast being written finishes before the close, and a later one finds the vote's new
    box version and is refused on a fresh read (votes/casting/ballot_box.py). The online
    ballots still waiting are mixed and the vote sealed when its results are first read
    after the close, as after any close (votes/casting/mixing.py)."""
    db.session.refresh(vote, with_for_update={"of": Vote})
    if vote.is_final:
        raise VoteFinal()
    now = utcnow()
    if services.phase(vote, now) != VotePhase.OPEN:
        raise NotOpen()
    planned = vote.closes_at
    # A vote opened this very microsecond still closes after it opens (a CHECK says so).
    vote.closes_at = max(now, vote.opens_at + timedelta(microseconds=1))
    db.session.flush()
    audit.record(actor, "vote.close_now", vote, slug=vote.slug,
                 closes_at=vote.closes_at.isoformat(), planned=planned.isoformat())
    return vote


def copy_vote(vote: Vote, actor) -> Vote:
    """A new draft of the same project with the vote's texts, settings, questions and
    options, its title marked as a copy under a free slug. The dates stay for staff to set
    anew; ballots, batches, participations and results stay with the original. Each
    option's image is copied: a stored file has one owner (core/uploads.py)."""
    copy = Vote(
        project_id=vote.project_id,
        slug=_copy_slug(vote.slug),
        title=_copy_title(vote.title),
        description=vote.description,
        opens_at=vote.opens_at,
        closes_at=vote.closes_at,
        results_visibility=vote.results_visibility,
        double_entry=vote.double_entry,
        status=VoteStatus.DRAFT,
        created_by_id=getattr(actor, "id", None),
    )
    stored: list[str] = []
    try:
        for question in vote.questions:
            copied = Question(code=question.code, title=question.title,
                              help_text=question.help_text, position=question.position)
            for option in question.options:
                image = uploads.copy(option.image)
                if image:
                    stored.append(image)
                copied.options.append(Option(
                    code=option.code, title=option.title, text=option.text, image=image,
                    image_alt=option.image_alt if image else "", position=option.position,
                ))
            copy.questions.append(copied)
        with db.session.begin_nested():
            db.session.add(copy)
    except BaseException as exc:
        for name in stored:
            uploads.delete(name)
        if isinstance(exc, IntegrityError):  # another vote took the slug a moment ago
            raise SlugTaken() from exc
        raise
    audit.record(actor, "vote.copy", copy, slug=copy.slug, source_id=vote.id,
                 source_slug=vote.slug)
    return copy


def _copy_slug(slug: str) -> str:
    """The first free slug of "<slug>-kopie", "<slug>-kopie-2" ..., shortened to fit; a copy
    of a copy counts on from the original's slug."""
    base = COPY_SLUG_SUFFIX.sub("", slug)
    # Every candidate starts with this, whatever its number (fewer than 10 digits).
    prefix = base[:SLUG_MAX - len(f"-{COPY_SLUG_WORD}-") - 9]
    taken = set(db.session.scalars(
        select(Vote.slug).where(Vote.slug.startswith(prefix, autoescape=True))
    ))
    suffixes = (f"-{COPY_SLUG_WORD}" + (f"-{n}" if n > 1 else "") for n in itertools.count(1))
    candidates = (base[:SLUG_MAX - len(suffix)].rstrip("-") + suffix for suffix in suffixes)
    return next(candidate for candidate in candidates if candidate not in taken)


def _copy_title(title: str) -> str:
    """The title marked as a copy, in the staff member's language, shortened to fit."""
    marked = _("%(title)s (copy)", title=title)
    if len(marked) > TITLE_MAX:
        marked = _("%(title)s (copy)",
                   title=title[:TITLE_MAX - (len(marked) - len(title))].rstrip())
    return marked


def readiness_problems(vote: Vote) -> list[tuple[str, Question | None]]:
    """What keeps `vote` from being published; empty when it is ready."""
    if not vote.questions:
        return [("no_questions", None)]
    return [("too_few_options", q) for q in vote.questions if len(q.options) < 2]


def _check_window(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise InvalidWindow()


def _check_visibility(visibility: str) -> None:
    if visibility not in set(ResultsVisibility):
        raise InvalidVisibility(visibility)


def _slug_in_use(slug: str, vote_id: int | None) -> bool:
    if slug in RESERVED_SLUGS:
        return True
    query = select(Vote.id).where(Vote.slug == slug)
    if vote_id is not None:
        query = query.where(Vote.id != vote_id)
    return db.session.scalar(query) is not None


# For questions.py too ------------------------------------------------------------------


def ensure_unlocked(vote: Vote) -> None:
    """Refuse to change questions and options once a ballot exists. The vote's row is locked
    first: every ballot's insert checks its foreign key to that row, which on PostgreSQL
    takes a key-share lock, so no first ballot can slip in between this check and the
    change. (SQLite runs one writer at a time anyway and ignores FOR UPDATE.)"""
    db.session.execute(select(Vote.id).where(Vote.id == vote.id).with_for_update())
    if vote.is_final:
        raise VoteFinal()
    if is_locked(vote):
        raise VoteLocked()


@contextmanager
def unique_guard(error: type[SetupError], stored_image: str | None = None) -> Iterator[None]:
    # The unique constraints decide when two staff members pick the same slug or code at
    # once; the savepoint undoes the change, so nothing half-written is left behind.
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as exc:
        uploads.delete(stored_image)
        raise error() from exc
