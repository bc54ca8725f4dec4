"""The public pages of a text: the text with its sections and their comment counts, a
section with its comments, and what changed in a section since an earlier version."""

from flask import abort, render_template, request
from flask_login import current_user

from ..core.urls import MAX_ID
from . import bp, services

TEXT = "/projects/<slug>/texts/<text_slug>"


def _text_or_404(slug: str, text_slug: str):
    return services.find_text(slug, text_slug, current_user) or abort(404)


def _section_or_404(document, section_id: int):
    return services.find_section(document, section_id) or abort(404)


@bp.route(TEXT)
def show(slug: str, text_slug: str):
    document = _text_or_404(slug, text_slug)
    return render_template("documents/show.html", page=services.text_page(document),
                           document=document, project=document.project,
                           versions=services.versions_of(document))


@bp.route(TEXT + "/sections/<int:section_id>")
def section(slug: str, text_slug: str, section_id: int):
    document = _text_or_404(slug, text_slug)
    part = _section_or_404(document, section_id)
    return render_template("documents/section.html", document=document, section=part,
                           project=document.project)


@bp.route(TEXT + "/sections/<int:section_id>/changes")
def changes(slug: str, text_slug: str, section_id: int):
    document = _text_or_404(slug, text_slug)
    part = _section_or_404(document, section_id)
    since = request.args.get("since", type=int)
    if since is not None and not 1 <= since <= MAX_ID:
        since = None
    return render_template("documents/changes.html", document=document, section=part,
                           project=document.project,
                           result=services.section_changes(part, since))
