"""The one CSV profile: `;`, UTF-8 with BOM, CRLF, the locale's decimal mark, and no cell a
spreadsheet would run as a formula."""

import pytest

from mitwirkung.core.csv_export import csv_response, csv_text, safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\n=1",
                                  " =1+1", "=HYPERLINK(\"http://x\")"])
def test_text_that_starts_a_formula_becomes_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["\x00=1+1", "\x01+1", "\x1b@x", "=\x00"])
def test_control_characters_are_dropped_before_the_check(text):
    cell = safe_cell(text)
    assert cell.startswith("'=") or cell.startswith("'+") or cell.startswith("'@")
    assert not any(ord(ch) < 32 and ch not in "\t\r\n" for ch in cell)


def test_numbers_stay_numbers(app_ctx):
    assert safe_cell(-3) == -3 and safe_cell(0) == 0 and safe_cell(None) == ""
    assert safe_cell(True) == 1
    assert safe_cell("Grünes Band") == "Grünes Band"


def test_decimals_use_the_locales_mark(app):
    with app.test_request_context():
        assert safe_cell(60.5) == "60,5" and safe_cell(100.0) == "100"
    with app.test_request_context() as context:
        context.session["lang"] = "en"
        assert safe_cell(60.5) == "60.5"


def test_the_file_has_bom_semicolons_and_crlf(app_ctx):
    text = csv_text([("a", "b;c", 'd"e'), (1, 2.5, None)])
    assert text == '\ufeffa;"b;c";"d""e"\r\n1;2,5;\r\n'


def test_a_download_is_an_attachment_and_never_cached(app_ctx):
    response = csv_response([("a",)], "x.csv")
    assert response.headers["Content-Disposition"] == "attachment; filename=x.csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/csv"
