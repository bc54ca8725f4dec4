"""The survey as the answering pages see it, read once per process and kept while it holds
(as votes/casting/ballot_box.py keeps ballot boxes).

Every answering page needs the survey with its questions, options and statements: four
queries and their loading, about a third of a page's time, for data that changes only
while staff build the survey (and locks once anyone has answered). Each change replaces
the survey's random `version` (surveys/models.py, mapper events), so a page reads the
version and the project's status in one small query and takes the kept survey when both
match; otherwise it reads the survey again. A kept survey is detached from any database
session and only read. What counts is still decided by the database when a response is
sent: the participation's statement refuses a sealed survey, and the whole response is
checked against the questions of the version it was read at.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select

from ...extensions import db
from ...projects.models import Project
from .. import services
from ..models import Survey

# Surveys of this many slugs at most; a city runs a handful at a time.
CACHE_SIZE = 64

# Of the tables' columns (Core, which the session runs without its ORM steps).
_SURVEYS, _PROJECTS = Survey.__table__, Project.__table__
_CHECK = (select(_SURVEYS.c.version, _PROJECTS.c.status)
          .join(_PROJECTS, _PROJECTS.c.id == _SURVEYS.c.project_id)
          .where(_SURVEYS.c.slug == bindparam("slug")))

# slug -> (version, project status, survey) as checked when the survey was read: the
# version read by the check, not the survey's attribute, which a session that already held
# the survey may not have refreshed.
_kept: dict[str, tuple[str, str, Survey]] = {}


def survey(slug: str) -> Survey | None:
    """The survey with its questions, options and statements: the kept one while it holds,
    else read (and kept)."""
    row = db.session.execute(_CHECK, {"slug": slug}).first()
    if row is None:
        _kept.pop(slug, None)
        return None
    version, project_status = row
    kept = _kept.get(slug)
    if kept is not None and kept[:2] == (version, project_status):
        return kept[2]
    fresh = services.get_survey(slug)
    if fresh is not None:
        if len(_kept) >= CACHE_SIZE:
            _kept.clear()
        # Read after the check: at worst newer than `version`, and then read again.
        _kept[slug] = (version, project_status, fresh)
    return fresh


def forget_all() -> None:
    """Empty this process's cache (tests, and after restoring a backup)."""
    _kept.clear()
