"""A survey's page, its answering pages and the thank-you page."""

import secrets

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse

from ...core import rate_limits
from ...core.database import reads_first
from ...extensions import db, limiter
from .. import answers as rules
from .. import bp, services
from . import boxes, mixing, steps, survey_cache
from . import services as answering

# Every page sent counts per account, or for visitors per address; a stored response from
# a visitor also against SEND_LIMITS per address (an account answers once: the unique
# constraint decides). Per account, since a staff survey is answered by the whole city
# hall from one address; generous per address, which a library or a school shares.
PAGE_LIMIT = "60 per minute;600 per hour"
SEND_LIMITS = (parse("10 per minute"), parse("100 per hour"))

# A random value per browser: its hash, with the survey, is a visitor's participation.
BROWSER_COOKIE = "mw_survey_browser"
BROWSER_COOKIE_AGE = 365 * 24 * 3600


def _page_limit_key() -> str:
    if session.get("_user_id"):  # signed in (the account itself is not loaded here)
        return rate_limits.account_key("survey-pages:account")
    return f"survey-pages:{request.remote_addr or 'unknown'}"


def _survey_or_404(slug: str, user=current_user):
    survey = survey_cache.survey(slug)
    if survey is None or not services.may_see(survey, user):
        abort(404)
    return survey


def _browser_key(survey, user=current_user):
    if user.is_authenticated:
        return None
    return answering.browser_key(survey, request.cookies.get(BROWSER_COOKIE))


def _js() -> bool:
    """Whether the page is shown whole, its conditions decided live by the script (which
    asks for it); without it, a page is split into steps."""
    return (request.values.get("js") or "") == "1"


@bp.route("/surveys/<slug>")
def show(slug: str):
    survey = _survey_or_404(slug)
    standing = answering.standing(survey, current_user, _browser_key(survey))
    return render_template(
        "surveys/show.html", survey=survey, standing=standing,
        pages=steps.page_count(survey), mix_size=mixing.mix_size(),
        results_visible=services.results_visible(survey, current_user))


def _page(survey, page: answering.Page, status: int = 200):
    all_steps = page.all_steps or steps.steps(survey, split=not page.js)
    step = page.step
    shown = steps.shown(step, page.answers)
    return render_template(
        "surveys/answer.html", survey=survey, step=step, shown=shown,
        token=answering.seal(survey, page.answers, step, page.js), values=page.values,
        errors=page.errors, js=page.js, pages=steps.page_count(survey),
        first=steps.previous_step(all_steps, step.index, page.answers) is None,
        last=page.confirm or not steps.possibly_later(all_steps, step, page.answers),
        confirm=page.confirm,
        hidden={question.id for question in shown
                if steps.live_conditioned(step, question)
                and not rules.condition_holds(question, page.answers)},
        live=lambda question: steps.live_conditioned(step, question),
        box=boxes.box_maker(survey, page.values, page.errors),
        field_name=rules.field_name, bounds=rules.bounds,
        format_number=rules.format_number), status


@bp.route("/surveys/<slug>/answer", methods=["GET", "POST"])
@limiter.limit(PAGE_LIMIT, methods=["POST"], key_func=_page_limit_key)
@reads_first
def answer(slug: str):
    """GET: the first page (prefilled when a response may be changed). POST: a page sent;
    the next page, the same with its errors, or, after the last, the response stored."""
    # The account (or the anonymous user) once, not through current_user's proxy each time.
    user = current_user._get_current_object()
    survey = _survey_or_404(slug, user)
    if request.method == "GET":
        blocked = answering.standing(survey, user, _browser_key(survey, user)).obstacle
    else:
        # The pages in between store nothing: whether this person has answered already is
        # decided when the response is sent (the participation's unique constraints), and
        # the first page told them before they began.
        blocked = answering.obstacle(survey, user)
    if blocked is not None:
        flash(str(blocked()), "error")
        return redirect(url_for("surveys.show", slug=slug))
    if not survey.questions:
        abort(404)
    if request.method == "GET":
        return _page(survey, answering.start(survey, user, _js()))
    try:
        turned = answering.turn(survey, request.form, _js())
    except answering.StaleForm as error:
        flash(str(error), "error")
        return _page(survey, answering.start(survey, user, _js()), 400)
    if isinstance(turned, answering.Page):
        return _page(survey, turned, 400 if turned.errors else 200)
    return _send(survey, user, turned.answers)


def _send(survey, user, checked: rules.Answers):
    cookie = request.cookies.get(BROWSER_COOKIE)
    new_cookie = None
    if not user.is_authenticated:
        if not _within_send_limits():
            flash(_("Many responses have come from your network in a short time. Please "
                    "wait a minute and send again."), "error")
            return _page(survey, _last_page(survey, checked), 429)
        if not cookie:
            cookie = new_cookie = secrets.token_urlsafe(32)
    try:
        sent = answering.send(survey, user, checked,
                              browser=answering.browser_key(survey, cookie))
    except rules.ResponseError as error:  # the survey changed since the page was checked
        db.session.rollback()
        all_steps = steps.steps(survey, split=not _js())
        step = steps.step_of(all_steps, next(iter(error.errors)))
        return _page(survey, answering.Page(step, checked, answering.values_of(
            survey.questions, checked), error.errors, _js()), 400)
    except answering.AnswerRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("surveys.show", slug=survey.slug))
    db.session.commit()  # stored from here, also if the mix fails
    if sent.waiting:
        mixing.mix_if_due(sent.survey_id, sent.waiting)
    if not user.is_authenticated:
        _count_send()
    # The quiz score travels in the person's own (signed) session cookie: for an anonymous
    # survey the server keeps nothing that could show it again.
    session["survey_sent"] = {"survey": survey.id, "replaced": sent.replaced,
                              "quiz": answering.quiz_outcome(survey, checked)
                              if survey.quiz else {}}
    response = redirect(url_for("surveys.thanks", slug=survey.slug))
    if new_cookie:
        response.set_cookie(BROWSER_COOKIE, new_cookie, max_age=BROWSER_COOKIE_AGE,
                            path="/surveys", httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response


def _last_page(survey, checked: rules.Answers) -> answering.Page:
    """The last page, as it was sent, to send again (what was answered stays)."""
    all_steps = steps.steps(survey, split=not _js())
    asked = [question for question in survey.questions if str(question.id) in checked]
    step = steps.step_of(all_steps, asked[-1].id if asked else None)
    return answering.Page(step, checked, answering.values_of(survey.questions, checked),
                          js=_js())


def _send_key() -> str:
    return f"survey-send:{request.remote_addr or 'unknown'}"


def _within_send_limits() -> bool:
    if not limiter.enabled:
        return True
    return all(rate_limits.test(limit, _send_key()) for limit in SEND_LIMITS)


def _count_send() -> None:
    if limiter.enabled:
        for limit in SEND_LIMITS:
            rate_limits.hit(limit, _send_key())


@bp.route("/surveys/<slug>/thanks")
def thanks(slug: str):
    survey = _survey_or_404(slug)
    standing = answering.standing(survey, current_user, _browser_key(survey))
    if not standing.answered:
        return redirect(url_for("surveys.show", slug=slug))
    sent = session.get("survey_sent") or {}
    if sent.get("survey") != survey.id:
        sent = {}
    quiz = sent.get("quiz") or {}
    scored = [(question, quiz[str(question.id)]) for question in survey.questions
              if str(question.id) in quiz]
    return render_template(
        "surveys/thanks.html", survey=survey, standing=standing, scored=scored,
        right=sum(1 for _question, right in scored if right),
        replaced=sent.get("replaced", False), mix_size=mixing.mix_size(),
        results_visible=services.results_visible(survey, current_user))
