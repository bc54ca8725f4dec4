"""Who may reach which account and admin route (role x route x method -> status)."""

import pytest

GET, POST = "GET", "POST"
REDIRECT, OK, FORBIDDEN = 302, 200, 403

# (method, path) -> expected status for visitor, citizen, staff, moderator, admin
MATRIX = {
    (GET, "/register"): (OK, OK, OK, OK, OK),
    (GET, "/login"): (OK, OK, OK, OK, OK),
    (GET, "/reset"): (OK, OK, OK, OK, OK),
    (GET, "/confirm"): (OK, OK, OK, OK, OK),
    (GET, "/confirm/not-a-token"): (OK, OK, OK, OK, OK),
    (POST, "/confirm/not-a-token"): (REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    (GET, "/reset/not-a-token"): (REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    (POST, "/logout"): (REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    (POST, "/language"): (REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    (GET, "/account"): (REDIRECT, OK, OK, OK, OK),
    (GET, "/account/export"): (REDIRECT, OK, OK, OK, OK),
    (GET, "/account/delete"): (REDIRECT, OK, OK, OK, OK),
    (POST, "/account/profile"): (REDIRECT, 400, 400, 400, 400),
    (POST, "/account/email"): (REDIRECT, 400, 400, 400, 400),
    (POST, "/account/password"): (REDIRECT, 400, 400, 400, 400),
    (POST, "/account/delete"): (REDIRECT, OK, OK, OK, OK),
    (GET, "/uploads/missing.png"): (404, 404, 404, 404, 404),
    (GET, "/uploads/evil.html"): (404, 404, 404, 404, 404),
    (GET, "/admin/users"): (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    (GET, "/admin/audit"): (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    (POST, "/admin/users/{citizen}/role"): (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT),
    (GET, "/admin/users/{citizen}/block"): (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    (POST, "/admin/users/{citizen}/block"): (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    (POST, "/admin/users/{citizen}/unblock"): (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT),
    (GET, "/admin/audit.csv"): (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    (GET, "/pages/impressum"): (OK, OK, OK, OK, OK),
    (GET, "/pages/datenschutz"): (OK, OK, OK, OK, OK),
    (GET, "/pages/anything"): (404, 404, 404, 404, 404),
    (GET, "/pages/impressum/edit"): (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    (POST, "/pages/impressum/edit"): (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT),
}
ROLES = ("visitor", "citizen", "staff", "moderator", "admin")


@pytest.mark.parametrize(("method", "path"), list(MATRIX))
def test_permission_matrix(clients, citizen, method, path):
    url = path.format(citizen=citizen.id)
    for role, expected in zip(ROLES, MATRIX[(method, path)], strict=True):
        response = clients[role].open(url, method=method, data={})
        assert response.status_code == expected, f"{role} {method} {url}"


def test_no_get_changes_anything(client):
    assert client.get("/logout").status_code == 405
    assert client.get("/language?lang=en").status_code == 405
