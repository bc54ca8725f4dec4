"""Properties of the paper-ballot CSV import, with generated files (hypothesis): any bytes
give cards or line-numbered errors and nothing else; a refused file writes nothing, on the
web, on the command line and in the service; a valid file imports exactly its cards."""

import csv
import io
import itertools
import string

from flask_babel import force_locale
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mitwirkung.core.time import local_today
from mitwirkung.extensions import db
from mitwirkung.votes.models import Ballot, BallotAnswer, Option, Question
from mitwirkung.votes.paper import batches
from mitwirkung.votes.paper.cards import question_specs
from mitwirkung.votes.paper.parse import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_LINE_CHARS,
    MAX_ROWS,
    OptionSpec,
    ParsedFile,
    QuestionSpec,
    parse_ballot_file,
)
from mitwirkung.votes.paper.views import pack_file

from ...conftest import signed_in_client
from ...row_counts import changed, row_counts
from ..factories import PFALZTHEATER_QUESTIONS

QUESTIONS = tuple(QuestionSpec(code, tuple(OptionSpec(*option) for option in options))
                  for code, _title, options in PFALZTHEATER_QUESTIONS)
# Errors about the file as a whole carry line 0 and no "Zeile N:".
FILE_ERRORS = {"file_too_large", "no_ballots"}
# Bytes Windows-1252 leaves undefined, a NUL, a BOM, half a UTF-8 sequence, a stray quote.
ODD_BYTES = [b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d", b"\x00", b"\xef\xbb\xbf", b"\xc3",
             b"\xff\xfe", b'"', b"\r", b"\x1a", b"\x80", b"\xa0"]
ODD_TEXT = ["\u202e", "e\u0301", "\ufeff", "\u2028", "\x85", "ß", "İ", "ﬁ", "💥", "\x00",
            "\ufffd", "Ä" * 3, '"', '""', ",", ";", "\t", "\n", " ", "=1+1"]
VALID_CELLS = sorted({spelling for _code, _title, options in PFALZTHEATER_QUESTIONS
                      for code, title in options for spelling in (code, title, title.upper())}
                     | {"", " ", "ungültig", "INVALID", " Invalid ", "x", "-"})
HEADER_NAMES = ["serial", "entwurf", "name", "SERIAL", " Name ", "Entwurf", "", "unknown"]

odd_text = st.one_of(
    st.sampled_from(ODD_TEXT),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
)
huge_cell = st.builds(lambda char, size: char * size, st.sampled_from(["x", "€", "ä", '"']),
                      st.integers(100, MAX_LINE_CHARS + 500))
cell = st.one_of(st.sampled_from(VALID_CELLS), odd_text, huge_cell)


@st.composite
def messy_files(draw) -> bytes:
    """CSV-like files: known, odd, missing and repeated columns, rows of the wrong width,
    either delimiter (or both), quoting, any line end, several encodings, odd bytes."""
    header = draw(st.lists(st.one_of(st.sampled_from(HEADER_NAMES), odd_text), max_size=6))
    rows = draw(st.lists(st.lists(cell, max_size=6), max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    line_end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quoting = draw(st.sampled_from([None, csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    if quoting is None:  # cells as they are: a delimiter or quote inside breaks the row
        text = "".join(delimiter.join(row) + line_end for row in [header, *rows])
    else:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator=line_end,
                   quoting=quoting).writerows([header, *rows])
        text = buffer.getvalue()
    if draw(st.booleans()):  # the other delimiter here and there
        text = text.replace(delimiter, draw(st.sampled_from([",", ";"])), draw(st.integers(0, 3)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
    data = bytearray(text.encode(encoding, errors="replace"))
    for position, odd in draw(st.lists(st.tuples(st.integers(0, max(len(data), 1)),
                                                 st.sampled_from(ODD_BYTES)), max_size=3)):
        data[position:position] = odd
    return bytes(data)


any_file = st.one_of(st.binary(max_size=3000), messy_files())
# Small bounds reach every limit's branch without megabytes of input.
limits = st.fixed_dictionaries({
    "max_rows": st.sampled_from([MAX_ROWS, 2]),
    "max_bytes": st.sampled_from([MAX_FILE_BYTES, 200]),
    "max_line_chars": st.sampled_from([MAX_LINE_CHARS, 40]),
    "max_columns": st.sampled_from([MAX_COLUMNS, 2]),
})


def assert_cards_or_line_errors(parsed: ParsedFile, questions) -> None:
    """The parser's whole promise: either cards and no error, or errors that each say their
    line ("Zeile N: ..." in German), readable text without a lone surrogate."""
    assert isinstance(parsed, ParsedFile)
    if not parsed.errors:
        assert parsed.cards
        serials = [card.serial.casefold() for card in parsed.cards]
        assert len(serials) == len(set(serials)) and all(serials)
        for card in parsed.cards:
            assert [answer.question for answer in card.answers] == [q.code for q in questions]
        return
    with force_locale("de"):
        for error in parsed.errors:
            message = error.message
            message.encode("utf-8")  # no lone surrogate reaches a page or a terminal
            if error.line:
                assert message.startswith(f"Zeile {error.line}: "), message
            else:
                assert error.code in FILE_ERRORS, error
    assert [error.line for error in parsed.errors] == sorted(e.line for e in parsed.errors)


@settings(max_examples=400)
@given(data=any_file, bounds=limits)
def test_any_file_gives_cards_or_line_numbered_errors(app_ctx, data, bounds):
    assert_cards_or_line_errors(parse_ballot_file(data, QUESTIONS, **bounds), QUESTIONS)


_stations = itertools.count(1)


@settings(max_examples=60)
@given(data=any_file)
def test_a_refused_file_writes_nothing_anywhere(vote, staff, app, tmp_path, data):
    """The service, the web confirmation and `mitwirkung ballots import`: each refuses the
    file with its errors, and no table gains or loses a row."""
    parsed = parse_ballot_file(data, question_specs(vote),
                               counted_serials=batches.entered_serials(vote))
    assume(not parsed.ok)
    station = f"Stand {next(_stations)}"
    before = row_counts()

    try:
        batches.import_batch(vote, data, station=station, collected_on=local_today(),
                             entered_by=staff, file_name="karten.csv")
    except batches.ImportRejected as error:
        assert error.errors == parsed.errors
    else:
        raise AssertionError("a file with errors was imported")
    assert changed(before, row_counts()) == {}
    db.session.rollback()

    response = signed_in_client(app, staff).post(
        f"/manage/votes/{vote.slug}/batches/import/confirm",
        data={"content": pack_file(data), "sha256": parsed.sha256, "file_name": "karten.csv",
              "station": station, "collected_on": local_today().isoformat(),
              "expected_cards": ""},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Es wurde nichts importiert" in html
    first = parsed.errors[0]
    if first.line:  # the errors are listed, each with its line
        assert f"Zeile {first.line}:" in html
    assert changed(before, row_counts()) == {}

    path = tmp_path / "karten.csv"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(args=[
        "ballots", "import", vote.slug, str(path), "--station", station,
        "--date", local_today().isoformat(), "--entered-by", staff.username])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert changed(before, row_counts()) == {}


def spellings(code: str, title: str) -> st.SearchStrategy[str]:
    """How a card's cell may name an option: code or title, any case, blanks around."""
    return st.builds(lambda text, case, left, right: left + case(text) + right,
                     st.sampled_from([code, title]),
                     st.sampled_from([str, str.lower, str.upper, str.title]),
                     st.sampled_from(["", " ", "  "]), st.sampled_from(["", " "]))


def answer_for(options) -> st.SearchStrategy[tuple[str | None, str, str]]:
    """(option code or None, kind, the cell as written)."""
    return st.one_of(
        st.sampled_from(options).flatmap(
            lambda option: spellings(*option).map(lambda cell: (option[0], "option", cell))),
        st.sampled_from(["", " "]).map(lambda cell: (None, "blank", cell)),
        st.sampled_from(["ungültig", "UNGÜLTIG", "invalid", " Invalid "]).map(
            lambda cell: (None, "invalid", cell)),
    )


serials = st.text(string.ascii_letters + string.digits + "-/äöüÄÖÜ", min_size=1, max_size=12)
card = st.tuples(serials, *(answer_for(options) for _code, _title, options
                            in PFALZTHEATER_QUESTIONS))


@settings(max_examples=40)
@given(cards=st.lists(card, min_size=1, max_size=30, unique_by=lambda c: c[0].casefold()),
       order=st.permutations(["serial", *(code for code, _t, _o in PFALZTHEATER_QUESTIONS)]),
       delimiter=st.sampled_from([",", ";"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
       line_end=st.sampled_from(["\n", "\r\n"]))
def test_a_valid_file_imports_exactly_its_cards(vote, staff, cards, order, delimiter, encoding,
                                                line_end):
    prefix = f"{next(_stations)}-"  # the examples share the vote: serials must stay new
    codes = [code for code, _t, _o in PFALZTHEATER_QUESTIONS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow([column.upper() if column == "serial" and delimiter == ";" else column
                     for column in order])
    expected = {}
    for serial, *answers in cards:
        cells = dict(zip(codes, answers, strict=True))
        writer.writerow([prefix + serial if column == "serial" else cells[column][2]
                         for column in order])
        expected[prefix + serial] = {code: cells[code][:2] for code in codes}
    data = buffer.getvalue().encode(encoding)

    batch, parsed = batches.import_batch(vote, data, station=f"Stand {prefix}",
                                         collected_on=local_today(), entered_by=staff,
                                         file_name="karten.csv")
    db.session.commit()

    stored = {}
    rows = db.session.execute(
        select(Ballot.serial, Question.code, Option.code, BallotAnswer.kind)
        .join(BallotAnswer, BallotAnswer.ballot_id == Ballot.id)
        .join(Question, Question.id == BallotAnswer.question_id)
        .outerjoin(Option, Option.id == BallotAnswer.option_id)
        .where(Ballot.batch_id == batch.id)
    )
    for serial, question, option, kind in rows:
        stored.setdefault(serial, {})[question] = (option, kind)
    assert stored == expected
    assert len(parsed.cards) == len(cards)
