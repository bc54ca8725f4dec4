"""The idea board part of `make bench`: a board of 5,000 ideas seeded in bulk, its list (as
it is, with a search word, sorted by supports) and an idea page under 16 clients, and
supports toggled under 32 clients with the counts checked afterwards (docs/benchmarks.md).
"""

import hashlib
import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from common import USER_AGENT, Report, median, percentile, spread
from cpu import Meter
from flask import session
from flask_wtf.csrf import generate_csrf
from load import run_phase
from measure import PROCESSES, get
from seed import Voter
from sqlalchemy import select, text

from mitwirkung.accounts.models import User
from mitwirkung.core.moderation import ModerationState
from mitwirkung.core.sanitize import render_plain_text
from mitwirkung.core.time import local_today, utcnow
from mitwirkung.extensions import db
from mitwirkung.projects.models import Project
from mitwirkung.proposals import search
from mitwirkung.proposals.models import Board, Category, Idea, IdeaStatus

BOARD_SLUG = "bench-ideen"
LIST_CLIENTS = 16
TOGGLE_CLIENTS = 32
SEARCH_WORD = "Bäume"  # in about one idea in six, as "Bäume" or "Bäumen"
CATEGORIES = ("Kultur", "Sport", "Umwelt", "Verkehr", "Soziales", "Innenstadt")
SUBJECTS = (
    "Mehr Bäume", "Sitzbänke", "Ein Trinkbrunnen", "Fahrradständer", "Eine offene Bühne",
    "Ein Wochenmarkt am Abend", "Schattige Plätze", "Ein Spielplatz", "Öffentliche Toiletten",
    "Mehr Mülleimer", "Ein Bücherschrank", "Blühwiesen", "Ein Boulefeld", "Tempo 30",
    "Ein Zebrastreifen", "Konzerte im Sommer", "Ein Nachbarschaftsfest", "Urban Gardening",
)
PLACES = (
    "am Stiftsplatz", "in der Fackelstraße", "am Schillerplatz", "vor der Stadtbibliothek",
    "im Volkspark", "am Hauptbahnhof", "in der Innenstadt", "am Gartenschaugelände",
    "an der Lauter", "am Pfalztheater", "in Erfenbach", "am Messeplatz",
)
SENTENCES = (
    "Im Sommer ist es hier sehr heiß, und es gibt kaum Schatten.",
    "Viele Familien mit Kindern kommen hier vorbei.",
    "Ältere Menschen brauchen unterwegs Gelegenheiten zum Ausruhen.",
    "Ein paar Bäume würden die Straße kühler und freundlicher machen.",
    "Unter großen Sonnensegeln könnte man sich im Sommer treffen.",
    "Der Weg zur Schule führt hier entlang, aber es gibt keinen sicheren Übergang.",
    "Nachts ist es hier laut; tagsüber fehlt es an Leben.",
    "Der Platz könnte ein Treffpunkt für alle Generationen werden.",
    "Die Bushaltestelle hat kein Dach, bei Regen wird man nass.",
    "Ein Café mit Tischen draußen würde viele Menschen anziehen.",
    "Hier könnte ein kleiner Markt mit Produkten aus der Region stattfinden.",
    "Am Wochenende ist der Platz leer, obwohl er schön gelegen ist.",
    "Vereine aus der Nachbarschaft würden gern mithelfen.",
    "Die Idee kostet wenig und lässt sich schnell umsetzen.",
    "In anderen Städten hat das gut funktioniert, zum Beispiel in Freiburg.",
    "Abends fehlt Beleuchtung, man fühlt sich dort nicht sicher.",
    "Musik und Theater unter freiem Himmel würden die Innenstadt beleben.",
    "Radfahrende wissen oft nicht, wo sie ihr Rad abstellen können.",
    "Für Schulklassen wäre das ein guter Lernort.",
    "Die Fläche ist versiegelt; ein wenig Grün würde viel ändern.",
    "Ich wohne seit zwanzig Jahren hier und wünsche mir mehr Leben auf der Straße.",
    "Eine Bank pro Hausnummer wäre ein schönes Ziel.",
    "Händlerinnen und Händler aus der Umgebung könnten sich beteiligen.",
    "Besonders Jugendliche fehlen Orte, an denen sie willkommen sind.",
)


def seed_board(app, ideas: int, seed: int = 5000) -> tuple[int, list[int]]:
    """A published board on the bench project with `ideas` ideas by the seeded citizens:
    about 95 % public in all statuses, the rest awaiting approval, rejected or withdrawn;
    supports counted without rows (as if given before), created over 60 days. Written in
    bulk, around the ORM, so SQLite's search index is filled by `search.reindex`.
    Returns the board's id and the ids of its public ideas."""
    rng = random.Random(seed)
    now, today = utcnow(), local_today()
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.slug == "bench"))
        board = Board(project=project, slug=BOARD_SLUG, title="Stadt.Raum.Wir. (Benchmark)",
                      description="Ideen für die Innenstadt.", status="published",
                      submit_until=today + timedelta(days=30), support_from=today,
                      support_until=today + timedelta(days=30), premoderation=True)
        board.categories = [Category(name=name, position=n) for n, name in enumerate(CATEGORIES)]
        db.session.add(board)
        db.session.flush()
        categories = [category.id for category in board.categories]
        authors = list(db.session.scalars(
            select(User.id).where(User.role == "citizen").order_by(User.id).limit(2000)))
        statuses = ([IdeaStatus.SUBMITTED] * 50 + [IdeaStatus.IN_REVIEW] * 20
                    + [IdeaStatus.ACCEPTED] * 15 + [IdeaStatus.REJECTED] * 10
                    + [IdeaStatus.IMPLEMENTED] * 5)
        rows, rendered = [], {}
        for n in range(ideas):
            title = f"{rng.choice(SUBJECTS)} {rng.choice(PLACES)}"
            body = " ".join(rng.sample(SENTENCES, rng.randint(2, 5)))
            if body not in rendered:
                rendered[body] = render_plain_text(body)
            kind = rng.random()
            created = now - timedelta(days=60) + timedelta(seconds=n * 60 * 60 * 24 * 60 / ideas)
            rows.append({
                "board_id": board.id, "author_id": rng.choice(authors),
                "category_id": rng.choice(categories), "title": title[:120], "text": body,
                "text_html": rendered[body], "place": title.split(" ", 2)[-1] if n % 3 else "",
                "status": rng.choice(statuses),
                "supports_count": int(rng.paretovariate(1.2)) - 1,
                "moderation_state": (ModerationState.PENDING if kind < 0.02 else
                                     ModerationState.REJECTED if kind < 0.04 else
                                     ModerationState.APPROVED),
                "withdrawn_at": now if 0.04 <= kind < 0.05 else None,
                "withdraw_reason": "duplicate" if 0.04 <= kind < 0.05 else None,
                "created_at": created, "updated_at": created,
            })
        db.session.execute(Idea.__table__.insert(), rows)
        search.reindex(board.id)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("ANALYZE ideas, idea_supports, board_categories"))
        public = list(db.session.scalars(
            select(Idea.id).where(Idea.board_id == board.id,
                                  Idea.moderation_state == ModerationState.APPROVED,
                                  Idea.withdrawn_at.is_(None)).order_by(Idea.id)))
        return board.id, public


def list_paths(public: list[int]) -> dict[str, tuple[str, list[str]]]:
    """What is measured: name -> (who asks, the paths their clients cycle through)."""
    base = f"/boards/{BOARD_SLUG}"
    pages = [f"/boards/{BOARD_SLUG}/ideas/{idea_id}" for idea_id in public[::50][:100]]
    return {
        "list": ("visitor", [base]),
        "list with a search word": ("visitor", [f"{base}?{urlencode({'q': SEARCH_WORD})}"]),
        "list sorted by supports": ("visitor", [f"{base}?sort=supports"]),
        "idea page": ("visitor", pages),
        "list, signed in (support buttons)": ("resident", [base]),
    }


def visitor_cookies(app, count: int) -> list[Voter]:
    """Sessions of returning visitors: no account, only the CSRF token every page's
    language switch has put there on their first visit."""
    serializer = app.session_interface.get_signing_serializer(app)
    visitors = []
    for _n in range(count):
        with app.test_request_context("/", headers={"User-Agent": USER_AGENT}):
            session["csrf_token"] = hashlib.sha1(secrets.token_bytes(64)).hexdigest()
            token = generate_csrf()
            visitors.append(Voter(0, serializer.dumps(dict(session)), token))
    return visitors


@dataclass
class PageRound:
    """One path under LIST_CLIENTS clients for some seconds."""

    rate: float
    latencies: list[float]
    statuses: dict

    @property
    def p95_ms(self) -> float:
        return 1000 * percentile(self.latencies, 0.95)

    @property
    def median_ms(self) -> float:
        return 1000 * median(self.latencies)


def pages_under_load(port: int, paths: list[str], voters: list[Voter], seconds: float,
                     clients: int = LIST_CLIENTS) -> PageRound:
    """`clients` signed-in residents, each with a connection of its own, request `paths` in
    turn for `seconds`."""
    requests = [[(path, get(path, port, voter.cookie)) for path in paths]
                for voter in voters[:clients]]
    records, start_at = run_phase(port, requests, "repeat", seconds, PROCESSES)
    statuses: dict = {}
    for record in records:
        statuses[record[1]] = statuses.get(record[1], 0) + 1
    end = max((record[4] for record in records), default=start_at)
    ok = statuses.get(200, 0)
    return PageRound(ok / (end - start_at) if end > start_at else 0.0,
                     [record[3] for record in records], statuses)


def hello_under_load(port: int, seconds: float, clients: int) -> PageRound:
    requests = [[("health", get("/health", port))]] * clients
    records, start_at = run_phase(port, requests, "repeat", seconds, PROCESSES)
    end = max((record[4] for record in records), default=start_at)
    statuses = {}
    for record in records:
        statuses[record[1]] = statuses.get(record[1], 0) + 1
    return PageRound(statuses.get(200, 0) / (end - start_at) if end > start_at else 0.0,
                     [record[3] for record in records], statuses)


# Toggling supports ------------------------------------------------------------------------


def support_request(voter: Voter, port: int, idea_id: int, withdraw: bool) -> bytes:
    """The support form as the list posts it: session cookie, CSRF token, the way back."""
    path = f"/boards/{BOARD_SLUG}/ideas/{idea_id}/support" + ("/withdraw" if withdraw else "")
    body = urlencode({"csrf_token": voter.csrf_token, "next": f"/boards/{BOARD_SLUG}"})
    head = "\r\n".join([
        f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"User-Agent: {USER_AGENT}",
        f"Cookie: session={voter.cookie}", "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
    ])
    return f"{head}\r\n\r\n{body}".encode("latin-1")


@dataclass
class ToggleRound:
    rate: float
    requests: int
    statuses: dict
    latencies: list[float]
    # (voter id, idea id) that end supported, by construction of the requests
    supported: set = field(default_factory=set)


def toggle_supports(port: int, voters: list[Voter], ideas: list[int], seed: int,
                    max_seconds: float = 120.0) -> ToggleRound:
    """Each voter supports an idea, withdraws that support and supports another: three
    toggles in order on one client; every tenth voter's last support is also sent at the
    same step from a second client in the other load process (a double click on two
    devices). Ideas are drawn from a few hundred, so some are toggled by several clients
    at once."""
    rng = random.Random(seed)
    clients: list[list[tuple[str, bytes]]] = [[] for _ in range(TOGGLE_CLIENTS)]
    supported = set()
    for index, voter in enumerate(voters):
        client = index % TOGGLE_CLIENTS
        first, second = rng.sample(ideas, 2)
        steps = [(first, False), (first, True), (second, False)]
        for idea_id, withdraw in steps:
            clients[client].append(("toggle", support_request(voter, port, idea_id, withdraw)))
        if index % 10 == 0:
            clients[(client + 1) % TOGGLE_CLIENTS].append(
                ("toggle", support_request(voter, port, second, False)))
        supported.add((voter.user_id, second))
    records, start_at = run_phase(port, clients, "once", max_seconds, PROCESSES)
    statuses: dict = {}
    for record in records:
        statuses[record[1]] = statuses.get(record[1], 0) + 1
    end = max((record[4] for record in records), default=start_at)
    done = statuses.get(302, 0)
    return ToggleRound(done / (end - start_at) if end > start_at else 0.0, len(records),
                       statuses, [record[3] for record in records], supported)


def support_state(app, board_id: int) -> dict:
    """What must agree after toggling: per idea, the counter against its baseline and rows."""
    with app.app_context(), db.engine.connect() as connection:
        counts = dict(connection.execute(
            text("SELECT id, supports_count FROM ideas WHERE board_id = :b"),
            {"b": board_id}).tuples().all())
        rows = dict(connection.execute(text(
            "SELECT idea_id, count(*) FROM idea_supports WHERE board_id = :b GROUP BY idea_id"),
            {"b": board_id}).tuples().all())
        pairs = set(connection.execute(text(
            "SELECT user_id, idea_id FROM idea_supports WHERE board_id = :b"),
            {"b": board_id}).tuples().all())
        twice = connection.execute(text(
            "SELECT count(*) - count(DISTINCT user_id || '-' || idea_id) FROM idea_supports "
            "WHERE board_id = :b"), {"b": board_id}).scalar()
    return {"counts": counts, "rows": rows, "pairs": pairs, "twice": int(twice or 0)}


# The report -------------------------------------------------------------------------------

PAGE_TARGET_MS = 50.0
TOGGLE_TARGET = 300.0  # toggles/s


def bench_pages(report: Report, app, server, postmaster, voters: list[Voter],
                public: list[int], ideas: int, rounds: int, seconds: float) -> None:
    """Rounds of: hello world under LIST_CLIENTS clients, then each path under as many,
    as returning visitors (and once as signed-in residents, who see support buttons)."""
    paths = list_paths(public)
    who = {"visitor": visitor_cookies(app, LIST_CLIENTS), "resident": voters}
    hellos, results, cpu = [], {name: [] for name in paths}, {name: [] for name in paths}
    for _round in range(rounds):
        hellos.append(hello_under_load(server.port, seconds, LIST_CLIENTS))
        for name, (persona, cycle) in paths.items():
            with Meter(server.pid, postmaster) as meter:
                result = pages_under_load(server.port, cycle, who[persona], seconds)
            results[name].append(result)
            served = result.statuses.get(200, 0)
            cpu[name].append((1000 * meter.app / served, 1000 * meter.database / served)
                             if served else (float("nan"), float("nan")))
    ceiling = median(h.rate for h in hellos)
    hello_p95 = median(h.p95_ms for h in hellos)
    report.add(f"hello world: GET /health, {LIST_CLIENTS} clients",
               f"{spread(h.rate for h in hellos)} req/s, p95 {hello_p95:.1f} ms")
    for name, rounds_of in results.items():
        p95 = [r.p95_ms for r in rounds_of]
        rate = median(r.rate for r in rounds_of)
        statuses = {}
        for r in rounds_of:
            for status, n in r.statuses.items():
                statuses[status] = statuses.get(status, 0) + n
        ok = set(statuses) == {200} and median(p95) < PAGE_TARGET_MS
        cycle = paths[name][1]
        path = cycle[0] if len(cycle) == 1 else f"{len(cycle)} ideas in turn"
        report.add(f"{name}, {ideas:,} ideas, {LIST_CLIENTS} clients: {path}",
                   f"p95 {spread(p95, '{:.1f}')} ms, {rate:,.0f} pages/s",
                   f"{ceiling:,.0f} req/s, p95 {hello_p95:.1f} ms", f"{rate / ceiling:.0%}",
                   f"p95 < {PAGE_TARGET_MS:.0f} ms", ok)
        app_ms = median(c[0] for c in cpu[name])
        db_ms = median(c[1] for c in cpu[name])
        report.note(f"{name}: median {median(r.median_ms for r in rounds_of):.1f} ms, "
                    f"CPU per page app {app_ms:.2f} + database {db_ms:.2f} ms, "
                    f"statuses {statuses}")


def bench_toggles(report: Report, app, server, postmaster, board_id: int, voters: list[Voter],
                  public: list[int], rounds: int, per_round: int, hello_seconds: float) -> bool:
    """Rounds of hello world and toggling under TOGGLE_CLIENTS clients; then the counts
    must agree with the rows. Returns whether they do."""
    before = support_state(app, board_id)
    rng = random.Random(16)
    ideas = rng.sample(public, min(300, len(public)))
    hellos, results, cpu = [], [], []
    expected = set()
    for index in range(rounds):
        hellos.append(hello_under_load(server.port, hello_seconds, TOGGLE_CLIENTS).rate)
        batch = voters[index * per_round:(index + 1) * per_round]
        with Meter(server.pid, postmaster) as meter:
            result = toggle_supports(server.port, batch, ideas, seed=index)
        results.append(result)
        expected |= result.supported
        cpu.append(tuple(1000 * x / result.requests
                         for x in (meter.app, meter.database, meter.load)))
    ceiling = median(hellos)
    rates = [r.rate for r in results]
    report.add(f"hello world: GET /health, {TOGGLE_CLIENTS} clients",
               spread(hellos) + " req/s")
    report.add(f"toggle a support: POST form + session + CSRF, {TOGGLE_CLIENTS} clients",
               spread(rates) + " toggles/s", f"{ceiling:,.0f} req/s",
               f"{median(rates) / ceiling:.0%}", f">= {TOGGLE_TARGET:.0f} toggles/s",
               median(rates) >= TOGGLE_TARGET)
    app_ms, db_ms, load_ms = (median(c[i] for c in cpu) for i in range(3))
    statuses = {}
    for r in results:
        for status, n in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    latencies = [t for r in results for t in r.latencies]
    report.note(f"toggles: {sum(r.requests for r in results)} requests in {rounds} rounds, "
                f"statuses {statuses}, latency median {1000 * median(latencies):.0f} ms, "
                f"p95 {1000 * percentile(latencies, 0.95):.0f} ms; CPU per toggle app "
                f"{app_ms:.1f} + database {db_ms:.1f} + load {load_ms:.1f} ms")
    after = support_state(app, board_id)
    drift = [idea for idea, count in after["counts"].items()
             if count - before["counts"][idea]
             != after["rows"].get(idea, 0) - before["rows"].get(idea, 0)]
    intact = (not drift and after["twice"] == 0 and after["pairs"] - before["pairs"] == expected
              and set(statuses) == {302})
    report.add("after toggling: each idea's count = its supports",
               f"{len(after['counts']) - len(drift):,} of {len(after['counts']):,} ideas; "
               f"{len(after['pairs']) - len(before['pairs']):,} supports, "
               f"{len(expected):,} expected", "", "", "equal, each account once", intact)
    if not intact:
        report.note(f"support drift in ideas {drift[:10]}, doubled {after['twice']}, "
                    f"missing {len(expected - after['pairs'])}, "
                    f"extra {len(after['pairs'] - before['pairs'] - expected)}")
    return intact
