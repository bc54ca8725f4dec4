"""Full-text search over ideas: title, text and place, with German stemming, so "Bühne"
finds "Bühnen" on both databases.

PostgreSQL: a stored generated `tsvector` column (`german` configuration) with a GIN
index; the database keeps it in step. SQLite: an FTS5 table of the same ideas, whose
words are stemmed here with the Snowball German stemmer (the algorithm behind
PostgreSQL's `german` configuration) when an idea is written and when a query is read;
SQLAlchemy's events keep it in step with every write through the ORM, `reindex` after
bulk writes, and a trigger removes an idea's row with the idea.

Search finds ideas; which of them a person may see is the list's business
(proposals/listing.py), so a pending or rejected idea is filtered there like everywhere.
"""

import re
from functools import lru_cache

import snowballstemmer
from sqlalchemy import DDL, Select, column, event, func, literal_column, select, table, text
from sqlalchemy.engine import Connection

from ..extensions import db
from .models import Idea

MAX_QUERY_WORDS = 12  # more words make no better search, only a slower one
WORD = re.compile(r"\w+", re.UNICODE)

# DDL that the models cannot say: made with the table (tests, `db.create_all()`) and by
# the migration that introduced search (the same statements, written out there).
POSTGRES_COLUMN = DDL(
    "ALTER TABLE ideas ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('german', coalesce(title, '') || ' ' || coalesce(text, '') || ' ' "
    "|| coalesce(place, ''))) STORED")
POSTGRES_INDEX = DDL("CREATE INDEX ix_ideas_search ON ideas USING gin (search_vector)")
SQLITE_TABLE = DDL("CREATE VIRTUAL TABLE ideas_fts USING fts5(words, tokenize='unicode61')")
SQLITE_TRIGGER = DDL(
    "CREATE TRIGGER ideas_fts_delete AFTER DELETE ON ideas BEGIN "
    "DELETE FROM ideas_fts WHERE rowid = old.id; END")

for statement in (POSTGRES_COLUMN, POSTGRES_INDEX):
    event.listen(Idea.__table__, "after_create", statement.execute_if(dialect="postgresql"))
for statement in (SQLITE_TABLE, SQLITE_TRIGGER):
    event.listen(Idea.__table__, "after_create", statement.execute_if(dialect="sqlite"))
event.listen(Idea.__table__, "before_drop",
             DDL("DROP TABLE IF EXISTS ideas_fts").execute_if(dialect="sqlite"))


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("german")


def stems(words: str) -> list[str]:
    """The German stems of the words of `words`, lower case: "Bühnen am Markt" ->
    ["buhn", "am", "markt"]."""
    found = WORD.findall((words or "").lower())
    return _stemmer().stemWords(found) if found else []


def _indexed_words(idea: Idea) -> str:
    return " ".join(stems(f"{idea.title} {idea.text} {idea.place}"))


# Keeping SQLite's index in step -----------------------------------------------------------


def _write_index(connection: Connection, idea: Idea) -> None:
    if connection.dialect.name != "sqlite":
        return
    connection.execute(text("DELETE FROM ideas_fts WHERE rowid = :id"), {"id": idea.id})
    connection.execute(text("INSERT INTO ideas_fts (rowid, words) VALUES (:id, :words)"),
                       {"id": idea.id, "words": _indexed_words(idea)})


@event.listens_for(Idea, "after_insert")
def _indexed_on_insert(_mapper, connection, idea):
    _write_index(connection, idea)


@event.listens_for(Idea, "after_update")
def _indexed_on_update(_mapper, connection, idea):
    state = db.inspect(idea)
    if any(state.attrs[name].history.has_changes() for name in ("title", "text", "place")):
        _write_index(connection, idea)


def reindex(board_id: int | None = None) -> int:
    """Write SQLite's index anew for the ideas of a board (or all), after writes that went
    around the ORM (bulk loads); PostgreSQL needs nothing. Returns the ideas indexed."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return 0
    query = select(Idea.id, Idea.title, Idea.text, Idea.place)
    if board_id is not None:
        query = query.where(Idea.board_id == board_id)
    rows = db.session.execute(query).all()
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 500):
        connection.execute(text("DELETE FROM ideas_fts WHERE rowid IN "
                                f"({', '.join(map(str, ids[start:start + 500]))})"))
    connection.execute(
        text("INSERT INTO ideas_fts (rowid, words) VALUES (:id, :words)"),
        [{"id": row.id, "words": " ".join(stems(f"{row.title} {row.text} {row.place}"))}
         for row in rows])
    return len(rows)


# Asking ---------------------------------------------------------------------------------

_FTS = table("ideas_fts", column("rowid"), column("words"), column("rank"))


def search(query: Select, words: str, *, any_word: bool = False) -> tuple[Select, object]:
    """`query` (over Idea) narrowed to the ideas matching `words` (every word; with
    `any_word`, any of them), and an expression that orders them best first. A query
    without words is returned as it is, with None for the order."""
    dialect = db.session.get_bind().dialect.name
    asked = query_text(words, dialect, any_word=any_word)
    if asked is None:
        return query, None
    narrowed = query.where(matching(asked, dialect))
    if dialect == "postgresql":
        tsquery = func.to_tsquery("german", asked)
        return narrowed, func.ts_rank(literal_column("ideas.search_vector"), tsquery).desc()
    # The rank (bm25, costly per match) is read only when the order is used, from the
    # matches made once.
    condition = literal_column("ideas_fts").op("MATCH")(asked)
    ranked = (select(_FTS.c.rowid, _FTS.c.rank).where(condition)
              .cte("ranked").prefix_with("MATERIALIZED"))
    rank = select(ranked.c.rank).where(ranked.c.rowid == Idea.id).scalar_subquery()
    return narrowed, rank.asc()


def query_text(words: str, dialect: str, *, any_word: bool = False) -> str | None:
    """What the database is asked to match for `words` (every word; with `any_word`, any of
    them); None when `words` holds no word. PostgreSQL stems the words itself, as it
    stemmed the ideas, stop words dropped alike; for SQLite they are stemmed here."""
    found = WORD.findall((words or "").lower())[:MAX_QUERY_WORDS]
    if not found:
        return None
    if dialect == "postgresql":
        return (" | " if any_word else " & ").join(found)
    return (" OR " if any_word else " AND ").join(
        f'"{stem}"' for stem in dict.fromkeys(stems(" ".join(found))))


def matching(asked, dialect: str):
    """The condition on Idea that it matches `asked`: a text of query_text, or a bind
    parameter for one (a statement built once, listing/)."""
    if dialect == "postgresql":
        return literal_column("ideas.search_vector").op("@@")(func.to_tsquery("german", asked))
    # Narrowed by `IN (matches)`, never by a join: joined, SQLite's planner may walk the
    # board's ideas and run the full-text query once per idea (half a second for a common
    # word among 5,000 ideas, bench/ideas.py). With IN it walks an index in the list's
    # order and looks each idea up among the matches.
    condition = literal_column("ideas_fts").op("MATCH")(asked)
    return Idea.__table__.c.id.in_(select(_FTS.c.rowid).where(condition))
