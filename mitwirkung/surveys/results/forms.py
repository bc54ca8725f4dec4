"""The two GET forms of the results: the breakdown choice and the free-text search. Read
from the query string, so they work without JavaScript and every view has an address."""

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from ...core.forms import Form
from .services import SEARCH_MAX


class BreakdownForm(Form):
    class Meta:
        csrf = False

    by = SelectField(_l("Break every figure down by the answer to"), validate_choice=False,
                     description=_l("Only questions with one answer each (single choice, "
                                    "yes or no) are offered."))

    def __init__(self, formdata, questions, **kwargs):
        super().__init__(formdata, **kwargs)
        self.by.choices = [("", _l("No breakdown"))] + [
            (str(question.id), f"{number}. {question.title}")
            for number, question in questions]


class TextSearchForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Search the answers"), validators=[Optional(), Length(max=SEARCH_MAX)],
                    description=_l("Words or parts of words; upper and lower case are the "
                                   "same."))
