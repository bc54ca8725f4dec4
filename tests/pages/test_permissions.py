"""Who may open which route of the pages blueprint: role x route x method -> status."""

import pytest

ROLES = ("visitor", "citizen", "staff", "moderator", "admin")
LOGIN = 302  # visitors are sent to the login page


def everyone(status):
    return dict.fromkeys(ROLES, status)


def admins_only(status):
    return {"visitor": LOGIN, "citizen": 403, "staff": 403, "moderator": 403, "admin": status}


MATRIX = [
    ("GET", "/pages/impressum", everyone(200)),
    ("GET", "/pages/datenschutz", everyone(200)),
    ("GET", "/pages/barrierefreiheit", everyone(200)),
    ("GET", "/pages/leichte-sprache", everyone(200)),
    ("GET", "/pages/no-such-page", everyone(404)),
    ("GET", "/pages/barrierefreiheit/edit", admins_only(200)),
    # An empty POST keeps the form's stored values: saved as they were.
    ("POST", "/pages/leichte-sprache/edit", admins_only(302)),
    ("GET", "/accessibility/feedback", everyone(200)),
    ("POST", "/accessibility/feedback", everyone(200)),  # no message: shown again
    ("GET", "/accessibility/feedback/sent", everyone(200)),
    ("GET", "/admin/feedback", admins_only(200)),
    ("POST", "/admin/feedback", everyone(405)),
    ("GET", "/admin/settings", admins_only(200)),
    ("POST", "/admin/settings", admins_only(302)),  # nothing set: the defaults are saved
    ("GET", "/admin/sign-language-video", admins_only(200)),
    ("POST", "/admin/sign-language-video", admins_only(200)),  # nothing chosen: refused
    ("GET", "/theme.css", everyone(200)),
]


@pytest.mark.parametrize(("method", "url", "expected"), MATRIX,
                         ids=[f"{m} {u}" for m, u, _e in MATRIX])
def test_route_permissions(clients, method, url, expected):
    for role, status in expected.items():
        response = clients[role].open(url, method=method, data={})
        assert response.status_code == status, (role, method, url)
        if role == "visitor" and status == LOGIN:
            assert "/login" in response.headers["Location"]
