"""A project's comment settings for staff: on or off, pre- or post-moderated. Shown as a
section of the project's staff page (core/project_sections.py), saved by its own route."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, RadioField, SelectChoice

from ..core import audit
from ..core.forms import Form
from ..core.permissions import require
from ..core.project_sections import Section
from ..extensions import db
from ..projects.models import Project
from . import bp, services
from .models import ModerationMode


class SettingsForm(Form):
    enabled = BooleanField(_l("People can comment in this project"))
    moderation = RadioField(_l("Moderation of comments"),
                            choices=[SelectChoice(mode.value, mode.label)
                                     for mode in ModerationMode])

    @classmethod
    def of(cls, project_id: int, **kwargs):
        saved = services.settings_of(project_id)
        return cls(data={"enabled": saved.enabled, "moderation": saved.moderation}, **kwargs)


def staff_section(project, _viewer) -> Section:
    return Section("comments/_project_settings.html",
                   {"form": SettingsForm.of(project.id, formdata=None)})


@bp.route("/manage/projects/<int:project_id>/comments", methods=["POST"])
@require("manage_projects")
def save_settings(project_id: int):
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404)
    form = SettingsForm()
    if form.validate_on_submit():
        old = services.settings_of(project.id)
        before = {"enabled": old.enabled, "moderation": old.moderation}
        saved = services.save_settings(project.id, enabled=form.enabled.data,
                                       moderation=form.moderation.data)
        audit.record(current_user, "project.comment_settings", project, old=before,
                     new={"enabled": saved.enabled, "moderation": saved.moderation})
        db.session.commit()
        flash(_("The comment settings are saved."), "success")
    else:
        flash(_("Please choose how comments are moderated."), "error")
    return redirect(url_for("projects.edit", project_id=project.id) + "#comment-settings")
