"""Builders for projects in tests; each adds and flushes."""

import io
import itertools
from datetime import date, timedelta

from PIL import Image

from mitwirkung.core import uploads
from mitwirkung.core.time import local_today
from mitwirkung.extensions import db
from mitwirkung.projects.models import Document, Phase, Project

_counter = itertools.count(1)


def project(status="published", phases=(), **fields) -> Project:
    """A project; `phases` are (start, end) dates or day offsets from today."""
    n = next(_counter)
    values = {
        "slug": f"project-{n}",
        "title": f"Project {n}",
        "teaser": f"Teaser {n}",
        "description": "",
        "status": status,
    }
    values.update(fields)
    item = Project(**values)
    for index, (start, end) in enumerate(phases, start=1):
        item.phases.append(
            Phase(title=f"Phase {index}", start_date=_day(start), end_date=_day(end))
        )
    db.session.add(item)
    db.session.flush()
    return item


def document(item: Project, title="Minutes") -> Document:
    """A stored PDF listed with `item`."""
    data = b"%PDF-1.4\n%test\n"
    name = uploads.save_pdf(io.BytesIO(data))
    entry = Document(title=title, file_name=name, size=len(data))
    item.documents.append(entry)
    db.session.flush()
    return entry


def image_bytes(fmt="PNG", size=(40, 30), mode="RGB", **save_args) -> bytes:
    """A real image file in memory."""
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 60) if mode == "RGB" else 1).save(out, format=fmt, **save_args)
    return out.getvalue()


def _day(value) -> date:
    return local_today() + timedelta(days=value) if isinstance(value, int) else value
