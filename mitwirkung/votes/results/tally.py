"""Results: online counts from the running tallies, paper counts from counted batches."""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, case, cast, delete, func, insert, select

from ...core.time import format_moment
from ...extensions import db
from ..casting.mixing import seal_if_closed
from ..models import (
    AnswerKind,
    Ballot,
    BallotAnswer,
    BatchSource,
    BatchStatus,
    InboxBallot,
    OnlineTally,
    PaperBatch,
    PaperTally,
    PaperTallySheet,
    TallyEntry,
    Vote,
    VotePhase,
)
from ..services import phase


@dataclass
class ChoiceCount:
    online: int = 0
    paper: int = 0  # per-card batches
    tally: int = 0  # tally sheets

    @property
    def total(self) -> int:
        return self.online + self.paper + self.tally


@dataclass
class OptionResult:
    code: str
    title: str
    count: ChoiceCount
    percent: float  # of the valid answers to its question


@dataclass
class QuestionResult:
    code: str
    title: str
    options: list[OptionResult]
    blank: ChoiceCount
    invalid: ChoiceCount

    @property
    def valid(self) -> int:
        return sum(option.count.total for option in self.options)

    @property
    def leader(self) -> OptionResult | None:
        """The option with most votes, if exactly one has most."""
        ranked = sorted(self.options, key=lambda option: option.count.total, reverse=True)
        if not ranked or ranked[0].count.total == 0:
            return None
        if len(ranked) > 1 and ranked[1].count.total == ranked[0].count.total:
            return None
        return ranked[0]


@dataclass
class BatchResult:
    batch: PaperBatch
    ballots: int  # its cards; a tally sheet's number of cards


@dataclass
class Results:
    vote: Vote
    phase: str
    online_ballots: int
    paper_ballots: int
    tally_ballots: int
    questions: list[QuestionResult]
    batches: list[BatchResult] = field(default_factory=list)
    # Online ballots cast but not counted yet: in the inbox or in the newest mix.
    online_waiting: int = 0

    @property
    def online_voters(self) -> int:
        return self.online_ballots + self.online_waiting

    @property
    def final(self) -> bool:
        """Declared final by staff (votes/results/final.py); provisional until then."""
        return self.vote.is_final

    @property
    def total_ballots(self) -> int:
        return self.online_ballots + self.paper_ballots + self.tally_ballots


def tally(vote: Vote) -> Results:
    """Count a vote's ballots per question and option, online and paper apart. A vote that
    has closed is sealed first, so its result holds every online ballot cast."""
    seal_if_closed(vote)
    online = _online_counts(vote)
    paper, sheets = _paper_counts(vote)
    batches = batch_results(vote)
    questions = []
    for question in vote.questions:
        def count(key, q=question.id):
            return ChoiceCount(online[q].get(key, 0), paper[q].get(key, 0),
                               sheets[q].get(key, 0))

        counts = [(option, count(str(option.id))) for option in question.options]
        valid = sum(c.total for _option, c in counts)
        options = [
            OptionResult(o.code, o.title, c, round(100 * c.total / valid, 1) if valid else 0.0)
            for o, c in counts
        ]
        questions.append(QuestionResult(
            question.code, question.title, options, count(AnswerKind.BLANK),
            count(AnswerKind.INVALID)
        ))
    first = vote.questions[0].id if vote.questions else None
    online_ballots = sum(online[first].values()) if first else 0
    counted = [b for b in batches if b.batch.status == BatchStatus.COUNTED]
    paper_ballots = sum(b.ballots for b in counted if not b.batch.is_tally)
    tally_ballots = sum(b.ballots for b in counted if b.batch.is_tally)
    return Results(vote, phase(vote), online_ballots, paper_ballots, tally_ballots, questions,
                   batches, _online_waiting(vote))


def _online_waiting(vote: Vote) -> int:
    """Counted from the few rows that wait (fewer than 2k at rest), not from the vote's
    participations, which a results page with a million voters would have to count."""
    waiting = select(func.count()).select_from(InboxBallot).where(
        InboxBallot.vote_id == vote.id).scalar_subquery()
    uncounted = select(func.count()).select_from(Ballot).where(
        Ballot.vote_id == vote.id, Ballot.mix > vote.mixes_counted).scalar_subquery()
    return db.session.scalar(select(waiting + uncounted))


def as_json(results: Results) -> dict:
    """The public JSON shape (PRODUCT.md contract)."""
    return {
        "vote": results.vote.slug,
        "status": "closed" if results.phase == VotePhase.CLOSED else "open",
        "final": results.final,
        "ballots": {"online": results.online_ballots, "paper": results.paper_ballots,
                    "tally": results.tally_ballots},
        "questions": [
            {
                "code": q.code,
                "title": q.title,
                "blank": q.blank.total,
                "invalid": q.invalid.total,
                "options": [
                    {"code": o.code, "title": o.title, "online": o.count.online,
                     "paper": o.count.paper, "tally": o.count.tally, "total": o.count.total}
                    for o in q.options
                ],
            }
            for q in results.questions
        ],
    }


def _online_counts(vote: Vote) -> dict[int, dict[str, int]]:
    ids = [question.id for question in vote.questions]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if not ids:
        return counts
    rows = db.session.execute(
        select(OnlineTally.question_id, OnlineTally.choice, func.sum(OnlineTally.count))
        .where(OnlineTally.question_id.in_(ids))
        .group_by(OnlineTally.question_id, OnlineTally.choice)
    )
    for question_id, choice, n in rows:
        counts[question_id][choice] = int(n)
    return counts


def _paper_counts(vote: Vote) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """Totals of the counted batches of cards, and of the counted tally sheets, from their
    tallies (see record_paper_tally and paper/tally_sheets.py)."""
    cards: dict[int, dict[str, int]] = defaultdict(dict)
    sheets: dict[int, dict[str, int]] = defaultdict(dict)
    is_tally = PaperBatch.source == BatchSource.TALLY
    rows = db.session.execute(
        select(is_tally, PaperTally.question_id, PaperTally.choice, func.sum(PaperTally.count))
        .join(PaperBatch, PaperBatch.id == PaperTally.batch_id)
        .where(PaperBatch.vote_id == vote.id, PaperBatch.status == BatchStatus.COUNTED)
        .group_by(is_tally, PaperTally.question_id, PaperTally.choice)
    )
    for tally_sheet, question_id, choice, n in rows:
        (sheets if tally_sheet else cards)[question_id][choice] = int(n)
    return cards, sheets


def record_paper_tally(batch: PaperBatch) -> None:
    """Store a batch's totals when it starts to count; its cards are fixed from then on."""
    choice = case((BallotAnswer.kind == AnswerKind.OPTION, cast(BallotAnswer.option_id, String)),
                  else_=BallotAnswer.kind)
    rows = db.session.execute(
        select(BallotAnswer.question_id, choice, func.count())
        .join(Ballot, Ballot.id == BallotAnswer.ballot_id)
        .where(Ballot.batch_id == batch.id)
        .group_by(BallotAnswer.question_id, choice)
    ).all()
    db.session.execute(delete(PaperTally).where(PaperTally.batch_id == batch.id))
    if rows:
        db.session.execute(insert(PaperTally), [
            {"batch_id": batch.id, "question_id": question_id, "choice": key, "count": n}
            for question_id, key, n in rows
        ])


def batch_results(vote: Vote) -> list[BatchResult]:
    """Every batch with its number of cards: counted ballots, or a tally sheet's figure."""
    sizes = dict(db.session.execute(
        select(Ballot.batch_id, func.count())
        .join(PaperBatch, PaperBatch.id == Ballot.batch_id)
        .where(PaperBatch.vote_id == vote.id)
        .group_by(Ballot.batch_id)
        .union_all(
            select(PaperTallySheet.batch_id, PaperTallySheet.cards)
            .join(PaperBatch, PaperBatch.id == PaperTallySheet.batch_id)
            .where(PaperBatch.vote_id == vote.id, PaperTallySheet.entry == TallyEntry.FIRST)
        )
    ).all())
    batches = db.session.scalars(
        select(PaperBatch)
        .where(PaperBatch.vote_id == vote.id)
        .order_by(PaperBatch.collected_on, PaperBatch.id)
    )
    return [BatchResult(batch, sizes.get(batch.id, 0)) for batch in batches]


RESULT_COLUMNS = (_l("Question"), _l("Option"), _l("Title"), _l("online"), _l("paper"),
                  _l("tally sheet"), _l("total"), _l("Share (%)"))


def result_rows(results: Results) -> list[tuple]:
    """One row per option, then blank and invalid per question, for CSV: in the locale's
    words, so a German spreadsheet reads "leer" and "ungültig"."""
    rows: list[tuple] = [tuple(str(column) for column in RESULT_COLUMNS)]
    blank, invalid = _("blank"), _("invalid")
    for q in results.questions:
        for o in q.options:
            rows.append((q.code, o.code, o.title, *_split(o.count), o.percent))
        rows.append((q.code, blank, "", *_split(q.blank), None))
        rows.append((q.code, invalid, "", *_split(q.invalid), None))
    rows.append((str(_("Result")), final_words(results)))
    return rows


def _split(count: ChoiceCount) -> tuple[int, int, int, int]:
    return count.online, count.paper, count.tally, count.total


def final_words(results: Results) -> str:
    """"provisional result", or "final result, declared on ... by ..." in the locale's words."""
    vote = results.vote
    if not vote.is_final:
        return _("provisional result")
    by = vote.final_by.username if vote.final_by else _("a deleted account")
    return _("final result, declared on %(day)s by %(name)s",
             day=format_moment(vote.final_at), name=by)
