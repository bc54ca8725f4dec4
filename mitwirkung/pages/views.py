"""Legal pages and the language switch."""

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.permissions import require
from ..core.redirects import safe_next
from ..extensions import db
from . import bp, services
from .forms import PageForm


@bp.route("/pages/<slug>")
def show(slug: str):
    page = services.get_page(slug)
    if page is None:
        abort(404)
    return render_template("pages/show.html", page=page, placeholder=services.placeholder_text())


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


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("projects.home")))
