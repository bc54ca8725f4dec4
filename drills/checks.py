"""After a drill: what the clients were told compared with what the database holds, and the
database's own integrity (constraints, running tallies equal to recounts from the rows).
"""

from collections import Counter
from dataclasses import dataclass, field

from common import VOTE_SLUG
from report import Row
from sqlalchemy import select, text
from world import SURVEY_SLUG

from mitwirkung.extensions import db
from mitwirkung.surveys import tallies as survey_tallies
from mitwirkung.surveys.models import Survey

# Rows per account, by the action that writes them.
_ROWS = {
    "cast": "SELECT p.user_id FROM vote_participations p JOIN votes v ON v.id = p.vote_id "
            "WHERE v.slug = :vote",
    "support": "SELECT user_id FROM idea_supports",
    "answer": "SELECT r.user_id FROM survey_responses r JOIN surveys s ON s.id = r.survey_id "
              "WHERE s.slug = :survey",
}
# Online tallies against a recount of the counted mixes' ballots (a mix counts the group
# before it, one step late: votes/casting/mixing.py).
_VOTE_TALLIES = """
SELECT q.id, t.choice, t.count FROM online_tallies t JOIN vote_questions q
    ON q.id = t.question_id JOIN votes v ON v.id = q.vote_id
WHERE v.slug = :vote AND t.count <> 0
"""
_VOTE_RECOUNT = """
SELECT a.question_id, CASE WHEN a.kind = 'option' THEN CAST(a.option_id AS VARCHAR(16))
       ELSE a.kind END, count(*)
FROM ballot_answers a JOIN ballots b ON b.id = a.ballot_id JOIN votes v ON v.id = b.vote_id
WHERE v.slug = :vote AND b.channel = 'online' AND b.mix <= v.mixes_counted
GROUP BY 1, 2
"""
_VOTE_BALLOTS = """
SELECT (SELECT count(*) FROM vote_participations p WHERE p.vote_id = v.id),
       (SELECT count(*) FROM ballot_inbox i WHERE i.vote_id = v.id)
     + (SELECT count(*) FROM ballots b WHERE b.vote_id = v.id AND b.channel = 'online')
FROM votes v WHERE v.slug = :vote
"""
_SUPPORT_COUNTS = """
SELECT count(*) FROM ideas i
WHERE i.supports_count <> (SELECT count(*) FROM idea_supports s WHERE s.idea_id = i.id)
"""


@dataclass
class Outcome:
    """Actions that got a success answer, the rows they wrote, and what does not add up."""

    successes: int = 0
    counted: int = 0
    lost: int = 0  # a success answer, no row
    doubled: int = 0  # more than one row for one account and action
    wrong: int = 0  # integrity problems: tallies, counters, constraints
    notes: list[str] = field(default_factory=list)


def compare(app, tally, kinds=("cast", "support", "answer")) -> Outcome:
    """Each success the clients saw against the account's rows in the database."""
    result = Outcome()
    with app.app_context(), db.engine.connect() as connection:
        for kind in kinds:
            rows = Counter(connection.execute(text(_ROWS[kind]),
                                              {"vote": VOTE_SLUG, "survey": SURVEY_SLUG})
                           .scalars())
            told = {action.account for action in tally.ok(kind)}
            result.successes += len(told)
            result.counted += sum(1 for account in told if rows[account] >= 1)
            result.lost += sum(1 for account in told if rows[account] == 0)
            result.doubled += sum(n - 1 for n in rows.values() if n > 1)
            unanswered = set(rows) - told
            if unanswered:
                result.notes.append(f"{kind}: {len(unanswered)} written whose answer got "
                                    "lost on the way (counted once, as it should)")
    problems = integrity(app)
    result.wrong += len(problems)
    result.notes += problems
    return result


def row(drill: str, database: str, tally, outcome: Outcome, wrong: int = 0) -> Row:
    """A table row from what the clients saw (`tally`) and what the database holds."""
    return Row(drill, database, tally.requests, outcome.successes, outcome.counted,
               outcome.lost, outcome.doubled, tally.retried_503, tally.server_errors,
               outcome.wrong + wrong)


def integrity(app) -> list[str]:
    """What is wrong with the database: constraints, and running counts against recounts."""
    problems = []
    with app.app_context():
        with db.engine.connect() as connection:
            params = {"vote": VOTE_SLUG}
            participations, ballots = connection.execute(text(_VOTE_BALLOTS), params).one()
            if participations != ballots:
                problems.append(f"vote: {participations} participations, {ballots} ballots")
            stored = {(q, c): n for q, c, n in connection.execute(text(_VOTE_TALLIES), params)}
            recount = {(q, c): n for q, c, n in connection.execute(text(_VOTE_RECOUNT), params)}
            if stored != recount:
                problems.append(f"vote: tallies {sorted(stored.items())} != recount "
                                f"{sorted(recount.items())}")
            ideas_off = connection.execute(text(_SUPPORT_COUNTS)).scalar()
            if ideas_off:
                problems.append(f"ideas: {ideas_off} with a support count unlike their rows")
            problems += _constraints(connection)
        survey = db.session.scalar(select(Survey).where(Survey.slug == SURVEY_SLUG))
        if survey is not None and survey_tallies.stored(survey) != \
                survey_tallies.from_answers(survey):
            problems.append("survey: tallies differ from a recount of the answers")
        db.session.remove()
    return problems


def _constraints(connection) -> list[str]:
    """SQLite checks its file and foreign keys on request; PostgreSQL enforces both on
    every write, so there it is enough that no constraint was left unvalidated."""
    if connection.dialect.name == "sqlite":
        found = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
        keys = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        return ([f"sqlite integrity_check: {found}"] if found != ["ok"] else []) + \
            ([f"sqlite foreign_key_check: {len(keys)} rows"] if keys else [])
    invalid = connection.exec_driver_sql(
        "SELECT count(*) FROM pg_constraint WHERE NOT convalidated").scalar()
    return [f"postgresql: {invalid} constraints not validated"] if invalid else []
