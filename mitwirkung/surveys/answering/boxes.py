"""A question's box on an answering page, rendered once while nobody's answer is in it.

Most boxes a page shows hold nothing of the person yet (the pages are answered forwards):
such a box is the same for everyone who sees it in the same language and the same way
(shown whole with its live condition, or hidden), and it rendered as about three quarters
of a page. So it is kept with the kept survey (survey_cache.rendered), which a new
version of the survey replaces; a box with a value or an error is rendered every time.
"""

from collections.abc import Callable, Mapping

from flask_babel import get_locale
from markupsafe import Markup

from .. import answers as rules
from ..models import Survey, SurveyQuestion
from . import survey_cache


def untouched(question: SurveyQuestion, values: Mapping[str, list[str]],
              errors: Mapping[int, str]) -> bool:
    """Whether the box of `question` shows nothing of the person: no value in any of its
    fields (the question's own, "_other", a matrix statement's) and no error."""
    if question.id in errors:
        return False
    name = rules.field_name(question)
    return not any(key == name or key.startswith(name + "_") for key in values)


def box_maker(survey: Survey, values: Mapping[str, list[str]], errors: Mapping[int, str]):
    """For the template: box(question, render, live, hidden, lang), where `render` is its
    macro, called as render(question, values, errors, live=, hidden=, lang=)."""
    kept = survey_cache.rendered(survey)
    locale = str(get_locale())

    def box(question: SurveyQuestion, render: Callable[..., Markup], live: bool,
            hidden: bool, lang: Markup) -> Markup:
        if not untouched(question, values, errors):
            return render(question, values, errors, live=live, hidden=hidden, lang=lang)
        key = ("box", question.id, locale, bool(live), bool(hidden), str(lang))
        found = kept.get(key)
        if found is None:
            found = kept[key] = render(question, {}, {}, live=live, hidden=hidden, lang=lang)
        return found

    return box
