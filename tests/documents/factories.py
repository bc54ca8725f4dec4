"""Builders for commented texts in tests. Each commits, which inside a test only releases a
savepoint."""

import itertools

from mitwirkung.comments.models import Comment
from mitwirkung.core.moderation import ModerationState
from mitwirkung.documents import services
from mitwirkung.extensions import db

from .. import factories
from ..projects import factories as project_factories

_counter = itertools.count(1)

GUIDELINES = """\
Die Stadt lädt alle ein, mitzureden.

# Präambel

Bürgerbeteiligung stärkt die Demokratie vor Ort.

# 1. Ziele

Beteiligung soll früh beginnen.

# 2. Vorhabenliste

Die Stadt veröffentlicht zweimal im Jahr eine Liste ihrer Vorhaben.

# 3. Beteiligung

Alle Menschen, die in der Stadt leben, können sich beteiligen.
"""


def text(project=None, markdown=GUIDELINES, depth=6, actor=None, **settings):
    """A text with its first version on a published project (a new one unless given)."""
    n = next(_counter)
    values = {"title": f"Leitlinien {n}", "slug": f"leitlinien-{n}"}
    values.update(settings)
    document, _report = services.create_text(
        project or project_factories.project(), actor or factories.user(role="staff"),
        services.TextSettings(**values), markdown, depth)
    db.session.commit()
    return document


def version(document, markdown, depth=6, actor=None):
    report = services.new_version(document, actor or factories.user(role="staff"), markdown,
                                  depth)
    db.session.commit()
    return report


def section(document, key):
    return next(s for s in document.sections if s.key == key)


def comment(section, author=None, text="Ein Kommentar.", state=ModerationState.APPROVED,
            version=None, **fields) -> Comment:
    """A comment on `section` in `state`, made on `version` (default: the current one)."""
    item = Comment(project_id=section.document.project_id, link_kind="section",
                   section_id=section.id, author_id=(author or factories.user()).id,
                   text=text, version=version or section.document.current_version,
                   moderation_state=state, **fields)
    db.session.add(item)
    db.session.commit()
    return item
