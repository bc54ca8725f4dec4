"""Staff pages of a text: create it on a project, its settings and versions, a new
version, and the export of its comments."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.csv_export import csv_response
from ..core.domain import show_on_form
from ..core.permissions import require
from ..extensions import db
from ..projects.models import Project
from . import bp, exports, parsing, services
from .forms import SettingsForm, TextForm, VersionForm
from .models import TextDocument


def _text_or_404(text_id: int) -> TextDocument:
    return db.session.get(TextDocument, text_id) or abort(404)


def _saved_message(report: services.VersionReport) -> str:
    if report.number == 1:
        return ngettext("The text was saved with %(num)d section.",
                        "The text was saved with %(num)d sections.", len(report.added))
    return _("Version %(number)d was saved: %(unchanged)d sections unchanged, %(changed)d "
             "changed, %(added)d new, %(removed)d no longer in the text.",
             number=report.number, unchanged=len(report.unchanged),
             changed=len(report.changed), added=len(report.added),
             removed=len(report.removed))


def _refused(form, error) -> None:
    """The reason beside its field; the typed text stays in the form."""
    db.session.rollback()
    if not show_on_form(form, error):
        form.markdown.errors.append(str(error))


@bp.route("/manage/projects/<int:project_id>/texts/new", methods=["GET", "POST"])
@require("manage_projects")
def new(project_id: int):
    project = db.session.get(Project, project_id) or abort(404)
    form = TextForm()
    if form.validate_on_submit():
        try:
            document, report = services.create_text(project, current_user, form.settings(),
                                                    form.source(), form.heading_depth.data)
        except (services.DocumentError, parsing.TextRejected) as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_saved_message(report), "success")
            return redirect(url_for(".manage", text_id=document.id))
    return render_template("documents/manage/new.html", project=project, form=form)


@bp.route("/manage/texts/<int:text_id>", methods=["GET", "POST"])
@require("manage_projects")
def manage(text_id: int):
    document = _text_or_404(text_id)
    form = SettingsForm() if request.method == "POST" else SettingsForm(obj=document)
    if form.validate_on_submit():
        try:
            services.update_settings(document, current_user, form.settings())
        except services.DocumentError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("The text was saved."), "success")
            return redirect(url_for(".manage", text_id=document.id))
    return render_template("documents/manage/text.html", document=document, form=form,
                           page=services.text_page(document),
                           versions=services.versions_of(document))


@bp.route("/manage/texts/<int:text_id>/versions/new", methods=["GET", "POST"])
@require("manage_projects")
def new_version(text_id: int):
    document = _text_or_404(text_id)
    latest = services.latest_version(document)
    form = VersionForm()
    if request.method == "GET" and latest is not None:
        form.markdown.data, form.heading_depth.data = latest.markdown, latest.heading_depth
    if form.validate_on_submit():
        try:
            report = services.new_version(document, current_user, form.source(),
                                          form.heading_depth.data)
        except (services.DocumentError, parsing.TextRejected) as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_saved_message(report), "success")
            return redirect(url_for(".manage", text_id=document.id))
    return render_template("documents/manage/version.html", document=document, form=form,
                           latest=latest)


@bp.route("/manage/texts/<int:text_id>/comments.csv")
@require("manage_projects")
def export(text_id: int):
    """Published comments; with ?all=1 every comment, with its moderation state."""
    document = _text_or_404(text_id)
    everything = request.args.get("all") == "1"
    rows = exports.rows(document, everything)
    suffix = "alle" if everything else "veroeffentlicht"
    return csv_response(rows, f"kommentare-{document.slug}-{suffix}.csv")
