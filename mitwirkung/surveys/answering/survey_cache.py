"""The survey as the answering pages see it, read once per process and kept while it holds
(as votes/casting/ballot_box.py keeps ballot boxes).

Every answering page needs the survey with its questions, options and statements: four
queries and their loading, about a third of a page's time, for data that changes only
while staff build the survey (and locks once anyone has answered). Each change replaces
the survey's random `version` (surveys/models.py, mapper events), so a page reads the
version and the project's status in one small query and takes the kept survey when both
match; otherwise it reads the survey again. The same query reads the content version,
under which the header's settings are kept (pages/settings.py). A kept survey is detached
from any database session and only read. What counts is still decided by the database
when a response is sent: the participation's statement refuses a sealed survey, and the
whole response is checked against the questions of the version it was read at.

With the survey, each process keeps what its pages render from it alone (answering/
boxes.py: a question's box before anyone's answer is in it): new with every new version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, select

from ...core import content_version
from ...extensions import db
from ...projects.models import Project
from .. import services
from ..models import Survey

# Surveys of this many slugs at most; a city runs a handful at a time.
CACHE_SIZE = 64

# Of the tables' columns (Core, which the session runs without its ORM steps).
_SURVEYS, _PROJECTS = Survey.__table__, Project.__table__
_CHECK = (select(_SURVEYS.c.version, _PROJECTS.c.status, content_version.column())
          .join(_PROJECTS, _PROJECTS.c.id == _SURVEYS.c.project_id)
          .where(_SURVEYS.c.slug == bindparam("slug")))


@dataclass
class _Kept:
    # The version and project status as checked when the survey was read: the version read
    # by the check, not the survey's attribute, which a session that already held the
    # survey may not have refreshed.
    version: str
    project_status: str
    survey: Survey
    # What was rendered from this survey alone (boxes.py), by its own keys.
    rendered: dict = field(default_factory=dict)


_kept: dict[str, _Kept] = {}


def survey(slug: str) -> Survey | None:
    """The survey with its questions, options and statements: the kept one while it holds,
    else read (and kept)."""
    row = db.session.execute(_CHECK, {"slug": slug}).first()
    if row is None:
        _kept.pop(slug, None)
        return None
    version, project_status, content = row
    content_version.note(content)  # the header's settings come kept while it holds
    kept = _kept.get(slug)
    if kept is not None and (kept.version, kept.project_status) == (version, project_status):
        return kept.survey
    fresh = services.get_survey(slug)
    if fresh is not None:
        if len(_kept) >= CACHE_SIZE:
            _kept.clear()
        # Read after the check: at worst newer than `version`, and then read again.
        _kept[slug] = _Kept(version, project_status, fresh)
    return fresh


def rendered(survey: Survey) -> dict:
    """Where pages keep what they rendered from `survey` alone while it is the kept one; an
    empty dict of no use afterwards for a survey that is not (or no longer) kept."""
    kept = _kept.get(survey.slug)
    return kept.rendered if kept is not None and kept.survey is survey else {}


def forget_all() -> None:
    """Empty this process's cache (tests, and after restoring a backup)."""
    _kept.clear()
