"""The survey part of `make bench` (docs/benchmarks.md): the results page of a survey with
20 questions and 50,000 responses, its CSV export's time and peak memory, and answering a
three-page anonymous survey under 32 clients, every response checked afterwards.
"""

import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from common import BENCH_DIR, USER_AGENT, Report, median, percentile, spread
from cpu import Meter
from load import run_phase
from measure import CLIENTS, PROCESSES, latencies
from seed import Voter
from sqlalchemy import select, text
from survey_seed import SLUG as RESULTS_SLUG
from survey_seed import seed_survey

from mitwirkung.core.time import utcnow
from mitwirkung.extensions import db
from mitwirkung.projects.models import Project
from mitwirkung.surveys import answers as rules
from mitwirkung.surveys.answering import services as answering
from mitwirkung.surveys.answering import steps
from mitwirkung.surveys.models import (
    Audience,
    QuestionKind,
    Survey,
    SurveyOption,
    SurveyQuestion,
    SurveyStatement,
    SurveyStatus,
)

ANSWER_SLUG = "bench-befragung"
RESULTS_TARGET_MS = 300.0
EXPORT_TARGET_MB = 200.0
PAGES_TARGET = 300.0  # pages/s
RESULTS_PATH = f"/surveys/{RESULTS_SLUG}/results"


def seed_results_survey(app, responses: int) -> int:
    """The 20-question survey with `responses` responses (closed, results public)."""
    with app.app_context():
        return seed_survey(responses=responses).id


def seed_answer_survey(app) -> None:
    """An open anonymous survey for confirmed citizens: three pages of three questions, a
    question on page 3 asked only when the first answer says so."""
    now = utcnow()
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.slug == "bench"))
        survey = Survey(project=project, slug=ANSWER_SLUG, title="Arbeitsweg (Benchmark)",
                        status=SurveyStatus.PUBLISHED, audience=Audience.CITIZENS,
                        anonymous=True, opens_at=now - timedelta(days=1),
                        closes_at=now + timedelta(days=10))
        db.session.add(survey)

        def question(page, kind, title, options=(), **settings):
            item = SurveyQuestion(survey=survey, page=page, position=len(survey.questions),
                                  kind=kind, title=title, **settings)
            item.options = [SurveyOption(label=label, position=n)
                            for n, label in enumerate(options)]
            db.session.add(item)
            return item

        way = question(1, QuestionKind.SINGLE, "Wie kommen Sie zur Arbeit?",
                       ("Fahrrad", "Bus", "Auto"), required=True)
        question(1, QuestionKind.NUMBER, "Wie viele Minuten brauchen Sie?", number_min=0,
                 number_max=300, number_step=1, unit="Minuten")
        question(1, QuestionKind.YES_NO, "Arbeiten Sie auch von zu Hause?", ("Ja", "Nein"))
        question(2, QuestionKind.SCALE, "Wie zufrieden sind Sie mit dem Weg?", scale_min=1,
                 scale_max=5)
        question(2, QuestionKind.MULTIPLE, "Was wünschen Sie sich?",
                 ("Duschen", "Radständer", "Jobticket", "Ladestation"), max_choices=3)
        matrix = question(2, QuestionKind.MATRIX, "Wie wichtig ist Ihnen ...", scale_min=1,
                          scale_max=5)
        matrix.statements = [SurveyStatement(label=label, position=n)
                             for n, label in enumerate(("Zeit", "Kosten", "Umwelt"))]
        db.session.flush()
        car = question(3, QuestionKind.TEXT, "Warum das Auto?", max_length=500)
        car.condition_question_id, car.condition_option_id = way.id, way.options[2].id
        question(3, QuestionKind.SCALE, "Wie wahrscheinlich wechseln Sie?", scale_min=0,
                 scale_max=10)
        question(3, QuestionKind.TEXT, "Noch etwas?")
        db.session.commit()


def _form(step, rng: random.Random) -> dict[str, object]:
    """Answers to the questions of `step` as a person's browser sends them."""
    fields: dict[str, object] = {}
    for question in step.questions:
        kind, name = question.kind_enum, rules.field_name(question)
        if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
            fields[name] = rng.choice(question.options).id
        elif kind == QuestionKind.MULTIPLE:
            fields[name] = [option.id for option in rng.sample(question.options, 2)]
        elif kind == QuestionKind.NUMBER:
            fields[name] = rng.randint(5, 90)
        elif kind == QuestionKind.SCALE:
            fields[name] = rng.randint(question.scale_min, question.scale_max)
        elif kind == QuestionKind.MATRIX:
            for statement in question.statements:
                fields[rules.field_name(question, f"s{statement.id}")] = rng.randint(1, 5)
        elif rng.random() < 0.5:
            fields[name] = "Weil der Bus am Morgen zu selten fährt."
    return fields


def _post(path: str, port: int, voter: Voter, fields: dict) -> bytes:
    body = urlencode({"csrf_token": voter.csrf_token, **fields}, doseq=True)
    head = "\r\n".join([
        f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"User-Agent: {USER_AGENT}",
        f"Cookie: session={voter.cookie}", "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
    ])
    return f"{head}\r\n\r\n{body}".encode("latin-1")


def answer_requests(app, port: int, voters: list[Voter], seed: int) -> list[list]:
    """Each voter's three pages in order, as the browser would send them (without
    JavaScript): the hidden field with the answers of the pages before, signed as the
    server signs it (same secret), then the page's own answers."""
    rng = random.Random(seed)
    clients: list[list] = [[] for _ in range(CLIENTS)]
    path = f"/surveys/{ANSWER_SLUG}/answer"
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == ANSWER_SLUG))
        survey_steps = steps.steps(survey, split=True)
        for index, voter in enumerate(voters):
            answers: rules.Answers = {}
            for step in survey_steps:
                shown = steps.shown(step, answers)
                if not shown:
                    continue
                fields = _form(step, rng)
                token = answering.seal(survey, answers, step, False)
                clients[index % CLIENTS].append(
                    ("page", _post(path, port, voter, {**fields, "answers": token})))
                # Split steps hold no question conditioned on another of the same step.
                for question in steps.asked_in(step, answers):
                    answers[str(question.id)] = rules.read(question, _multidict(fields))
    return clients


class _multidict(dict):
    """Form fields as the server reads them: strings, lists for multiple choices."""

    def getlist(self, name):
        value = self.get(name)
        return [str(item) for item in value] if isinstance(value, list) else \
            ([] if value is None else [str(value)])

    def get(self, name, default=None):
        value = super().get(name, default)
        return value if value is None or isinstance(value, list) else str(value)


@dataclass
class AnswerRound:
    pages_per_s: float
    statuses: dict
    sent: int
    latencies: list[float]


def answer_round(app, port: int, voters: list[Voter], seed: int) -> AnswerRound:
    clients = answer_requests(app, port, voters, seed)
    records, start_at = run_phase(port, clients, "once", 120.0, PROCESSES)
    statuses: dict = {}
    for record in records:
        statuses[record[1]] = statuses.get(record[1], 0) + 1
    end = max((record[4] for record in records), default=start_at)
    served = statuses.get(200, 0) + statuses.get(302, 0)
    return AnswerRound(served / (end - start_at) if end > start_at else 0.0, statuses,
                       statuses.get(302, 0), [record[3] for record in records])


def answer_state(app) -> dict:
    """Participations, responses (mixed and waiting) and accounts that answered twice."""
    with app.app_context(), db.engine.connect() as connection:
        def one(sql):
            return connection.execute(text(sql), {"slug": ANSWER_SLUG}).scalar() or 0

        survey = "(SELECT id FROM surveys WHERE slug = :slug)"
        return {
            "participations": one(f"SELECT count(*) FROM survey_participations "
                                  f"WHERE survey_id = {survey}"),
            "mixed": one(f"SELECT count(*) FROM survey_responses WHERE survey_id = {survey}"),
            "waiting": one(f"SELECT count(*) FROM survey_inbox WHERE survey_id = {survey}"),
            "twice": one(f"SELECT count(*) - count(DISTINCT user_id) FROM "
                         f"survey_participations WHERE survey_id = {survey}"),
        }


def bench_answering(report: Report, app, server, postmaster, voters: list[Voter],
                    rounds: int, per_round: int, ceiling: float) -> bool:
    """Rounds of citizens answering the three pages; True if every sent response is there
    once (mixed or waiting) and nobody answered twice."""
    results, cpu = [], []
    for index in range(rounds):
        batch = voters[index * per_round:(index + 1) * per_round]
        with Meter(server.pid, postmaster) as meter:
            result = answer_round(app, server.port, batch, seed=index)
        results.append(result)
        pages = result.statuses.get(200, 0) + result.statuses.get(302, 0)
        cpu.append(1000 * meter.app / pages if pages else float("nan"))
    rates = [r.pages_per_s for r in results]
    report.add(f"answering a survey page: POST, {CLIENTS} clients",
               spread(rates) + " pages/s", f"{ceiling:,.0f} req/s",
               f"{median(rates) / ceiling:.0%}", f">= {PAGES_TARGET:.0f} pages/s",
               median(rates) >= PAGES_TARGET)
    times = [t for r in results for t in r.latencies]
    report.note(f"answering: statuses {sum_statuses(results)}, app CPU {median(cpu):.1f} ms "
                f"a page, latency median {1000 * median(times):.0f} ms, "
                f"p95 {1000 * percentile(times, 0.95):.0f} ms")
    state = answer_state(app)
    sent = sum(r.sent for r in results)
    ok = (state["participations"] == sent == state["mixed"] + state["waiting"]
          and state["twice"] == 0)
    report.add("after answering: participations = responses = 302 -> thanks",
               f"{state['participations']} = {state['mixed']} + {state['waiting']} waiting "
               f"= {sent}", "", "", "equal, each account once", ok)
    return ok


def sum_statuses(results) -> dict:
    total: dict = {}
    for result in results:
        for status, count in result.statuses.items():
            total[status] = total.get(status, 0) + count
    return total


def bench_results(report: Report, port: int, responses: int, breakdown_by: int) -> None:
    """The results page (and one breakdown) as a visitor reads them after the close."""
    by_path = f"{RESULTS_PATH}?by={breakdown_by}"
    timings = latencies(port, ("/health", RESULTS_PATH, by_path), count=30, warm=3)
    health = timings["/health"]
    for path, name, target in ((RESULTS_PATH, "survey results page", RESULTS_TARGET_MS),
                               (by_path, "survey results by one question", None)):
        t = timings[path]
        ok = set(t.statuses) == {200} and (target is None or t.p95_ms < target)
        report.add(f"{name}, 20 questions, {responses:,} responses: GET {path}",
                   f"median {t.median_ms:.1f} ms, p95 {t.p95_ms:.1f} ms",
                   f"/health median {health.median_ms:.1f} ms",
                   f"{t.median_ms / health.median_ms:.0f}x",
                   f"p95 < {target:.0f} ms" if target else "", ok if target else None)
        if set(t.statuses) != {200}:
            report.note(f"{path}: statuses {dict(t.statuses)}")


def breakdown_question(app, survey_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(SurveyQuestion.id).where(SurveyQuestion.survey_id == survey_id,
                                            SurveyQuestion.kind == QuestionKind.SINGLE)
            .order_by(SurveyQuestion.page, SurveyQuestion.position).limit(1))


def bench_export(report: Report, env: dict, tmp: Path, responses: int) -> None:
    """The CSV export of every response, streamed by the app in a process of its own:
    wall time, bytes and peak RSS (bench/rusage.py)."""
    out = tmp / "export.rusage.json"
    command = [sys.executable, str(BENCH_DIR / "rusage.py"), str(out), "--", sys.executable,
               str(BENCH_DIR / "survey_export.py"), RESULTS_SLUG, str(tmp / "export.json")]
    run = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True,
                         timeout=600)
    try:
        usage = json.loads(out.read_text())
        facts = json.loads((tmp / "export.json").read_text())
    except (OSError, ValueError):
        report.add("survey CSV export", f"failed: {run.stderr[-300:]!r}", ok=False)
        return
    peak_mb = usage["peak_rss_kb"] / 1024
    ok = usage["returncode"] == 0 and facts["rows"] == responses + 1 \
        and peak_mb < EXPORT_TARGET_MB
    report.add(f"survey CSV export, {responses:,} responses (streamed)",
               f"{facts['seconds']:.1f} s, {facts['bytes'] / 1e6:.1f} MB, peak RSS "
               f"{peak_mb:.0f} MB", f"start-up {facts['startup_mb']:.0f} MB", "",
               f"< {EXPORT_TARGET_MB:.0f} MB", ok)


def timed(report: Report, what: str, action):
    began = time.perf_counter()
    value = action()
    report.note(f"{what} in {time.perf_counter() - began:.1f} s")
    return value
