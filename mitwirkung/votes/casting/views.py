"""Vote pages: the ballot, its review step, the cast and the receipt."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...core.database import reads_first
from ...extensions import db
from .. import bp, services
from . import mixing
from . import services as casting
from .forms import BallotForm, field_name


# Casting has no rate limit of its own: a second ballot is refused by the unique constraint,
# each try needs a confirmed account's session and CSRF token, and the limiter cost more CPU
# per cast (2.5 ms, measured with make bench) than the ballot itself.
def _ballot_page(vote, selected: dict):
    """The vote page; its ballot form is pre-filled with `selected` (question -> option code)."""
    return render_template(
        "votes/show.html",
        vote=vote,
        form=BallotForm(),
        phase=services.phase(vote),
        voted=services.has_voted(vote, current_user),
        results_visible=services.results_visible(vote, current_user),
        field_name=field_name,
        selected=selected,
    )


def _unreadable_ballot(vote, error: casting.InvalidBallot):
    """400 for a ballot that names no choice of this vote (an option removed since the page
    was loaded, or a tampered form), with the ballot as it is now, to vote again."""
    flash(str(error), "error")
    return _ballot_page(vote, selected={}), 400


def _codes(vote) -> list[str]:
    return [question.code for question in vote.questions]


def _visible_vote_or_404(slug: str):
    vote = services.get_vote(slug)
    if vote is None or not services.may_see(vote, current_user):
        abort(404)
    return vote


@bp.route("/votes/<slug>")
def show(slug: str):
    return _ballot_page(_visible_vote_or_404(slug), selected={})


@bp.route("/votes/<slug>/card")
def paper_card(slug: str):
    """The paper card to print, with the codes staff type in (votes/paper/)."""
    return render_template("votes/card.html", vote=_visible_vote_or_404(slug))


@bp.route("/votes/<slug>/review", methods=["POST"])
@login_required
def review(slug: str):
    vote = _visible_vote_or_404(slug)
    form = BallotForm()
    if not form.validate_on_submit():
        abort(400)
    if services.has_voted(vote, current_user):  # the review sent again, e.g. from history
        flash(str(casting.AlreadyVoted()), "error")
        return redirect(url_for("votes.show", slug=slug))
    try:
        answers = casting.answers_from(request.form, _codes(vote))
        chosen = casting.resolve_answers(vote, answers)
    except casting.InvalidBallot as error:
        return _unreadable_ballot(vote, error)
    return render_template(
        "votes/review.html", vote=vote, form=form, chosen=chosen, answers=answers,
        field_name=field_name, mix_size=mixing.mix_size(),
    )


@bp.route("/votes/<slug>/change", methods=["POST"])
@login_required
def change(slug: str):
    """Back from the review to the ballot, with the choices kept."""
    vote = _visible_vote_or_404(slug)
    try:
        answers = casting.answers_from(request.form, _codes(vote))
    except casting.InvalidBallot as error:
        return _unreadable_ballot(vote, error)
    return _ballot_page(vote, selected=answers)


@bp.route("/votes/<slug>/cast", methods=["POST"])
@reads_first
@login_required
def cast(slug: str):
    # CSRFProtect has checked the token before the view (every POST); no form object needed.
    try:
        cast = casting.cast_online(slug, current_user, request.form)
    except casting.VoteNotFound:
        abort(404)
    except casting.InvalidBallot as error:
        db.session.rollback()
        return _unreadable_ballot(_visible_vote_or_404(slug), error)
    except casting.VoteError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("votes.show", slug=slug))
    db.session.commit()  # the receipt's promise holds from here, also if the mix fails
    mixing.mix_if_due(cast.vote_id, cast.waiting)
    return redirect(url_for("votes.receipt", slug=slug))


@bp.route("/votes/<slug>/receipt")
@login_required
def receipt(slug: str):
    vote = _visible_vote_or_404(slug)
    if not services.has_voted(vote, current_user):
        return redirect(url_for("votes.show", slug=slug))
    return render_template(
        "votes/receipt.html", vote=vote, mix_size=mixing.mix_size(),
        results_visible=services.results_visible(vote, current_user),
    )
