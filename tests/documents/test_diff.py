"""What changed in a section: words added and removed, in order, with unchanged text
between; whole blocks where the change is too large to compare word by word."""

from mitwirkung.documents import diff, services
from mitwirkung.documents.diff import ADDED, REMOVED, SAME

from . import factories
from .factories import GUIDELINES, section


def kinds(changes):
    return [(piece.kind, piece.text) for piece in changes.pieces]


def test_a_changed_word_is_removed_and_added_in_place():
    changes = diff.compare("Die Liste erscheint zweimal im Jahr.",
                           "Die Liste erscheint vierteljährlich im Jahr.")
    assert kinds(changes) == [(SAME, "Die Liste erscheint "), (REMOVED, "zweimal"),
                              (ADDED, "vierteljährlich"), (SAME, " im Jahr.")]
    assert (changes.added_words, changes.removed_words) == (1, 1)


def test_added_and_removed_lines_show_whole():
    changes = diff.compare("eins\nzwei\n", "eins\ndrei neu\nzwei\n")
    assert kinds(changes) == [(SAME, "eins\n"), (ADDED, "drei neu\n"), (SAME, "zwei\n")]
    assert diff.compare("a\nb\n", "a\n").removed_words == 1


def test_the_same_text_has_no_changes():
    assert not diff.compare("gleich", "gleich").changed


def test_spaces_alone_are_no_change():
    assert not diff.compare("ein  Satz", "ein Satz").changed


def test_a_huge_change_is_shown_as_blocks_without_comparing_every_word():
    old, new = "a " * 5000, "b " * 5000
    changes = diff.compare(old, new)
    assert [piece.kind for piece in changes.pieces] == [REMOVED, ADDED]


def test_section_changes_compare_with_the_version_before_the_present_text(document):
    part = section(document, "2-vorhabenliste")
    factories.version(document, GUIDELINES.replace("zweimal im Jahr", "vierteljährlich"))
    factories.version(document, GUIDELINES.replace("zweimal im Jahr", "vierteljährlich")
                      .replace("früh", "sehr früh"))
    result = services.section_changes(part)
    assert result.since == 1 and result.versions == [1, 2, 3]
    assert (REMOVED, "zweimal im Jahr") in kinds(result.changes)
    # Version 2 already had the present text: nothing to compare, the default is kept.
    assert services.section_changes(part, since=2).since == 1
    unchanged = services.section_changes(section(document, "praeambel"))
    assert unchanged.changes is None
