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


# The site's settings: one row, named by the city it was set up for; what changed, in the
# settings page's words.
SETTING_NAMES = {
    "city_name": _l("the city's name"), "logo": _l("the logo"), "logo_alt": _l("the logo's text"),
    "accent_color": _l("the accent colour"), "feedback_email": _l("the feedback address"),
    "sign_video": _l("the sign-language video"), "sign_captions": _l("its captions"),
}

audit.register_target("site_settings", _l("Settings"),
                      label=lambda settings: settings.city_name or "MitWirkung",
                      load=lambda ids: {}, show=quoted)


@audit.sentence("settings.edit", _l("Settings changed"), target="site_settings")
def _settings(line):
    changed = [str(SETTING_NAMES.get(name, name)) for name in line.get("changed", [])]
    if not changed:
        return _("Settings of %(site)s saved without a change", site=line.target)
    return _("Settings of %(site)s changed: %(what)s", site=line.target,
             what=", ".join(changed))
