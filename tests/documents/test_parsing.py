"""Splitting a text into sections: headings found by the Markdown parser, keys from
headings (umlauts spelled out, duplicates numbered), the introduction, heading levels on
the page, and refused input."""

import io

import pytest

from mitwirkung.documents import parsing
from mitwirkung.documents.models import INTRO_KEY


def keys(markdown, depth=6):
    return [part.key for part in parsing.split(markdown, depth)]


def test_each_heading_starts_a_section_and_text_before_it_is_the_introduction():
    parts = parsing.split("Vorwort.\n\n# Eins\n\nText eins.\n\n## Zwei\nText zwei.\n")
    assert [(p.key, p.heading, p.text) for p in parts] == [
        (INTRO_KEY, "", "Vorwort."), ("eins", "Eins", "Text eins."), ("zwei", "Zwei",
                                                                     "Text zwei.")]


def test_a_text_without_introduction_starts_with_its_first_heading():
    assert keys("# Eins\nA\n# Zwei\nB") == ["eins", "zwei"]


@pytest.mark.parametrize(("heading", "key"), [
    ("3. Beteiligung für alle", "3-beteiligung-fuer-alle"),
    ("Größe & Maß", "groesse-mass"),
    ("Ökologie, Übergänge", "oekologie-uebergaenge"),
    ("Café Élysée", "cafe-elysee"),
    ("§ 4 Inkrafttreten", "4-inkrafttreten"),
    ("!!!", "abschnitt"),
    ("", "abschnitt"),
    ("Ziele *neu*", "ziele-neu"),
])
def test_a_key_is_the_heading_in_lower_case_ascii_words(heading, key):
    assert parsing.section_key(parsing._plain(heading)) == key


def test_a_long_heading_gives_a_key_cut_at_a_word():
    key = parsing.section_key("Wort " * 40)
    assert len(key) <= parsing.KEY_MAX and not key.endswith("-")


def test_the_same_heading_twice_gets_numbered_keys():
    assert keys("# Ziele\na\n# Ziele\nb\n# Ziele\nc\n# Ziele 2\nd") == [
        "ziele", "ziele-2", "ziele-3", "ziele-2-2"]


def test_hashes_in_code_quotes_and_lists_start_no_section():
    text = "# Eins\n```\n# kein Abschnitt\n```\n> # zitiert\n- # Liste\n"
    parts = parsing.split(text)
    assert [p.key for p in parts] == ["eins"]
    assert "# kein Abschnitt" in parts[0].text


def test_underlined_headings_count():
    assert keys("Eins\n====\na\n\nZwei\n----\nb") == ["eins", "zwei"]


def test_headings_below_the_chosen_depth_stay_inside_their_section():
    parts = parsing.split("# Eins\n## Zwei\n### Drei\n#### Vier\ntext", depth=3)
    assert [p.key for p in parts] == ["eins", "zwei", "drei"]
    assert parts[-1].text == "#### Vier\ntext"


def test_heading_levels_on_the_page_start_at_2_and_never_skip():
    parts = parsing.split("### A\n#### B\n###### C\n### D\n# E")
    assert [p.level for p in parts] == [2, 3, 4, 2, 2]


def test_the_heading_keeps_its_words_without_markup():
    assert parsing.split("## Ziele *und* `Wege` ##\ntext")[0].heading == "Ziele und Wege"


def test_windows_line_breaks_are_made_uniform():
    parts = parsing.split("# Eins\r\nZeile 1\r\nZeile 2\r\n")
    assert parts[0].text == "Zeile 1\nZeile 2"


@pytest.mark.parametrize(("text", "error"), [
    ("", parsing.TextEmpty),
    ("  \n\n ", parsing.TextEmpty),
    ("# Eins\nA\x00B", parsing.NotText),
    ("bell \x07", parsing.NotText),
    ("x" * (parsing.MAX_CHARS + 1), parsing.TextTooLong),
    ("".join(f"# H{n}\n" for n in range(parsing.MAX_SECTIONS + 1)), parsing.TooManySections),
])
def test_unusable_text_is_refused(text, error):
    with pytest.raises(error):
        parsing.split(text)


def test_an_upload_is_utf8_with_or_without_byte_order_mark():
    data = "# Präambel\nText".encode()
    assert parsing.read_upload("a.md", io.BytesIO(data)) == "# Präambel\nText"
    assert parsing.read_upload("A.TXT", io.BytesIO(b"\xef\xbb\xbf" + data)).startswith("# Pr")


@pytest.mark.parametrize(("name", "data", "error"), [
    ("a.md", "Präambel".encode("latin-1"), parsing.NotUtf8),
    ("a.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00", parsing.NotText),
    ("a.md", b"", parsing.TextEmpty),
    ("a.pdf", b"%PDF-1.4", parsing.NotATextFile),
    ("a.md", b"a" * (parsing.MAX_CHARS * 4 + 1), parsing.TextTooLong),
])
def test_an_unusable_upload_is_refused(name, data, error):
    with pytest.raises(error):
        parsing.read_upload(name, io.BytesIO(data))
