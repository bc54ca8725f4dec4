"""The site's pages, accessibility feedback, the site settings and the language switch."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..core.image_fields import image_upload_message
from ..core.permissions import require
from ..core.redirects import safe_next
from ..core.request_guard import allow_large_body
from ..core.uploads import MAX_CAPTIONS_BYTES, MAX_VIDEO_BYTES, UploadRejected
from ..core.urls import page_arg
from ..extensions import db, limiter
from . import bp, feedback, services, settings
from .forms import FeedbackForm, PageForm, SettingsForm, SignVideoForm

# Templates of the pages that show more than their text.
PAGE_TEMPLATES = {services.STATEMENT: "pages/statement.html",
                  services.EASY_LANGUAGE: "pages/easy_language.html"}
# Like the other public forms that send mail (register, reset).
FEEDBACK_LIMIT = "5 per minute;20 per hour"


@bp.route("/pages/<slug>")
def show(slug: str):
    page = services.get_page(slug)
    if page is None:
        abort(404)
    return render_template(
        PAGE_TEMPLATES.get(slug, "pages/show.html"), page=page,
        placeholder=services.placeholder_text(), open_placeholders=services.open_placeholders(page),
    )


@bp.route("/pages/<slug>/edit", methods=["GET", "POST"])
@require("edit_pages")
def edit(slug: str):
    page = services.get_page(slug)
    if page is None:
        abort(404)
    form = PageForm(obj=page)
    if form.validate_on_submit():
        services.save_page(current_user, page, form.title.data, form.body.data)
        db.session.commit()
        flash(_("The page is saved."), "success")
        return redirect(url_for("pages.show", slug=slug))
    return render_template("pages/edit.html", form=form, page=page)


# Accessibility feedback ------------------------------------------------------------------


@bp.route("/accessibility/feedback", methods=["GET", "POST"])
@limiter.limit(FEEDBACK_LIMIT, methods=["POST"])
def feedback_form():
    form = FeedbackForm()
    if request.method == "GET":
        form.page.data = feedback.page_from_link(request.args.get("page"))
    if form.validate_on_submit():
        feedback.submit_feedback(form.message.data, form.name.data, form.email.data,
                                 form.page.data)
        db.session.commit()
        return redirect(url_for("pages.feedback_sent", answer="1" if form.email.data else None))
    return render_template("pages/feedback.html", form=form)


@bp.route("/accessibility/feedback/sent")
def feedback_sent():
    return render_template("pages/feedback_sent.html", answer=request.args.get("answer") == "1")


@bp.route("/admin/feedback")
@require("read_feedback")
def feedback_list():
    return render_template("pages/feedback_list.html",
                           pagination=feedback.feedback_messages(page_arg()))


# Site settings ---------------------------------------------------------------------------


@bp.route("/admin/settings", methods=["GET", "POST"])
@require("edit_settings")
def site_settings():
    current = settings.get_settings()
    form = SettingsForm(obj=current)
    form.has_logo = current.logo is not None
    if form.validate_on_submit():
        try:
            settings.save_settings(current_user, form.values(), logo=form.logo_file.data,
                                   remove_logo=form.remove_logo.data)
        except settings.SettingsError as error:
            db.session.rollback()
            form[error.field].errors.append(str(error))
        except UploadRejected as error:
            db.session.rollback()
            form.logo_file.errors.append(image_upload_message(error))
        else:
            db.session.commit()
            flash(_("The settings are saved."), "success")
            return redirect(url_for("pages.site_settings"))
    return render_template("pages/settings.html", form=form, current=current)


@bp.route("/admin/sign-language-video", methods=["GET", "POST"])
@allow_large_body(MAX_VIDEO_BYTES + MAX_CAPTIONS_BYTES + 64 * 1024, "edit_settings")
@require("edit_settings")
def sign_video():
    current = settings.get_settings()
    form = SignVideoForm()
    if form.validate_on_submit():
        try:
            settings.save_sign_video(current_user, video=form.video.data,
                                     captions=form.captions.data, remove=form.remove.data)
        except settings.SettingsError as error:
            db.session.rollback()
            form[error.field].errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The sign-language video is saved."), "success")
            return redirect(url_for("pages.show", slug=services.EASY_LANGUAGE))
    return render_template("pages/sign_video.html", form=form, current=current)


@bp.route("/theme.css")
def theme():
    """The city's colour as a stylesheet: no inline styles, which the CSP forbids. Its link
    carries the settings' version, so the version asked for may be cached for ever."""
    current = settings.settings_for_display()
    response = Response(settings.theme_css(current), mimetype="text/css")
    if request.args.get("v") == str(current.version):
        response.cache_control.public = True
        response.cache_control.max_age = 365 * 86400
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response


# The language switch -----------------------------------------------------------------------


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("projects.home")))


# For every template ------------------------------------------------------------------------


def feedback_url() -> str:
    """The link to the feedback form that names the page it is on; a page whose address
    holds a secret (a link's token) is not named."""
    if request.endpoint in ("pages.feedback_form", "pages.feedback_sent"):
        return url_for("pages.feedback_form")
    if request.view_args and "token" in request.view_args:
        return url_for("pages.feedback_form")
    return url_for("pages.feedback_form", page=request.path)


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(site_settings=settings.settings_for_display,
                                       feedback_url=feedback_url)
