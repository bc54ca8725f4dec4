"""The staff page that declares a vote's result final, after showing what counts."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.forms import Form
from ...core.permissions import require
from ...extensions import db
from .. import bp, services
from . import final
from .tally import final_words, tally


@bp.route("/manage/votes/<slug>/final", methods=["GET", "POST"])
@require("manage_projects")
def final_result(slug: str):
    vote = services.get_vote(slug) or abort(404)
    form = Form()
    if form.validate_on_submit():
        try:
            final.declare_final(vote, current_user)
        except final.FinalRefused as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The result is final."), "success")
            return redirect(url_for("votes.results", slug=vote.slug))
    results = tally(vote)
    return render_template(
        "votes/manage/final.html", vote=vote, results=results, form=form,
        pending=final.pending_batches(results), phase=services.phase(vote),
        final_words=final_words,
    )
