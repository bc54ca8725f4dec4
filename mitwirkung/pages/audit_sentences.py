"""How the audit log names the editable pages and says what was done to them."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core import audit
from ..core.audit import quoted
from ..extensions import db
from .models import Page


def _load(ids) -> dict[int, str]:
    query = select(Page.id, Page.title).where(Page.id.in_(ids))
    return {id_: title for id_, title in db.session.execute(query)}


audit.register_target("pages", _l("Page"), label=lambda page: page.title, load=_load,
                      show=quoted)


@audit.sentence("page.edit", _l("Page edited"), target="pages")
def _edit(line):
    return _("Page %(page)s edited", page=line.target)
