"""Staff pages to set up an idea board: the board, its categories, publishing."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ...core.domain import show_on_form
from ...core.permissions import require
from ...core.urls import id_arg
from ...extensions import db
from ...projects.models import Project
from ...projects.services import all_projects
from .. import bp, services
from ..models import Board, BoardStatus, Category
from . import services as setup
from .forms import BoardForm, CategoryForm, NewBoardForm


def _board_or_404(slug: str) -> Board:
    return services.get_board(slug) or abort(404)


def _category_or_404(board: Board, category_id: int) -> Category:
    for category in board.categories:
        if category.id == category_id:
            return category
    abort(404)


def _back(board: Board, anchor: str | None = None):
    return redirect(url_for("proposals.manage", slug=board.slug, _anchor=anchor))


@bp.route("/manage/boards/new", methods=["GET", "POST"])
@require("manage_projects")
def new_board():
    project_id = id_arg("project")
    if "project" in request.args and db.session.get(Project, project_id or 0) is None:
        abort(404)
    form = NewBoardForm(project_id=project_id)
    form.project_id.choices = [SelectChoice(0, _("Choose a project"))] + [
        SelectChoice(p.id, p.title) for p in all_projects()]
    if form.validate_on_submit():
        project = db.session.get(Project, form.project_id.data)
        try:
            board = setup.create_board(project, current_user, form.settings())
        except setup.SetupError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("The board was created as a draft. Add its categories, then publish it."),
                  "success")
            return _back(board)
    return render_template("proposals/manage/new.html", form=form)


@bp.route("/manage/boards/<slug>", methods=["GET", "POST"])
@require("manage_projects")
def manage(slug: str):
    board = _board_or_404(slug)
    published = board.status == BoardStatus.PUBLISHED
    form = BoardForm() if request.method == "POST" else BoardForm(obj=board)
    if published:
        del form.slug
    if form.validate_on_submit():
        try:
            setup.update_board(board, current_user,
                               form.settings(slug=board.slug if published else None))
        except setup.SetupError as error:
            if not show_on_form(form, error):
                flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The board was saved."), "success")
            return _back(board)
    return render_template("proposals/manage/board.html", board=board, form=form,
                           published=published, in_use=setup.categories_in_use(board))


@bp.route("/manage/boards/<slug>/publish", methods=["POST"])
@require("manage_projects")
def publish_board(slug: str):
    board = _board_or_404(slug)
    try:
        setup.publish_board(board, current_user)
    except setup.SetupError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The board is published."), "success")
    return _back(board)


@bp.route("/manage/boards/<slug>/categories/new", methods=["GET", "POST"])
@require("manage_projects")
def category_new(slug: str):
    board = _board_or_404(slug)
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            setup.add_category(board, current_user, form.name.data, form.colour.data)
        except setup.SetupError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("The category was added."), "success")
            return _back(board, "categories")
    return render_template("proposals/manage/category_form.html", board=board, form=form,
                           category=None)


@bp.route("/manage/boards/<slug>/categories/<int:category_id>/edit", methods=["GET", "POST"])
@require("manage_projects")
def category_edit(slug: str, category_id: int):
    board = _board_or_404(slug)
    category = _category_or_404(board, category_id)
    # A field left out of a POST is empty, not the stored value.
    form = CategoryForm() if request.method == "POST" else CategoryForm(obj=category)
    if form.validate_on_submit():
        try:
            setup.update_category(category, current_user, form.name.data, form.colour.data)
        except setup.SetupError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("The category was saved."), "success")
            return _back(board, "categories")
    return render_template("proposals/manage/category_form.html", board=board, form=form,
                           category=category)


@bp.route("/manage/boards/<slug>/categories/<int:category_id>/delete", methods=["POST"])
@require("manage_projects")
def category_delete(slug: str, category_id: int):
    board = _board_or_404(slug)
    category = _category_or_404(board, category_id)
    try:
        setup.delete_category(category, current_user)
    except setup.SetupError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The category was deleted."), "success")
    return _back(board, "categories")
