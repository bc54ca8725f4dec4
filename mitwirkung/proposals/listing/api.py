"""Open data: a board's published ideas as JSON, `GET /api/boards/<slug>/ideas`, a page of
at most PER_PAGE ideas at a time, oldest first (docs/api.md).

Only what everyone may read: public ideas (approved, not withdrawn) of a public board,
whoever asks; a draft board is a 404 for staff too. Links are built from SITE_URL, never
from the request's Host header."""

from flask import abort, current_app, jsonify, url_for
from sqlalchemy import select

from ...core.urls import page_arg
from .. import bp, services
from ..models import Idea
from . import services as listing

PER_PAGE = 100


def _link(endpoint: str, **values) -> str:
    return current_app.config["SITE_URL"] + url_for(endpoint, **values)


def idea_json(board, idea: Idea) -> dict:
    point = None
    if idea.latitude is not None:
        point = {"latitude": idea.latitude, "longitude": idea.longitude}
    return {
        "id": idea.id,
        "title": idea.title,
        "text": idea.text,
        "category": idea.category.name if idea.category else None,
        "status": idea.status,
        "supports": idea.supports_count,
        "created": idea.created_at.isoformat(timespec="seconds") + "Z",
        "place": idea.place,
        "coordinates": point,
        "url": _link("proposals.idea", slug=board.slug, idea_id=idea.id),
    }


@bp.route("/api/boards/<slug>/ideas")
def ideas_json(slug: str):
    board = services.get_board(slug)
    if board is None or not services.is_public(board):
        abort(404)
    query = (select(Idea).where(Idea.board_id == board.id, services.PUBLIC)
             .order_by(Idea.created_at, Idea.id))
    page = listing.paginate(board, query, page_arg(), PER_PAGE)
    return jsonify({
        "board": board.slug,
        "title": board.title,
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "per_page": PER_PAGE,
        "next": _link("proposals.ideas_json", slug=slug, page=page.next_num)
        if page.has_next else None,
        "ideas": [idea_json(board, idea) for idea in page.items],
    })
