"""The role-to-capability table."""

import pytest

from mitwirkung.core.permissions import can
from mitwirkung.core.time import utcnow

from .. import factories

CAPABILITIES = {
    # capability: roles that hold it
    "manage_projects": {"staff", "admin"},
    "moderate": {"moderator", "admin"},
    "manage_users": {"admin"},
    "edit_pages": {"admin"},
    "edit_settings": {"admin"},
    "read_feedback": {"admin"},
    "see_audit_log": {"admin"},
    "participate": {"citizen", "staff", "moderator", "admin"},
}


@pytest.mark.parametrize("capability", list(CAPABILITIES))
@pytest.mark.parametrize("role", ["citizen", "staff", "moderator", "admin"])
def test_role_capabilities(app, role, capability):
    assert can(factories.user(role=role), capability) == (role in CAPABILITIES[capability])


@pytest.mark.parametrize("capability", list(CAPABILITIES))
def test_blocked_deleted_and_anonymous_people_can_do_nothing(app, capability):
    from flask_login import AnonymousUserMixin

    assert not can(factories.user(role="admin", blocked_at=utcnow()), capability)
    assert not can(factories.user(role="admin", deleted_at=utcnow()), capability)
    assert not can(AnonymousUserMixin(), capability)


def test_unconfirmed_accounts_cannot_participate(app):
    assert not can(factories.user(confirmed=False), "participate")
