"""How the audit log names accounts and says what was done to them."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core import audit
from ..core.permissions import Role
from ..core.time import format_moment
from ..extensions import db
from .models import User


def _load(ids) -> dict[int, str]:
    rows = db.session.execute(
        select(User.id, User.username, User.deleted_at).where(User.id.in_(ids))
    )
    # A deleted account's name is gone; the sentence still says whose it was.
    return {id_: _("(deleted)") if deleted else name for id_, name, deleted in rows}


# A block's reason is about the person: it goes when they delete their account.
audit.register_target("users", _l("Account"), label=lambda user: user.username, load=_load,
                      personal=("reason",))


def role_label(value) -> str:
    """A stored role's label; an unknown value as it is."""
    try:
        return str(Role.label_of(value))
    except ValueError:
        return str(value)


@audit.sentence("user.role", _l("Role changed"), target="users")
def _role(line):
    return _("Role of %(user)s changed: %(old)s → %(new)s", user=line.target,
             old=role_label(line.get("old")), new=role_label(line.get("new")))


@audit.sentence("user.block", _l("Account blocked"), target="users")
def _block(line):
    if line.get("reason"):
        return _("Account %(user)s blocked: %(reason)s", user=line.target,
                 reason=line.get("reason"))
    return _("Account %(user)s blocked", user=line.target)


@audit.sentence("user.unblock", _l("Account unblocked"), target="users")
def _unblock(line):
    return _("Account %(user)s unblocked", user=line.target)


@audit.sentence("user.mute", _l("Account muted"), target="users")
def _mute(line):
    until = format_moment(datetime.fromisoformat(line.get("until")))
    return _("Account %(user)s muted until %(until)s: %(reason)s", user=line.target,
             until=until, reason=line.get("reason"))


@audit.sentence("user.unmute", _l("Mute ended"), target="users")
def _unmute(line):
    return _("Mute of the account %(user)s ended", user=line.target)



@audit.sentence("user.password_set", _l("Password set on the command line"), target="users")
def _password_set(line):
    return _("New password for %(user)s set on the command line", user=line.target)
