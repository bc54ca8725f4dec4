"""German full-text search over ideas, on SQLite and PostgreSQL alike: stems, umlauts,
place, every word or any word, best first, and the index in step with every change."""

import pytest
from sqlalchemy import select

from mitwirkung.extensions import db
from mitwirkung.proposals import search
from mitwirkung.proposals.models import Idea

from . import factories


@pytest.fixture
def board(app_ctx):
    board = factories.board()
    for title, text, place in [
        ("Offene Bühnen am Stiftsplatz", "Musik und Theater für alle.", "Stiftsplatz"),
        ("Mehr Bäume", "Schatten in der Fackelstraße im Sommer.", "Fackelstraße"),
        ("Kinderfest", "Ein Fest für Kinder mit einer Bühne.", ""),
        ("Straßenfeste", "Feste in jeder Straße der Innenstadt.", "Innenstadt"),
    ]:
        factories.idea(board, title=title, text=text, place=place)
    return board


def titles(words: str, **options) -> list[str]:
    query, order = search.search(select(Idea), words, **options)
    if order is not None:
        query = query.order_by(order, Idea.id)
    return [idea.title for idea in db.session.scalars(query)]


def test_stems_find_other_forms_with_umlauts(board):
    assert set(titles("Bühne")) == {"Offene Bühnen am Stiftsplatz", "Kinderfest"}
    assert titles("Baum") == ["Mehr Bäume"]
    assert titles("straßenfest") == ["Straßenfeste"]
    assert titles("FACKELSTRASSE") == ["Mehr Bäume"]


def test_every_word_must_match_unless_any_word_is_asked(board):
    assert titles("Bühne Kinder") == ["Kinderfest"]
    assert set(titles("Bäume Kinder", any_word=True)) == {"Mehr Bäume", "Kinderfest"}


def test_the_place_is_searched_and_better_matches_come_first(board):
    assert titles("Innenstadt") == ["Straßenfeste"]
    assert titles("Bühne Stiftsplatz", any_word=True)[0] == "Offene Bühnen am Stiftsplatz"


def test_a_query_without_words_changes_nothing(board):
    query, order = search.search(select(Idea), "  ?! ")
    assert order is None and len(db.session.scalars(query).all()) == 4


def test_hostile_query_text_is_only_words(board):
    for words in ['"', "a & !b", "x) | (y", "NEAR(a b)", "' OR 1=1 --", "*", "\x00"]:
        titles(words)  # no error
        titles(words, any_word=True)


def test_the_index_follows_edits_and_deletes(board):
    idea = db.session.scalar(select(Idea).where(Idea.title == "Kinderfest"))
    idea.text = "Ein Fest für Kinder mit Zirkus."
    db.session.commit()
    assert titles("Zirkus") == ["Kinderfest"] and "Kinderfest" not in titles("Bühne")
    db.session.delete(idea)
    db.session.commit()
    assert titles("Zirkus") == []


def test_reindex_catches_up_with_bulk_writes(board):
    db.session.execute(Idea.__table__.update().where(Idea.title == "Mehr Bäume")
                       .values(text="Wasserspiele"))
    search.reindex(board.id)
    assert titles("Wasserspiel") == ["Mehr Bäume"]
