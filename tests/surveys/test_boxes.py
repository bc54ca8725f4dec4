"""Question boxes kept per survey (answering/boxes.py): a kept box never carries one
person's answers or errors to another, follows the language, and a change by staff."""

import re

from mitwirkung.extensions import db
from mitwirkung.surveys.answering import survey_cache

from .answering import send, start
from .conftest import html


def _checked(text: str) -> int:
    return len(re.findall(r"\schecked\b", text))


def test_nobody_sees_another_persons_answers_or_errors(three_pages, as_):
    q = three_pages
    first, second = as_("citizen"), as_("citizen")
    page = start(first, "arbeitsweg")
    page = send(first, "arbeitsweg", page, {f"q{q['way'].id}": q["way"].options[0].id})
    page = send(first, "arbeitsweg", page, {f"q{q['parking'].id}": q["parking"].options[0].id})
    page = send(first, "arbeitsweg", page, {f"q{q['hours'].id}": "acht",
                                            f"q{q['scale'].id}": "4"})
    mine = html(page)
    assert page.status_code == 400 and 'value="acht"' in mine and _checked(mine) == 1
    assert survey_cache.rendered(q["survey"]), "the untouched boxes were kept"

    theirs = start(second, "arbeitsweg")  # page 1, kept boxes: nothing of the first person
    assert _checked(html(theirs)) == 0
    theirs = send(second, "arbeitsweg", theirs, {f"q{q['way'].id}": q["way"].options[1].id})
    text = html(theirs)
    assert "Page 2 of 3" in text and 'value="acht"' not in text and _checked(text) == 0
    assert "Please enter a number" not in text and 'aria-invalid' not in text

    # The first person going back finds their own answers again, the kept boxes aside.
    back = send(first, "arbeitsweg", page, {f"q{q['hours'].id}": "8"}, action="back")
    text = html(back)
    assert "Gibt es einen Stellplatz?" in text and _checked(text) == 1


def test_a_kept_box_is_in_the_language_of_the_page_and_follows_changes(three_pages, as_):
    q = three_pages
    english, german = as_("citizen"), as_("citizen")
    assert "(required)" in html(start(english, "arbeitsweg"))
    german.post("/language", data={"lang": "de", "next": "/"})
    text = html(start(german, "arbeitsweg"))
    assert "(Pflichtfrage)" in text and "(required)" not in text
    assert "(required)" in html(start(english, "arbeitsweg"))

    q["way"].title = "Wie kommen Sie meistens zur Arbeit?"  # a typo fix by staff
    db.session.commit()
    assert "Wie kommen Sie meistens zur Arbeit?" in html(start(english, "arbeitsweg"))
    assert "Wie kommen Sie meistens zur Arbeit?" in html(start(german, "arbeitsweg"))
