"""How the audit log names idea boards and ideas and says what was done to them."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core import audit
from ..core.audit import quoted
from ..extensions import db
from .models import Board, Feasibility, Idea, IdeaStatus

# What board.update lists as changed, named as the board's form names them.
BOARD_FIELDS = {
    "title": _l("Title"),
    "slug": _l("Web address (slug)"),
    "description": _l("Description"),
    "submit_until": _l("Ideas can be submitted until"),
    "support_from": _l("Supporting opens on"),
    "support_until": _l("Supporting is open until"),
    "support_limit": _l("Supports per person"),
    "map_enabled": _l("Map"),
    "premoderation": _l("Pre-moderation"),
    "competition": _l("Competition"),
    "rules": _l("Rules of the competition"),
}


def _load_boards(ids) -> dict[int, str]:
    return dict(db.session.execute(select(Board.id, Board.title).where(Board.id.in_(ids))).all())


def _idea_label(idea: Idea) -> dict:
    return {"title": idea.title, "board": idea.board.title}


def _load_ideas(ids) -> dict[int, dict]:
    rows = db.session.execute(select(Idea.id, Idea.title, Board.title)
                              .join(Board, Board.id == Idea.board_id).where(Idea.id.in_(ids)))
    return {id_: {"title": title, "board": board} for id_, title, board in rows}


def _idea_context(label: dict) -> str | None:
    return _("Board %(board)s", board=quoted(label["board"])) if label.get("board") else None


audit.register_target("boards", _l("Idea board"), label=lambda board: board.title,
                      load=_load_boards, show=quoted)
audit.register_target("ideas", _l("Idea"), label=_idea_label, load=_load_ideas,
                      show=lambda label: quoted(label["title"]), context=_idea_context)


def _board_sentence(action, name):
    return audit.sentence(action, name, target="boards")


def _idea_sentence(action, name):
    return audit.sentence(action, name, target="ideas")


def _status(value) -> str:
    try:
        return str(IdeaStatus.label_of(value))
    except ValueError:  # not a status (an entry of another shape)
        return str(value or "?")


# Boards ---------------------------------------------------------------------------------


@_board_sentence("board.create", _l("Idea board created"))
def _create(line):
    return _("Idea board %(board)s created", board=line.target)


@_board_sentence("board.update", _l("Idea board edited"))
def _update(line):
    changed = [str(BOARD_FIELDS.get(name, name)) for name in line.get("changed", [])]
    if not changed:
        return _("Idea board %(board)s saved without changes", board=line.target)
    return _("Idea board %(board)s edited: %(fields)s", board=line.target,
             fields=", ".join(changed))


@_board_sentence("board.publish", _l("Idea board published"))
def _publish(line):
    return _("Idea board %(board)s published", board=line.target)


@_board_sentence("board.category_add", _l("Category added"))
def _category_add(line):
    return _("Category %(name)s added to idea board %(board)s", name=quoted(line.get("name")),
             board=line.target)


@_board_sentence("board.category_update", _l("Category edited"))
def _category_update(line):
    if line.get("old") and line.get("old") != line.get("name"):
        return _("Category %(old)s of idea board %(board)s renamed to %(name)s",
                 old=quoted(line.get("old")), name=quoted(line.get("name")), board=line.target)
    return _("Category %(name)s of idea board %(board)s edited", name=quoted(line.get("name")),
             board=line.target)


@_board_sentence("board.category_delete", _l("Category deleted"))
def _category_delete(line):
    return _("Category %(name)s of idea board %(board)s deleted",
             name=quoted(line.get("name")), board=line.target)


# Ideas ----------------------------------------------------------------------------------


@_idea_sentence("idea.approve", _l("Idea approved"))
def _approve(line):
    return _("Idea %(idea)s approved and published", idea=line.target)


@_idea_sentence("idea.reject", _l("Idea rejected"))
def _reject(line):
    return _("Idea %(idea)s rejected: %(reason)s", idea=line.target, reason=line.get("reason"))


@_idea_sentence("idea.hide", _l("Idea hidden"))
def _hide(line):
    return _("Idea %(idea)s hidden by the moderation (%(flags)s reports): %(reason)s",
             idea=line.target, flags=line.get("flags", 0), reason=line.get("reason"))


@_idea_sentence("idea.keep", _l("Reports on an idea dismissed"))
def _keep(line):
    if line.get("reason"):
        return _("Idea %(idea)s kept, %(flags)s reports dismissed: %(reason)s",
                 idea=line.target, flags=line.get("flags", 0), reason=line.get("reason"))
    return _("Idea %(idea)s kept, %(flags)s reports dismissed", idea=line.target,
             flags=line.get("flags", 0))


@_idea_sentence("idea.answer", _l("Idea answered"))
def _answer(line):
    old, new = line.get("old"), line.get("new")
    if old == new:
        return _("Official answer to idea %(idea)s updated, status %(status)s",
                 idea=line.target, status=quoted(_status(new)))
    return _("Official answer to idea %(idea)s: status %(old)s changed to %(new)s",
             idea=line.target, old=quoted(_status(old)), new=quoted(_status(new)))


@_idea_sentence("idea.feasibility", _l("Idea's admissibility checked"))
def _feasibility(line):
    if line.get("new") == Feasibility.FEASIBLE:
        return _("Idea %(idea)s found admissible", idea=line.target)
    return _("Idea %(idea)s found not admissible", idea=line.target)


@_idea_sentence("idea.shortlist", _l("Shortlist changed"))
def _shortlist(line):
    if line.get("shortlisted"):
        return _("Idea %(idea)s put on the shortlist", idea=line.target)
    return _("Idea %(idea)s taken off the shortlist", idea=line.target)
