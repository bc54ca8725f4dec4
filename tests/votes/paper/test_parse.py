"""Reading paper-ballot CSV files: the contract in PRODUCT.md, without a database."""

import hashlib
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from mitwirkung.votes.paper.parse import (
    MESSAGES,
    OptionSpec,
    PaperAnswer,
    QuestionSpec,
    parse_ballot_file,
)

DATA = Path(__file__).resolve().parents[2] / "data"

# The Pfalztheater vote of the demo data.
QUESTIONS = (
    QuestionSpec(
        "entwurf",
        (
            OptionSpec("A", "Offene Bühne"),
            OptionSpec("B", "Verschlungene Wege"),
            OptionSpec("C", "Grünes Band"),
        ),
    ),
    QuestionSpec(
        "name",
        (
            OptionSpec("A", "Theatergarten"),
            OptionSpec("B", "Platz der Begegnung"),
            OptionSpec("C", "Grüne Mitte"),
            OptionSpec("D", "Lauterplatz"),
        ),
    ),
)


def csv_bytes(*lines: str, sep: str = ",", encoding: str = "utf-8", end: str = "\n") -> bytes:
    """A file from lines written with `,`; `sep` replaces it."""
    return "".join(line.replace(",", sep) + end for line in lines).encode(encoding)


def parse(data: bytes, **options):
    return parse_ballot_file(data, QUESTIONS, **options)


def found(result) -> list[tuple[int, str]]:
    return [(error.line, error.code) for error in result.errors]


def answers(card) -> list[tuple[str, str | None, str]]:
    return [(a.question, a.option, a.kind) for a in card.answers]


def simple_counts(path: Path, encoding: str, sep: str) -> dict[str, Counter]:
    """Count the sample by hand, with plain splitting and the titles spelled out."""
    titles = {q.code: {o.title.lower(): o.code for o in q.options} for q in QUESTIONS}
    lines = path.read_text(encoding=encoding).lstrip("\ufeff").splitlines()
    header = lines[0].split(sep)
    counts = {q.code: Counter() for q in QUESTIONS}
    for line in lines[1:]:
        cells = dict(zip(header, line.split(sep), strict=True))
        for code, counter in counts.items():
            value = cells[code].strip().lower()
            if not value:
                counter["blank"] += 1
            elif value in ("ungültig", "invalid"):
                counter["invalid"] += 1
            else:
                counter[titles[code].get(value, value.upper())] += 1
    return counts


@pytest.mark.parametrize(
    ("name", "cards", "encoding", "sep"),
    [
        ("ballots-wochenmarkt.csv", 120, "utf-8", ";"),
        ("ballots-rathaus-cp1252.csv", 118, "cp1252", ","),
    ],
)
def test_good_samples_are_accepted_with_all_cards_counted(name, cards, encoding, sep):
    path = DATA / name
    result = parse(path.read_bytes())
    assert result.errors == []
    assert result.ok
    assert len(result.cards) == cards
    assert (result.encoding, result.delimiter) == (encoding, sep)
    expected = simple_counts(path, encoding, sep)
    for question, counts in result.counts().items():
        assert sum(counts.values()) == cards
        assert {k: n for k, n in counts.items() if n} == dict(expected[question])


def test_broken_sample_is_refused_with_exactly_its_two_errors():
    result = parse((DATA / "ballots-broken.csv").read_bytes())
    assert not result.ok
    assert found(result) == [(5, "unknown_option"), (9, "duplicate_serial")]
    unknown, duplicate = result.errors
    assert unknown.params == {"value": "D", "question": "entwurf"}
    assert duplicate.params == {"serial": "X-0006", "first_line": 7}


def test_cells_hold_codes_or_titles_in_any_case_and_spacing():
    result = parse(
        csv_bytes(
            "serial,entwurf,name",
            "1,b,  platz   der BEGEGNUNG ",
            "2, GRÜNES   band ,Lauterplatz",
            "3,Offene Bühne,d",
        )
    )
    assert result.errors == []
    assert [answers(card) for card in result.cards] == [
        [("entwurf", "B", "option"), ("name", "B", "option")],
        [("entwurf", "C", "option"), ("name", "D", "option")],
        [("entwurf", "A", "option"), ("name", "D", "option")],
    ]


def test_empty_cells_are_blank_and_ungueltig_or_invalid_in_any_case_are_invalid():
    result = parse(
        csv_bytes(
            "serial,entwurf,name",
            "1,ungültig,",
            "2,INVALID,   ",
            "3, Ungültig ,invalid",
        )
    )
    assert result.errors == []
    kinds = [[a.kind for a in card.answers] for card in result.cards]
    assert kinds == [["invalid", "blank"], ["invalid", "blank"], ["invalid", "invalid"]]
    assert result.cards[0].answers[1] == PaperAnswer("name", None, "blank")
    assert result.counts()["entwurf"]["invalid"] == 3


def test_columns_in_another_order_give_answers_in_the_vote_order():
    result = parse(csv_bytes("name,serial,entwurf", "D,W-1,A"))
    assert result.errors == []
    card = result.cards[0]
    assert card.serial == "W-1"
    assert answers(card) == [("entwurf", "A", "option"), ("name", "D", "option")]


def test_header_names_ignore_case_and_surrounding_blanks():
    result = parse(csv_bytes(" Serial ,ENTWURF,  Name", "1,A,B"))
    assert result.errors == []
    assert len(result.cards) == 1


@pytest.mark.parametrize("sep", [",", ";"])
def test_comma_and_semicolon_are_both_detected(sep):
    result = parse(csv_bytes("serial,entwurf,name", "1,A,Grüne Mitte", sep=sep))
    assert result.errors == []
    assert result.delimiter == sep
    assert answers(result.cards[0]) == [("entwurf", "A", "option"), ("name", "C", "option")]


def test_utf8_without_bom_is_read_as_utf8():
    result = parse(csv_bytes("serial;entwurf;name", "1;Grünes Band;Grüne Mitte"))
    assert result.errors == []
    assert result.encoding == "utf-8"
    assert answers(result.cards[0]) == [("entwurf", "C", "option"), ("name", "C", "option")]


def test_windows_1252_umlaut_title_is_matched():
    result = parse(csv_bytes("serial,entwurf,name", "1,OFFENE BÜHNE,", encoding="cp1252"))
    assert result.errors == []
    assert result.encoding == "cp1252"
    assert result.cards[0].answers[0].option == "A"


def test_decomposed_umlauts_match_the_title():
    title = unicodedata.normalize("NFD", "Grünes Band")
    result = parse(csv_bytes("serial,entwurf,name", f"1,{title},"))
    assert result.errors == []
    assert result.cards[0].answers[0].option == "C"


def test_byte_undefined_in_windows_1252_is_an_error_on_its_line():
    data = csv_bytes("serial,entwurf,name", "1,A,B", "2,Gr\x00nes Band,C", encoding="cp1252")
    result = parse(data.replace(b"\x00", b"\x81"))
    assert result.encoding == "cp1252"
    assert found(result) == [(3, "undecodable")]  # and no second error for the same cell
    assert not result.ok


def test_invalid_utf8_after_a_bom_is_an_error_on_its_line():
    data = b"\xef\xbb\xbf" + csv_bytes("serial;entwurf;name", "1;A;B", "2;A;", "3;\xff;B")
    result = parse(data.replace("ÿ".encode(), b"\xff"))
    assert result.encoding == "utf-8"
    assert found(result) == [(4, "undecodable")]


def test_nul_byte_is_an_error_not_a_crash():
    result = parse(csv_bytes("serial,entwurf,name", "1,A,B", "2,A\x00,B"))
    assert found(result) == [(3, "nul_byte")]
    assert result.cards == []


def test_quoted_cell_with_a_newline_keeps_later_line_numbers_right():
    result = parse(csv_bytes("serial,entwurf,name", '1,"Offene\nBühne",A', "2,A,B", "3,X,B"))
    assert found(result) == [(5, "unknown_option")]
    assert [card.line for card in result.cards] == [2, 4]
    assert result.cards[0].answers[0].option == "A"


@pytest.mark.parametrize("end", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends_keep_line_numbers_right(end):
    result = parse(csv_bytes("serial,entwurf,name", "1,A,B", "2,X,B", end=end))
    assert found(result) == [(3, "unknown_option")]


def test_rows_empty_in_every_cell_are_skipped():
    result = parse(csv_bytes("serial;entwurf;name", ";;", "1;A;B", "", " ; ; ", "2;X;B", sep=";"))
    assert found(result) == [(6, "unknown_option")]
    assert [card.line for card in result.cards] == [3]


def test_trailing_empty_columns_from_spreadsheets_are_ignored():
    result = parse(csv_bytes("serial;entwurf;name;;", "1;A;B;;", "2;C;D", sep=";"))
    assert result.errors == []
    assert len(result.cards) == 2


def test_all_errors_are_reported_not_just_the_first():
    lines = ["serial,entwurf,name"] + [f"{n},A,B" for n in range(2, 13)]
    lines[2] = "3,X,B"  # line 3
    lines[6] = "7,A"  # line 7
    lines[11] = ",A,B"  # line 12
    result = parse(csv_bytes(*lines))
    assert found(result) == [(3, "unknown_option"), (7, "wrong_cell_count"), (12, "missing_serial")]
    assert [card.line for card in result.cards] == [2, 4, 5, 6, 8, 9, 10, 11]
    assert not result.ok


def test_serial_already_counted_in_the_vote_is_an_error():
    data = csv_bytes("serial,entwurf,name", "R-0001,A,B", " R-0002 ,A,B", "r-0003,A,B")
    result = parse(data, counted_serials={"R-0002", "r-0003"})
    assert found(result) == [(3, "serial_counted"), (4, "serial_counted")]
    assert result.errors[0].params == {"serial": "R-0002"}


def test_duplicate_serials_compare_ignoring_case_and_blanks():
    result = parse(csv_bytes("serial,entwurf,name", "W-1,A,B", " w-1 ,A,B"))
    assert found(result) == [(3, "duplicate_serial")]
    assert result.errors[0].params == {"serial": "w-1", "first_line": 2}


def test_more_rows_than_the_limit_give_one_clear_error():
    lines = ["serial,entwurf,name"] + [f"{n},A,X" for n in range(1, 7)]
    result = parse(csv_bytes(*lines), max_rows=5)
    assert found(result) == [(7, "too_many_rows")]
    assert result.cards == []
    assert str(result.errors[0]) == "Line 7: more than 5 ballots; split the file."


def test_exactly_the_row_limit_is_accepted():
    lines = ["serial,entwurf,name"] + [f"{n},A,B" for n in range(1, 6)]
    assert parse(csv_bytes(*lines), max_rows=5).ok


def test_file_with_only_a_header_has_no_ballots():
    result = parse(csv_bytes("serial,entwurf,name", ",,", ""))
    assert found(result) == [(0, "no_ballots")]
    assert not result.ok


def test_broken_header_is_reported_and_rows_are_still_checked_but_not_carded():
    result = parse(csv_bytes("serial,entwurf,stimme", "1,X,B", "2,A,B"))
    assert found(result) == [(1, "unknown_column"), (1, "missing_column"), (2, "unknown_option")]
    assert result.cards == []


def test_sha256_is_of_the_raw_bytes():
    data = (DATA / "ballots-wochenmarkt.csv").read_bytes()
    assert parse(data).sha256 == hashlib.sha256(data).hexdigest()


def test_counts_list_every_option_also_with_zero():
    counts = parse(csv_bytes("serial,entwurf,name", "1,A,")).counts()
    assert counts == {
        "entwurf": {"A": 1, "B": 0, "C": 0, "blank": 0, "invalid": 0},
        "name": {"A": 0, "B": 0, "C": 0, "D": 0, "blank": 1, "invalid": 0},
    }


HEADER = "serial,entwurf,name"
EVERY_ERROR = {
    "file_too_large": (csv_bytes(HEADER, "1,A,B"), {"max_bytes": 10}, 0),
    "empty_file": (b" \r\n\r\n", {}, 1),
    "nul_byte": (csv_bytes(HEADER, "\x00"), {}, 2),
    "undecodable": (csv_bytes(HEADER, "1,A,B", "2,A,\x00").replace(b"\x00", b"\x9d"), {}, 3),
    # An unclosed quote: one cell of many short lines, longer than the csv module allows.
    "malformed_csv": (csv_bytes(HEADER, "1,A,B", '2,"' + "A\n" * 70_000), {}, 3),
    "line_too_long": (csv_bytes(HEADER, "1,A,B", "2,A," + "B" * 30), {"max_line_chars": 20}, 3),
    "too_many_columns": (csv_bytes(HEADER + ",x" * 300, "1,A,B"), {}, 1),
    "unknown_column": (csv_bytes(HEADER + ",bemerkung", "1,A,B,"), {}, 1),
    "missing_column": (csv_bytes("serial,entwurf", "1,A"), {}, 1),
    "repeated_column": (csv_bytes(HEADER + ",Entwurf", "1,A,B,A"), {}, 1),
    "too_many_rows": (csv_bytes(HEADER, "1,A,B", "2,A,B"), {"max_rows": 1}, 3),
    "wrong_cell_count": (csv_bytes(HEADER, "1,A,B", "2,A,B,C"), {}, 3),
    "missing_serial": (csv_bytes(HEADER, "1,A,B", " ,A,B"), {}, 3),
    "serial_too_long": (csv_bytes(HEADER, "1,A,B", "2" * 41 + ",A,B"), {}, 3),
    "duplicate_serial": (csv_bytes(HEADER, "1,A,B", "1,A,B"), {}, 3),
    "serial_counted": (csv_bytes(HEADER, "1,A,B", "2,A,B"), {"counted_serials": {"2"}}, 3),
    "unknown_option": (csv_bytes(HEADER, "1,A,B", "2,A,Stadtpark"), {}, 3),
    "no_ballots": (csv_bytes(HEADER), {}, 0),
}


def test_every_error_kind_is_covered_below():
    assert set(EVERY_ERROR) == set(MESSAGES)


@pytest.mark.parametrize("code", sorted(EVERY_ERROR))
def test_every_error_kind_is_reported_once_with_its_line(code):
    data, options, line = EVERY_ERROR[code]
    result = parse(data, **options)
    assert found(result) == [(line, code)]
    assert not result.ok
    message = str(result.errors[0])
    assert message.startswith(f"Line {line}:") if line else "Line" not in message


def test_a_header_of_a_million_columns_is_refused_at_once():
    import time

    data = csv_bytes(";".join(["spalte"] * 726_389), "1;A;B", sep=";")
    started = time.perf_counter()
    result = parse(data, max_line_chars=10**8)
    assert found(result) == [(1, "too_many_columns")]
    assert result.errors[0].params["found"] == 726_389
    assert time.perf_counter() - started < 5  # it took over 30 s, one error per column


def test_errors_come_in_line_order_when_a_bound_stops_the_reading():
    # An unreadable line 2 and a header too wide: the early stop listed line 2 first
    # (found by tests/votes/paper/test_parse_properties.py).
    result = parse(b",,\n\x9d", max_columns=2)
    assert found(result) == [(1, "too_many_columns"), (2, "undecodable")]


def test_a_long_line_is_refused_before_parsing():
    result = parse(csv_bytes(HEADER, "1," + "A" * 100_000 + ",B"))
    assert found(result) == [(2, "line_too_long")]


def test_undecodable_bytes_never_leave_the_parser_as_surrogates():
    data = csv_bytes("serial,entw\x00rf,name", "1\x00,A,B", "2,A,B",
                     encoding="cp1252").replace(b"\x00", b"\x81")
    result = parse(data)
    assert (1, "undecodable") in found(result) and (2, "undecodable") in found(result)
    for error in result.errors:
        error.message.encode("utf-8")  # a lone surrogate would raise here
    assert all(card.serial.encode("utf-8") for card in result.cards)


def test_message_outside_an_app_context_is_english_with_the_line():
    error = parse((DATA / "ballots-broken.csv").read_bytes()).errors[0]
    assert str(error) == error.message
    assert str(error).startswith("Line 5:")
    assert str(error) == "Line 5: unknown option “D” for question “entwurf”."
