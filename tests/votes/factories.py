"""Builders for votes in tests. Each commits, which inside a test only releases a savepoint."""

import itertools
from datetime import datetime, timedelta

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.votes.models import Option, Question, Vote

_counter = itertools.count(1)

PFALZTHEATER_QUESTIONS = (
    (
        "entwurf",
        "Welcher Entwurf soll umgesetzt werden?",
        (("A", "Offene Bühne"), ("B", "Verschlungene Wege"), ("C", "Grünes Band")),
    ),
    (
        "name",
        "Wie soll der Platz heißen?",
        (
            ("A", "Theatergarten"),
            ("B", "Platz der Begegnung"),
            ("C", "Grüne Mitte"),
            ("D", "Lauterplatz"),
        ),
    ),
)


def make_vote(
    project,
    slug: str | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    status: str = "published",
    visibility: str = "live",
    questions=PFALZTHEATER_QUESTIONS,
    **fields,
) -> Vote:
    """A vote of `project`, open now by default, with the Pfalztheater questions
    (entwurf A/B/C, name A/B/C/D) unless `questions` says otherwise:
    a sequence of (code, title, [(option code, option title), ...])."""
    n = next(_counter)
    now = utcnow().replace(microsecond=0)
    opens_at = opens_at or now - timedelta(days=1)
    closes_at = closes_at or max(now, opens_at) + timedelta(days=10)
    item = Vote(
        project_id=project.id,
        slug=slug or f"vote-{n}",
        title=fields.pop("title", f"Vote {n}"),
        description=fields.pop("description", ""),
        opens_at=opens_at,
        closes_at=closes_at,
        status=status,
        results_visibility=visibility,
        **fields,
    )
    for q_position, (code, title, options) in enumerate(questions, start=1):
        question = Question(code=code, title=title, position=q_position)
        for o_position, (option_code, option_title) in enumerate(options, start=1):
            question.options.append(
                Option(code=option_code, title=option_title, position=o_position)
            )
        item.questions.append(question)
    db.session.add(item)
    db.session.commit()
    return item


def question(vote: Vote, code: str | None = None, options=("A", "B"), **fields) -> Question:
    """A question added to `vote` with options of the given codes."""
    n = next(_counter)
    item = Question(
        code=code or f"q{n}",
        title=fields.pop("title", f"Question {n}"),
        position=fields.pop("position", len(vote.questions) + 1),
        **fields,
    )
    for position, option_code in enumerate(options, start=1):
        item.options.append(
            Option(code=option_code, title=f"Option {option_code}", position=position)
        )
    vote.questions.append(item)
    db.session.commit()
    return item


def cast(vote, user, answers) -> None:
    """Cast an online ballot as the ballot view does: into the inbox, then a mix if due."""
    from mitwirkung.votes.casting import ballot_box, mixing
    from mitwirkung.votes.casting import services as casting

    from ..conftest import session_app

    done = casting.cast_ballot(ballot_box.read(vote.slug), user, answers)
    db.session.commit()
    with session_app().app_context():
        mixing.mix_if_due(done.vote_id, done.waiting)
