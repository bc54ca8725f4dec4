"""Fill the bench vote with online ballots in bulk, generated inside the database.

Ballots, their answers and the running online tallies stay consistent with each other, as
if every ballot had been cast through the form: entwurf about 25/60/15 % A/B/C; name
40/25/20/10 % A/B/C/D and 5 % blank.
"""

from common import VOTE_SLUG
from sqlalchemy import text

from mitwirkung.extensions import db

SERIES = {
    "sqlite": "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < :n) "
              "SELECT lower(hex(randomblob(16))) AS id, abs(random()) % 100 AS e, "
              "abs(random()) % 100 AS m FROM s",
    "postgresql": "SELECT replace(gen_random_uuid()::text, '-', '') AS id, "
                  "floor(random() * 100)::int AS e, floor(random() * 100)::int AS m "
                  "FROM generate_series(1, :n)",
}


def _rows(cursor, sql: str) -> list[tuple]:
    cursor.execute(sql)
    return cursor.fetchall()


def add_online_ballots(app, n: int, slug: str = VOTE_SLUG) -> None:
    """Insert `n` online ballots with answers and add them to the online tallies, in one
    transaction on the driver's connection. Foreign-key checks are off meanwhile (SQLite:
    PRAGMA; PostgreSQL: session_replication_role, if we are superuser): the rows are
    consistent by construction, and per-row checks would triple the time. Rows go in sorted
    by their random ids, which keeps the indexes' pages in cache."""
    with app.app_context():
        dialect = db.engine.dialect.name
        pooled = db.engine.raw_connection()
        connection = pooled.driver_connection
        cursor = connection.cursor()
        try:
            if dialect == "sqlite":  # autocommit mode: see core/database.py
                for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-262144"):
                    cursor.execute(f"PRAGMA {pragma}")
                cursor.execute("BEGIN IMMEDIATE")
            elif _rows(cursor, "SELECT current_setting('is_superuser')")[0][0] == "on":
                cursor.execute("SET LOCAL session_replication_role = replica")
            _insert(cursor, dialect, slug, int(n))
            if dialect == "sqlite":
                cursor.execute("COMMIT")
                for pragma in ("foreign_keys=ON", "synchronous=NORMAL", "wal_checkpoint(TRUNCATE)"):
                    cursor.execute(f"PRAGMA {pragma}")
            else:
                connection.commit()
                cursor.execute("ANALYZE ballots, ballot_answers")  # as autovacuum soon would
                connection.commit()
        finally:
            cursor.close()
            pooled.invalidate()  # never hand these session settings back to the pool


def _insert(cursor, dialect: str, slug: str, n: int) -> None:
    rows = _rows(cursor, (
        "SELECT v.id, q.code, q.id, o.code, o.id FROM votes v "
        "JOIN vote_questions q ON q.vote_id = v.id JOIN vote_options o ON o.question_id = q.id "
        f"WHERE v.slug = '{slug}'"))
    vote_id = rows[0][0]
    questions = {code: question_id for _v, code, question_id, _o, _id in rows}
    option = {(code, o_code): option_id for _v, code, _q, o_code, option_id in rows}
    choices = _choice_expressions(option)
    cursor.execute(f"CREATE TEMPORARY TABLE bench_new AS {SERIES[dialect].replace(':n', str(n))}")
    cursor.execute(
        "INSERT INTO ballots (id, vote_id, channel, batch_id, serial, voided) "
        f"SELECT id, {vote_id}, 'online', NULL, NULL, {_false(dialect)} FROM bench_new "
        "ORDER BY id")
    answers = " UNION ALL ".join(
        f"SELECT id, {questions[code]} AS q, {choice} AS o FROM bench_new"
        for code, choice in choices.items())
    cursor.execute(
        "INSERT INTO ballot_answers (ballot_id, question_id, option_id, kind) "
        "SELECT id, q, o, CASE WHEN o IS NULL THEN 'blank' ELSE 'option' END "
        f"FROM ({answers}) AS answers ORDER BY id, q")
    for code, choice in choices.items():
        for option_id, count in _rows(cursor, f"SELECT {choice}, count(*) FROM bench_new "
                                              "GROUP BY 1"):
            key = "blank" if option_id is None else str(option_id)
            cursor.execute(
                "INSERT INTO online_tallies (question_id, choice, shard, count) "
                f"VALUES ({questions[code]}, '{key}', 0, {count}) "
                "ON CONFLICT (question_id, choice, shard) "
                "DO UPDATE SET count = online_tallies.count + excluded.count")
    cursor.execute("DROP TABLE bench_new")


def _false(dialect: str) -> str:
    return "0" if dialect == "sqlite" else "false"


def _choice_expressions(option: dict[tuple[str, str], int]) -> dict[str, str]:
    """SQL per question code turning the random columns e and m into an option id (or NULL)."""
    return {
        "entwurf": f"CASE WHEN e < 25 THEN {option['entwurf', 'A']} "
                   f"WHEN e < 85 THEN {option['entwurf', 'B']} "
                   f"ELSE {option['entwurf', 'C']} END",
        "name": f"CASE WHEN m < 40 THEN {option['name', 'A']} "
                f"WHEN m < 65 THEN {option['name', 'B']} "
                f"WHEN m < 85 THEN {option['name', 'C']} "
                f"WHEN m < 95 THEN {option['name', 'D']} END",
    }


def state(app, slug: str = VOTE_SLUG) -> dict[str, int]:
    """Counts that must agree after the load: ballots, participations, answers, tallies."""
    queries = {
        # Mixed into the ballots, and still waiting in the inbox (votes/casting/mixing.py).
        "mixed_ballots": "SELECT count(*) FROM ballots WHERE vote_id = :v AND channel = 'online'",
        "waiting_ballots": "SELECT count(*) FROM ballot_inbox WHERE vote_id = :v",
        # In the tallies: bulk-inserted ones (no mix) and those of the counted mixes.
        "counted_ballots": "SELECT count(*) FROM ballots b JOIN votes v ON v.id = b.vote_id "
                           "WHERE b.vote_id = :v AND b.channel = 'online' "
                           "AND (b.mix IS NULL OR b.mix <= v.mixes_counted)",
        # The newest group waits for the next mix to be counted (one step late).
        "newest_group": "SELECT count(*) FROM ballots b JOIN votes v ON v.id = b.vote_id "
                        "WHERE b.vote_id = :v AND b.mix = v.mixes AND b.mix > v.mixes_counted",
        "paper_ballots": "SELECT count(*) FROM ballots WHERE vote_id = :v AND channel = 'paper'",
        "participations": "SELECT count(*) FROM vote_participations WHERE vote_id = :v",
        "accounts_twice": "SELECT count(*) - count(DISTINCT user_id) FROM vote_participations "
                          "WHERE vote_id = :v",
        "online_answers": "SELECT count(*) FROM ballot_answers a JOIN ballots b "
                          "ON b.id = a.ballot_id WHERE b.vote_id = :v AND b.channel = 'online'",
        "tally_min": "SELECT min(n) FROM (SELECT sum(t.count) AS n FROM vote_questions q "
                     "LEFT JOIN online_tallies t ON t.question_id = q.id WHERE q.vote_id = :v "
                     "GROUP BY q.id) per_question",
        "tally_max": "SELECT max(n) FROM (SELECT sum(t.count) AS n FROM vote_questions q "
                     "LEFT JOIN online_tallies t ON t.question_id = q.id WHERE q.vote_id = :v "
                     "GROUP BY q.id) per_question",
    }
    with app.app_context(), db.engine.connect() as connection:
        vote_id = connection.execute(
            text("SELECT id FROM votes WHERE slug = :s"), {"s": slug}).scalar_one()
        counts = {name: int(connection.execute(text(sql), {"v": vote_id}).scalar() or 0)
                  for name, sql in queries.items()}
    return counts | {"online_ballots": counts["mixed_ballots"] + counts["waiting_ballots"]}
