"""`mitwirkung backup` and `mitwirkung restore` on a world of every feature: a vote with
online and paper ballots, an idea board with ideas, supports and comments, an anonymous
survey with responses, and an uploaded file. A restored database shows the same results as
when the backup was taken, over a changed database and in a new one.

These tests commit for real, on their own empty databases, migrated as `make run` does.
"""

from __future__ import annotations

import json
import sqlite3
import tarfile
import threading
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from mitwirkung import create_app
from mitwirkung.comments.models import Comment, LinkKind
from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.time import local_today, utcnow
from mitwirkung.extensions import db
from mitwirkung.proposals.models import Idea, Support
from mitwirkung.surveys.answering import survey_cache
from mitwirkung.surveys.models import QuestionKind, Survey
from mitwirkung.surveys.results import services as survey_results
from mitwirkung.votes.casting import ballot_box
from mitwirkung.votes.models import Vote, new_box_version

from .. import factories
from ..backups import copied_rows, dump_as_sql, extract_database, restore, take_backup
from ..comments import factories as comment_factories
from ..conftest import app_settings, signed_in_client
from ..projects import factories as project_factories
from ..proposals import factories as idea_factories
from ..surveys import factories as survey_factories
from ..surveys.answering import walk
from ..votes import factories as vote_factories

K = 3  # ballots and responses mixed in threes: some counted, some waiting in the inbox
PEOPLE = 10
# The operator's messages in English (the German ones are the catalogue's).
SETTINGS = {"BALLOT_MIX_SIZE": K, "SURVEY_MIX_SIZE": K, "BABEL_DEFAULT_LOCALE": "en"}
WOCHENMARKT = Path(__file__).resolve().parents[1] / "data" / "ballots-wochenmarkt.csv"


def migrated_app(tmp_path_factory, url: str):
    app = create_app(app_settings(tmp_path_factory, url) | SETTINGS)
    done = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert done.exit_code == 0, done.output
    return app


@pytest.fixture
def world(tmp_path_factory, empty_database_url):
    app = migrated_app(tmp_path_factory, empty_database_url)
    with app.app_context():
        factories.user(role="staff", username="staff")
        people = [factories.user() for _ in range(PEOPLE)]
        project = project_factories.project(slug="platz")
        project_factories.document(project)  # a PDF in UPLOAD_DIR
        vote_factories.make_vote(project, slug="pfalztheater")
        board = idea_factories.board(project=project, slug="ideen")
        ideas = [idea_factories.idea(board, author=people[n], title=f"Idee {n}")
                 for n in range(3)]
        idea_factories.idea(board, author=people[3], title="Wartet",
                            state=ModerationState.PENDING)
        for n, person in enumerate(people[:7]):
            idea_factories.support(ideas[n % 3], person)
        comment_factories.comment(ideas[0], LinkKind.IDEA, people[4], project_id=project.id,
                                  state=ModerationState.APPROVED)
        survey = survey_factories.survey(project=project, slug="umfrage", anonymous=True)
        choice = survey_factories.question(survey, QuestionKind.SINGLE, "Wie oft?",
                                           options=["oft", "selten"])
        hours = survey_factories.question(survey, QuestionKind.NUMBER, "Wie viele Stunden?")
        db.session.commit()
        world = {"app": app, "people": [person.id for person in people], "ideas": ideas,
                 "fields": (f"q{choice.id}", [o.id for o in choice.options], f"q{hours.id}")}
    for n in range(8):  # two people still to vote and to answer
        cast(world, n)
        answer(world, n)
    paper = app.test_cli_runner().invoke(args=[
        "ballots", "import", "pfalztheater", str(WOCHENMARKT), "--station", "Wochenmarkt",
        "--date", local_today().isoformat(), "--entered-by", "staff"])
    assert paper.exit_code == 0, paper.output
    yield world
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _client_of(world, n: int):
    app = world["app"]
    with app.app_context():
        return signed_in_client(app, db.session.get(factories.User, world["people"][n]))


def cast(world, n: int) -> None:
    """Person n votes online through the ballot form."""
    done = _client_of(world, n).post("/votes/pfalztheater/cast", data={
        "q-entwurf": "ABC"[n % 3], "q-name": "ABCD"[n % 4]})
    assert done.headers["Location"].endswith("/votes/pfalztheater/receipt")


def answer(world, n: int) -> None:
    """Person n answers the anonymous survey through its pages."""
    choice, options, hours = world["fields"]
    done = walk(_client_of(world, n), "umfrage",
                {choice: str(options[n % 2]), hours: str(n + 1)})
    assert done.headers["Location"].endswith("/surveys/umfrage/thanks")


def observed(app) -> dict:
    """Everything the results show: the vote's (the `mitwirkung results` command), the
    board's (its JSON and the supports) and the survey's (its statistics), and the files."""
    ballot_box.forget_all()  # what a restarted app server starts with
    survey_cache.forget_all()
    survey_results.forget_kept()
    cli = app.test_cli_runner()
    vote = {output: cli.invoke(args=["results", "pfalztheater", "--format", output]).output
            for output in ("json", "text")}
    board = app.test_client().get("/api/boards/ideen/ideas").get_json()
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == "umfrage"))
        found = survey_results.results(survey)
        statistics = (found.responses, [(item.question.title, item.summary)
                                        for item in found.questions])
        ideas = db.session.execute(select(Idea.title, Idea.supports_count, Idea.moderation_state)
                                   .order_by(Idea.title)).all()
        supports = db.session.scalar(select(func.count()).select_from(Support))
        comments = db.session.scalar(select(func.count()).select_from(Comment))
        db.session.remove()
    files = {path.name: path.read_bytes() for path in Path(app.config["UPLOAD_DIR"]).iterdir()
             if path.is_file()}
    assert json.loads(vote["json"])["ballots"]["paper"] == 120
    return {"vote": vote, "board": board, "survey": statistics, "ideas": ideas,
            "supports": supports, "comments": comments, "files": files}


def test_a_restore_over_a_changed_database_brings_back_every_result(world, tmp_path):
    app = world["app"]
    before = observed(app)
    backup = take_backup(app, tmp_path / "backup.tar")

    # Afterwards more is cast, answered and supported, a comment deleted, a file lost.
    for n in (8, 9):
        cast(world, n)
        answer(world, n)
    with app.app_context():
        idea_factories.support(db.session.merge(world["ideas"][2]),
                               db.session.get(factories.User, world["people"][9]))
        db.session.execute(delete(Comment))
        db.session.commit()
    for path in Path(app.config["UPLOAD_DIR"]).iterdir():
        path.unlink()
    changed = observed(app)
    assert changed["vote"] != before["vote"] and changed["survey"] != before["survey"]
    assert changed["supports"] == before["supports"] + 1 and not changed["files"]

    refused = restore(app, backup)  # no terminal to ask in: the data stays
    assert refused.exit_code == 1
    assert "--force" in refused.stderr and "accounts: 11" in refused.stderr
    assert observed(app) == changed

    done = restore(app, backup, "--force")
    assert done.exit_code == 0, done.output
    assert "accounts: 11" in done.stdout
    assert observed(app) == before
    # Every ballot cast before the backup counts, those still waiting in its inbox too.
    with app.app_context():
        db.session.execute(update(Vote).values(closes_at=utcnow() - timedelta(seconds=1),
                                               box_version=new_box_version()))
        db.session.commit()
    assert json.loads(observed(app)["vote"]["json"])["ballots"]["online"] == 8


def test_a_backup_restores_into_a_new_empty_database(world, tmp_path, tmp_path_factory,
                                                     second_empty_database_url):
    before = observed(world["app"])
    backup = take_backup(world["app"], tmp_path)  # a directory: a new file named by the time
    [backup] = list(tmp_path.glob("mitwirkung-*.tar"))
    assert backup.stat().st_mode & 0o777 == 0o600

    new = create_app(app_settings(tmp_path_factory, second_empty_database_url) | SETTINGS)
    done = restore(new, backup)  # empty: nothing to ask
    assert done.exit_code == 0, done.output
    assert "as this version of MitWirkung expects" in done.stdout
    assert observed(new) == before
    with new.app_context():
        db.engine.dispose()


def test_a_backup_taken_while_accounts_are_written_is_consistent(world, tmp_path):
    """The app keeps writing while the backup runs, and the copy is one moment's: it holds
    exactly the accounts its manifest counted."""
    app, stop, errors, written = world["app"], threading.Event(), [], []

    def register():
        while not stop.is_set():
            try:
                with app.app_context():
                    written.append(factories.user().id)
                    db.session.remove()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
                return

    writer = threading.Thread(target=register)
    writer.start()
    try:
        backups = [take_backup(app, tmp_path / f"{n}.tar") for n in range(3)]
    finally:
        stop.set()
        writer.join()
    assert not errors and written
    for backup in backups:
        with tarfile.open(backup) as tar:
            counted = json.loads(tar.extractfile("mitwirkung-backup.json").read())["counts"]
        assert _accounts_in(app, backup, tmp_path) == counted["users"]


def _accounts_in(app, backup: Path, tmp_path: Path) -> int:
    copy = extract_database(backup, tmp_path / "copy")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with closing(sqlite3.connect(copy)) as database:
            return database.execute("SELECT COUNT(*) FROM users").fetchone()[0]
    return len(copied_rows(dump_as_sql(app, copy, "--data-only", "--table=users"), "users"))
