"""Demo comments: a discussion under the most supported Stadt.Raum.Wir. ideas (with staff
answering and a reply), one comment and one reply waiting for the moderators, and a
question on the Pfalztheater vote's first design. Added once: nothing if any comment
exists."""

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from ..accounts.models import User
from ..core.moderation import ModerationState
from ..core.time import local_to_utc, local_today
from ..extensions import db
from ..projects.models import Project
from ..proposals.models import Board, Idea
from ..votes.models import Option, Question, Vote
from .models import LINK_COLUMNS, Comment, LinkKind

# (idea title, [(author, text, replies [(author, text)])])
IDEA_THREADS = [
    ("Open-Air-Kino auf dem Stiftsplatz", [
        ("lea.musik", "Tolle Idee! Bitte auch mal einen Film mit Untertiteln für Gehörlose.", [
            ("staff", "Danke für den Hinweis. Wir fragen beim Kinoverein nach, ob das geht."),
        ]),
        ("familie.yilmaz", "Wer kümmert sich um die Stühle? Vielleicht kann die Stadtbibliothek "
                    "welche leihen.", []),
    ]),
    ("Feierabendmarkt auf dem Martinsplatz", [
        ("marie.lautern", "Ich war letzte Woche dort, es war voll und die Stimmung super. Mehr "
                    "Mülleimer wären gut.", []),
    ]),
]
PENDING = ("tim_radelt", "Könnte man das auch im Winter machen, mit Glühwein?")
PROJECT_QUESTION = ("jonas.k", "Wann erfahren wir, welche Ideen umgesetzt werden?")
OPTION_QUESTION = ("nachbarin_sabine", "Bleiben bei Entwurf A die Bäume am Rand stehen?")


def create_demo_comments(users: dict) -> None:
    """Add the demo comments unless there are comments already; the caller commits."""
    if db.session.scalar(select(func.count()).select_from(Comment)):
        return
    people = {user.username: user for user in db.session.scalars(select(User))}
    people["staff"] = users["staff"]
    moderator = users["moderator"]
    day = -6
    for title, threads in IDEA_THREADS:
        idea = db.session.scalar(select(Idea).where(Idea.title == title))
        if idea is None:
            continue
        project_id = db.session.scalar(select(Board.project_id).where(Board.id == idea.board_id))
        for author, text, replies in threads:
            parent = _comment(LinkKind.IDEA, idea.id, project_id, people.get(author), text,
                              day, moderator)
            for reply_author, reply_text in replies:
                _comment(LinkKind.IDEA, idea.id, project_id, people.get(reply_author),
                         reply_text, day + 1, moderator, parent=parent)
            day += 1
    first = db.session.scalar(select(Idea).where(Idea.title == IDEA_THREADS[0][0]))
    if first is not None:
        project_id = db.session.scalar(select(Board.project_id).where(Board.id == first.board_id))
        _comment(LinkKind.IDEA, first.id, project_id, people.get(PENDING[0]), PENDING[1], 0,
                 None)
    project = db.session.scalar(select(Project).where(Project.slug == "stadt-raum-wir"))
    if project is not None:
        _comment(LinkKind.PROJECT, project.id, project.id, people.get(PROJECT_QUESTION[0]),
                 PROJECT_QUESTION[1], -3, moderator)
    option = db.session.scalar(
        select(Option).join(Question).join(Vote).where(Vote.slug == "pfalztheater")
        .order_by(Question.position, Option.position))
    if option is not None:
        vote = option.question.vote
        _comment(LinkKind.OPTION, option.id, vote.project_id, people.get(OPTION_QUESTION[0]),
                 OPTION_QUESTION[1], -2, moderator)


def _comment(kind: LinkKind, target_id: int, project_id: int, author, text: str, day: int,
             moderator, parent: Comment | None = None) -> Comment | None:
    """A comment `day` days from today: approved by `moderator`, or pending without one."""
    if author is None:
        return None
    when = local_to_utc(datetime.combine(local_today() + timedelta(days=day), time(18)))
    approved = moderator is not None
    comment = Comment(
        project_id=project_id, link_kind=kind.value, author_id=author.id, text=text,
        parent_id=parent.id if parent else None, created_at=when,
        moderation_state=ModerationState.APPROVED if approved else ModerationState.PENDING,
        moderated_at=when + timedelta(hours=2) if approved else None,
        moderated_by_id=moderator.id if approved else None)
    setattr(comment, LINK_COLUMNS[kind], target_id)
    db.session.add(comment)
    db.session.flush()
    return comment
