"""What can be commented on. Each feature registers its kind once (proposals: ideas, votes:
options, documents: sections; projects are registered here), so comments/ never imports a
feature's views and a feature never imports the comments' views.

A target answers: which project it belongs to (whose settings apply), whether a person may
see it (a hidden idea takes its comments with it), whether commenting on it is open now (it
closes with its phase), and where its thread is shown."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy import select

from ..core.time import local_today
from ..extensions import db
from ..projects.models import Project
from .models import LinkKind


@dataclass(frozen=True)
class TargetKind:
    kind: LinkKind
    model: type
    project_id: Callable[[Any], int]
    title: Callable[[Any], str]
    # The page that shows the thread (the idea's page, or the comments' own page).
    url: Callable[[Any], str]
    may_see: Callable[[Any, Any], bool]  # (target, viewer)
    # Whether the target's phase allows commenting today (the project's switch is apart).
    open: Callable[[Any], bool]
    # Where the target belongs, in words, for the moderators' queue ("Idea board X").
    context: Callable[[Any], str] | None = None
    # The version a comment is made on, for targets that have versions (sections).
    version: Callable[[Any], int | None] | None = None
    # Loader options for what `title` and `context` reach beyond the row (a vote option's
    # question and vote), so that many targets load in one query (the moderators' queue).
    load_options: Callable[[], tuple] | None = None


_kinds: dict[LinkKind, TargetKind] = {}


def register(target: TargetKind) -> None:
    _kinds[target.kind] = target


def kind(name: str) -> TargetKind | None:
    """The registered kind called `name` in URLs, if any."""
    try:
        return _kinds.get(LinkKind(name))
    except ValueError:
        return None


def of(kind_name: str) -> TargetKind:
    return _kinds[LinkKind(kind_name)]


def page_of(kind_name: str, target) -> str:
    """The target's page without its fragment (a comment's own anchor goes there)."""
    return of(kind_name).url(target).split("#", 1)[0]


def load(kind_name: str, target_id: int):
    """The target, or None (an unknown kind or id)."""
    target_kind = kind(kind_name)
    if target_kind is None:
        return None
    return db.session.scalar(select(target_kind.model)
                             .where(target_kind.model.id == target_id))


def load_many(kind_name: str, ids) -> list:
    """The targets of one kind with these ids that the session does not hold yet, in one
    query, with what their title and context show."""
    target_kind = of(kind_name)
    # Those the session holds already (e.g. joined by the queue's query) cost nothing.
    ids = {id_ for id_ in ids
           if db.session.identity_key(target_kind.model, id_) not in db.session.identity_map}
    if not ids:
        return []
    query = select(target_kind.model).where(target_kind.model.id.in_(ids))
    if target_kind.load_options is not None:
        query = query.options(*target_kind.load_options())
    return list(db.session.scalars(query).unique())


def _project_visible(project: Project, viewer) -> bool:
    from ..core.permissions import can

    return project.is_public or can(viewer, "manage_projects")


def _project_open(project: Project) -> bool:
    """Published (not a draft, not archived) and, where it has phases, not past the last."""
    if project.status != "published":
        return False
    return not project.phases or local_today() <= max(p.end_date for p in project.phases)


register(TargetKind(
    kind=LinkKind.PROJECT, model=Project, project_id=lambda project: project.id,
    title=lambda project: project.title,
    url=lambda project: url_for("projects.show", slug=project.slug) + "#comments",
    may_see=_project_visible,
    open=_project_open,
))
