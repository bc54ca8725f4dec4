"""Wall time of the survey results page and of sending a response, in process (issue 18:
results of 20 questions x 50,000 responses under 300 ms on both databases).

    .venv/bin/python bench/survey_timing.py --db sqlite
    tests/with_postgres.sh .venv/bin/python bench/survey_timing.py --db postgresql

Seeds bench/survey_seed.py's survey (closed, results public), then times GET of its
results page through the test client: the first load after the seed and later loads, as
staff and as a visitor, and the breakdown by its first question; then the same survey
open again (staff only: results are public after the close). Then times `send` of an
open survey like it (not anonymous) for fresh accounts, each committed, and changes of
those responses in a changeable one.
"""

import argparse
import os
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import seed
from common import median
from run import database_url, environment
from sqlalchemy import select, update
from survey_seed import SLUG, build_survey, random_value, seed_survey

from mitwirkung import create_app
from mitwirkung.accounts.models import User
from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.surveys.answering import services as answering
from mitwirkung.surveys.models import Survey


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", ""))
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--sends", type=int, default=300)
    parser.add_argument("--loads", type=int, default=10, help="later loads timed per kind")
    return parser.parse_args()


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def get(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)


def signed_in(app, user_id: str):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id  # User.get_id()
        session["_fresh"] = True
    return client


def accounts(count: int, role: str = "citizen") -> list[User]:
    now = utcnow()
    users = [User(username=f"t{role}{i}", email=f"t{role}{i}@example.org", role=role,
                  password_hash="x", privacy_accepted_at=now, confirmed_at=now)
             for i in range(count)]
    db.session.add_all(users)
    db.session.commit()
    return users


def results_pages(app, args) -> dict[str, list[float]]:
    with app.app_context():
        # A small survey whose results page compiles the templates first.
        warm = f"/surveys/{seed_survey(responses=10, slug='bench-warm').slug}/results"
        started = time.perf_counter()
        survey = seed_survey(responses=args.responses)
        print(f"seeded {args.responses} responses in {time.perf_counter() - started:.1f} s")
        path, by = f"/surveys/{survey.slug}/results", survey.questions[0].id
        staff_id = accounts(1, "staff")[0].get_id()
        db.session.remove()
    staff, visitor = signed_in(app, staff_id), app.test_client()
    get(staff, warm)
    rows = {"staff, first load": [timed(lambda: get(staff, path))]}
    rows["staff, later"] = [timed(lambda: get(staff, path)) for _ in range(args.loads)]
    rows["visitor, later"] = [timed(lambda: get(visitor, path)) for _ in range(args.loads)]
    rows["breakdown, first"] = [timed(lambda: get(staff, f"{path}?by={by}"))]
    rows["breakdown, later"] = [timed(lambda: get(staff, f"{path}?by={by}"))
                                for _ in range(args.loads)]
    with app.app_context():  # open again: responses may come or change any moment
        db.session.execute(update(Survey).where(Survey.slug == SLUG)
                           .values(closes_at=utcnow() + timedelta(days=1)))
        db.session.commit()
        db.session.remove()
    rows["open, staff"] = [timed(lambda: get(staff, path)) for _ in range(args.loads)]
    rows["open, breakdown"] = [timed(lambda: get(staff, f"{path}?by={by}"))
                               for _ in range(max(1, args.loads // 5))]
    return rows


def sends(app, args) -> dict[str, list[float]]:
    rng = random.Random(7)
    with app.app_context():
        project = db.session.scalar(select(Survey).where(Survey.slug == SLUG)).project
        survey = build_survey(project, "bench-senden")
        survey.closes_at = utcnow() + timedelta(days=30)
        survey.changeable = True
        db.session.commit()
        people = accounts(args.sends)
        given = [{str(q.id): random_value(q, rng) for q in survey.questions}
                 for _ in range(args.sends)]
        rows = {"send (new)": [], "send (change)": []}
        for name in rows:
            for person, answers in zip(people, given, strict=True):
                def once(person=person, answers=answers):
                    answering.send(survey, person, answers)
                    db.session.commit()
                rows[name].append(timed(once))
            rng.shuffle(given)
        db.session.remove()
    return rows


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="mitwirkung-survey-timing-") as tmp:
        os.environ.update(environment(database_url(args, Path(tmp))))
        app = create_app()
        seed.reset_schema(app)
        rows = results_pages(app, args) | sends(app, args)
    print(f"wall time, {args.db}:")
    for name, values in rows.items():
        print(f"  {name:20} median {median(values) * 1000:7.1f} ms, "
              f"min {min(values) * 1000:7.1f} ms, max {max(values) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
