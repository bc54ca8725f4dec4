"""Project views: the public home and project pages, and the staff pages."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core import project_sections
from ..core.image_fields import image_upload_message
from ..core.permissions import require
from ..core.time import local_today
from ..core.uploads import UploadRejected
from ..extensions import db
from . import bp, services
from .forms import DocumentForm, PhaseForm, ProjectForm
from .models import Document, Phase, Project


def _project_or_404(project_id: int) -> Project:
    return db.get_or_404(Project, project_id)


def _part_or_404(model, part_id: int, project_id: int):
    part = db.session.get(model, part_id)
    if part is None or part.project_id != project_id:
        abort(404)
    return part


# Public --------------------------------------------------------------------------------


@bp.route("/")
def home():
    groups = services.public_projects_by_stage(local_today())
    return render_template("projects/home.html", groups=groups)


@bp.route("/projects/<slug>")
def show(slug: str):
    page = services.project_page(slug, current_user, local_today())
    if page is None:
        abort(404)
    return render_template(
        "projects/show.html", page=page, project=page.project,
        sections=project_sections.sections("public", page.project, current_user),
    )


# Staff: projects -----------------------------------------------------------------------


@bp.route("/manage/projects")
@require("manage_projects")
def manage():
    return render_template("projects/manage.html", projects=services.all_projects())


@bp.route("/manage/projects/new", methods=["GET", "POST"])
@require("manage_projects")
def new():
    form = ProjectForm()
    if form.validate_on_submit():
        try:
            project = services.create_project(
                current_user, image=form.image_file.data, **form.values()
            )
        except services.SlugTaken:
            form.slug.errors.append(_("Another project already uses this web address."))
        except UploadRejected as error:
            form.image_file.errors.append(image_upload_message(error))
        else:
            db.session.commit()
            flash(_("The project was created as a draft."), "success")
            return redirect(url_for(".edit", project_id=project.id))
    return render_template("projects/project_form.html", form=form, project=None)


@bp.route("/manage/projects/<int:project_id>/edit", methods=["GET", "POST"])
@require("manage_projects")
def edit(project_id: int):
    project = services.project_with_parts(project_id) or abort(404)
    form = ProjectForm(obj=project)
    form.has_image = project.image is not None
    if form.validate_on_submit():
        try:
            services.update_project(
                project,
                current_user,
                image=form.image_file.data,
                remove_image=form.remove_image.data,
                **form.values(),
            )
        except services.SlugTaken:
            form.slug.errors.append(_("Another project already uses this web address."))
        except UploadRejected as error:
            form.image_file.errors.append(image_upload_message(error))
        else:
            db.session.commit()
            flash(_("The project was saved."), "success")
            return redirect(url_for(".edit", project_id=project.id))
    return render_template(
        "projects/project_form.html", form=form, project=project,
        sections=project_sections.sections("staff", project, current_user),
    )


@bp.route("/manage/projects/<int:project_id>/publish", methods=["POST"])
@require("manage_projects")
def publish(project_id: int):
    project = _project_or_404(project_id)
    try:
        services.publish_project(project, current_user)
    except services.StatusChangeRefused:
        flash(_("This project is already published."), "error")
    else:
        db.session.commit()
        flash(_("The project is now public."), "success")
    return redirect(url_for(".manage"))


@bp.route("/manage/projects/<int:project_id>/archive", methods=["POST"])
@require("manage_projects")
def archive(project_id: int):
    project = _project_or_404(project_id)
    try:
        services.archive_project(project, current_user)
    except services.StatusChangeRefused:
        flash(_("Only a published project can be archived."), "error")
    else:
        db.session.commit()
        flash(_("The project was archived."), "success")
    return redirect(url_for(".manage"))


# Staff: phases -------------------------------------------------------------------------


@bp.route("/manage/projects/<int:project_id>/phases/new", methods=["GET", "POST"])
@require("manage_projects")
def phase_new(project_id: int):
    project = _project_or_404(project_id)
    form = PhaseForm()
    if form.validate_on_submit():
        try:
            services.add_phase(project, current_user, **form.values())
        except services.InvalidDates:
            form.end_date.errors.append(_("The end date must not be before the start date."))
        else:
            db.session.commit()
            flash(_("The phase was added."), "success")
            return redirect(url_for(".edit", project_id=project.id, _anchor="phases"))
    return render_template("projects/phase_form.html", form=form, project=project, phase=None)


@bp.route("/manage/projects/<int:project_id>/phases/<int:phase_id>/edit", methods=["GET", "POST"])
@require("manage_projects")
def phase_edit(project_id: int, phase_id: int):
    phase = _part_or_404(Phase, phase_id, project_id)
    form = PhaseForm(obj=phase)
    if form.validate_on_submit():
        try:
            services.update_phase(phase, current_user, **form.values())
        except services.InvalidDates:
            form.end_date.errors.append(_("The end date must not be before the start date."))
        else:
            db.session.commit()
            flash(_("The phase was saved."), "success")
            return redirect(url_for(".edit", project_id=project_id, _anchor="phases"))
    return render_template(
        "projects/phase_form.html", form=form, project=phase.project, phase=phase
    )


@bp.route("/manage/projects/<int:project_id>/phases/<int:phase_id>/delete", methods=["POST"])
@require("manage_projects")
def phase_delete(project_id: int, phase_id: int):
    phase = _part_or_404(Phase, phase_id, project_id)
    services.delete_phase(phase, current_user)
    db.session.commit()
    flash(_("The phase was deleted."), "success")
    return redirect(url_for(".edit", project_id=project_id, _anchor="phases"))


# Staff: documents ----------------------------------------------------------------------


@bp.route("/manage/projects/<int:project_id>/documents/new", methods=["GET", "POST"])
@require("manage_projects")
def document_new(project_id: int):
    project = _project_or_404(project_id)
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            services.add_document(
                project, current_user, title=form.title.data, stream=form.file.data
            )
        except UploadRejected as error:
            message = (
                _("The file is larger than 5 MB.")
                if error.args and error.args[0] == "size"
                else _("This is not a valid PDF file.")
            )
            form.file.errors.append(message)
        else:
            db.session.commit()
            flash(_("The document was uploaded."), "success")
            return redirect(url_for(".edit", project_id=project.id, _anchor="documents"))
    return render_template("projects/document_form.html", form=form, project=project)


@bp.route("/manage/projects/<int:project_id>/documents/<int:document_id>/delete", methods=["POST"])
@require("manage_projects")
def document_delete(project_id: int, document_id: int):
    document = _part_or_404(Document, document_id, project_id)
    services.delete_document(document, current_user)
    db.session.commit()
    flash(_("The document was deleted."), "success")
    return redirect(url_for(".edit", project_id=project_id, _anchor="documents"))
