"""The results page of a survey (optionally broken down by one choice question) and the
staff-only list of a question's free texts."""

from functools import lru_cache

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from ...core.urls import page_arg
from .. import bp, services
from ..models import Survey, SurveyQuestion
from . import services as results
from .forms import BreakdownForm, TextSearchForm

# A results page shows a thousand numbers; Babel's format_decimal takes some 50 us each, so
# these write them as it would ("1.234", "8,53", "60,5 %" in German) from the locale's two
# symbols.

@lru_cache(maxsize=16)
def _symbols(locale: str) -> tuple[str, str]:
    return get_group_symbol(locale), get_decimal_symbol(locale)


def _localised(text: str) -> str:
    group, decimal = _symbols(str(get_locale()))
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


@bp.app_template_filter("survey_count")
def count_filter(value: int) -> str:
    """A count with the locale's thousands separator."""
    return _localised(f"{value:,d}")


@bp.app_template_filter("survey_share")
def share_filter(value) -> str:
    """A percentage to one decimal: "60,5 %" (a dash for none)."""
    return "\u2013" if value is None else _localised(f"{value:,.1f}") + "\u00a0%"


@bp.app_template_filter("statistic")
def statistic(value) -> str:
    """A mean, median, minimum or maximum: up to two decimals (a dash for none)."""
    if value is None:
        return "\u2013"
    text = f"{round(value, 2):,.2f}".rstrip("0").rstrip(".")
    return _localised("0" if text == "-0" else text)


def visible_survey_or_404(slug: str) -> Survey:
    """The survey, or 404 for one the person may not see at all (drafts, staff-only)."""
    survey = services.get_survey(slug)
    if survey is None or not services.may_see(survey, current_user):
        abort(404)
    return survey


@bp.route("/surveys/<slug>/results")
def results_page(slug: str):
    survey = visible_survey_or_404(slug)
    if not services.results_visible(survey, current_user):
        if services.count_visible(survey, current_user):
            return render_template("surveys/results_count.html", survey=survey,
                                   responses=services.response_count(survey))
        abort(403)
    try:
        by = results.breakdown_question(survey, request.args.get("by"))
    except results.NoSuchBreakdown:
        abort(404)
    numbers = {question.id: number for number, question in enumerate(survey.questions, 1)}
    form = BreakdownForm(request.args, [(numbers[question.id], question) for question
                                        in results.breakdown_choices(survey)])
    return render_template(
        "surveys/results.html", survey=survey, results=results.results(survey, by),
        form=form, numbers=numbers, staff=services.is_staff(current_user),
        phase=services.phase(survey), has_texts=results.has_texts)


def _question_or_404(survey: Survey, question_id: int) -> SurveyQuestion:
    for question in survey.questions:
        if question.id == question_id and results.has_texts(question):
            return question
    abort(404)


@bp.route("/surveys/<slug>/results/questions/<int:question_id>/texts")
def results_texts(slug: str, question_id: int):
    """Free texts are not moderated: staff only, never the public."""
    survey = visible_survey_or_404(slug)
    if not services.is_staff(current_user):
        abort(403)
    question = _question_or_404(survey, question_id)
    form = TextSearchForm(request.args)
    search = form.q.data if form.validate() and form.q.data else ""
    page = results.texts(survey, question, search, page_arg())
    number = next(n for n, item in enumerate(survey.questions, 1) if item is question)
    return render_template("surveys/results_texts.html", survey=survey, question=question,
                           number=number, page=page, search=search, form=form)
