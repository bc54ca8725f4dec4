"""/metrics is for the operator's Prometheus only: 404 unless METRICS_TOKEN is set and the
request carries it. It counts requests by route name (a bounded set, never a path) and reads
the backlogs (moderation queue, mail outbox, ballots and responses waiting for their mix) in
one query. With PROMETHEUS_MULTIPROC_DIR the workers' counts add up across processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import event

from mitwirkung import create_app
from mitwirkung.core.mail import send_mail
from mitwirkung.extensions import db

from ..conftest import app_settings
from ..proposals import factories as idea_factories
from .test_database_unavailable import finish, free_port, own_app

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-token-for-tests"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
BACKLOGS = ("mitwirkung_moderation_queue_items", "mitwirkung_mail_outbox_waiting",
            "mitwirkung_mail_outbox_failed", "mitwirkung_ballots_waiting_for_mix",
            "mitwirkung_survey_responses_waiting_for_mix")


@pytest.fixture
def metrics_app(tmp_path_factory, empty_database_url):
    app = own_app(tmp_path_factory, empty_database_url, METRICS_TOKEN=TOKEN)
    yield app
    finish(app)


def scrape(client) -> dict[str, list]:
    """The metrics by name: each a list of (labels, value)."""
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return _samples(response.text)


def _samples(text: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def test_metrics_are_off_unless_configured(client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    assert client.get("/metrics", headers=BEARER).status_code == 404


def test_metrics_need_the_token(metrics_app):
    client = metrics_app.test_client()
    assert client.get("/metrics").status_code == 404
    for wrong in ("Bearer wrong", f"Bearer {TOKEN}x", TOKEN, f"Basic {TOKEN}"):
        assert client.get("/metrics", headers={"Authorization": wrong}).status_code == 404
    assert client.get("/metrics", headers=BEARER).status_code == 200


def test_requests_are_counted_by_route_name_never_by_path(metrics_app):
    client = metrics_app.test_client()
    for path in ("/", "/health", "/projects/eins", "/projects/zwei", "/gibt/es/nicht/1",
                 "/gibt/es/nicht/2", "/ideas/123456"):
        client.get(path)
    client.open("/", method="BREW")
    samples = scrape(client)
    counted = samples["mitwirkung_http_requests_total"]
    endpoints = {labels["endpoint"] for labels, _value in counted}
    # Route names only: each a view of the app, or "unmatched" for any unknown path.
    assert endpoints <= set(metrics_app.view_functions) | {"unmatched"}
    assert {"projects.home", "projects.show", "health.health", "unmatched"} <= endpoints
    assert {labels["method"] for labels, _value in counted} <= {"GET", "other"}
    by_route = {(labels["endpoint"], labels["method"], labels["status"]): value
                for labels, value in counted}
    assert by_route["projects.show", "GET", "4xx"] == 2
    assert by_route["unmatched", "GET", "4xx"] == 3
    assert by_route["unmatched", "other", "4xx"] == 1  # BREW
    assert by_route["health.health", "GET", "2xx"] == 1
    durations = samples["mitwirkung_http_request_duration_seconds_count"]
    assert ({"endpoint": "projects.show", "method": "GET"}, 2) in durations


def test_backlogs_are_read_in_one_query(metrics_app):
    with metrics_app.app_context():
        board = idea_factories.board()
        idea_factories.idea(board, state="pending")
        send_mail("anna@example.org", "Betreff", "Text")
        db.session.commit()
        engine = db.engine
    client = metrics_app.test_client()
    queries = []
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_rest: queries.append(statement))
    samples = scrape(client)
    assert len([query for query in queries if query.lstrip().upper().startswith("SELECT")]) == 1
    values = {name: samples[name][0][1] for name in BACKLOGS}
    assert values == {"mitwirkung_moderation_queue_items": 1,
                      "mitwirkung_mail_outbox_waiting": 1, "mitwirkung_mail_outbox_failed": 0,
                      "mitwirkung_ballots_waiting_for_mix": 0,
                      "mitwirkung_survey_responses_waiting_for_mix": 0}
    assert samples["mitwirkung_database_up"][0][1] == 1


def test_a_scrape_while_the_database_is_away_says_so(tmp_path_factory):
    closed = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/mitwirkung"
    app = create_app(app_settings(tmp_path_factory, closed) | {"METRICS_TOKEN": TOKEN})
    samples = scrape(app.test_client())
    assert samples["mitwirkung_database_up"][0][1] == 0
    assert not set(BACKLOGS) & set(samples)


PROCESS = """
import os, sys
from mitwirkung import create_app
from mitwirkung.extensions import db
app = create_app({"MAIL_WORKER": False})
client = app.test_client()
with app.app_context():
    db.create_all()
for _ in range(3):
    assert client.get("/health").status_code == 200
if "scrape" in sys.argv:
    bearer = {"Authorization": "Bearer " + os.environ["METRICS_TOKEN"]}
    print(client.get("/metrics", headers=bearer).text)
"""


def test_workers_counts_add_up_in_multiprocess_mode(tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    environment = os.environ | {
        "PROMETHEUS_MULTIPROC_DIR": str(folder), "METRICS_TOKEN": TOKEN,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'workers.db'}", "SECRET_KEY": "x"}

    def run(*arguments: str) -> str:
        return subprocess.run([sys.executable, "-c", PROCESS, *arguments], cwd=ROOT,
                              env=environment, capture_output=True, text=True, timeout=120,
                              check=True).stdout

    run()
    samples = _samples(run("scrape"))
    served = {labels["endpoint"]: value for labels, value
              in samples["mitwirkung_http_requests_total"]}
    assert served["health.health"] == 6  # two worker processes, three each
    assert "mitwirkung_mail_outbox_waiting" in samples
