"""Security baseline: headers, CSRF, rate limits, error pages."""

import pytest

from .. import factories
from ..conftest import signed_in_client


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Cookie" in response.headers["Vary"]


def test_pages_for_signed_in_people_are_not_cached(app, citizen):
    response = signed_in_client(app, citizen).get("/account")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://localhost")
    assert "max-age" in secure.headers["Strict-Transport-Security"]


def test_session_cookie_flags(client, citizen):
    response = client.post("/login", data={"login": citizen.username,
                                           "password": factories.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.mark.parametrize("path", ["/login", "/register", "/reset", "/logout", "/language"])
def test_post_without_csrf_token_is_400(client, csrf_on, path):
    response = client.post(path, data={"login": "x", "password": "y", "lang": "en"})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_post_with_csrf_token_is_accepted(client, csrf_on, citizen):
    import re

    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/login", data={
        "csrf_token": token, "login": citizen.username, "password": factories.PASSWORD,
    })
    assert response.status_code == 302


def test_error_pages_show_no_internals(app, client):
    response = client.get("/does-not-exist")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<main id="main"' in html and "Werkzeug" not in html and "Traceback" not in html
    assert "Server" not in response.headers or "Werkzeug" not in response.headers.get("Server", "")


def test_unexpected_errors_render_the_500_page(app, client, monkeypatch):
    from mitwirkung.pages import services

    def broken(slug):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "get_page", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.get("/pages/impressum")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)


def test_oversized_request_is_413(client):
    response = client.post("/login", data={"login": "x" * (7 * 1024 * 1024)})
    assert response.status_code == 413


def test_login_is_rate_limited_and_forged_forwarded_for_does_not_help(client):
    statuses = []
    for n in range(12):
        headers = {"X-Forwarded-For": f"10.0.0.{n}"}
        statuses.append(client.post("/login", data={"login": "a", "password": "b"},
                                    headers=headers).status_code)
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]


def test_registration_and_reset_are_rate_limited(client):
    reset = [client.post("/reset", data={"email": "a@example.org"}).status_code for _ in range(6)]
    assert reset[-1] == 429
    register = [client.post("/register", data={}).status_code for _ in range(6)]
    assert register[-1] == 429


def test_form_with_thousands_of_parts_is_refused(client):
    from io import BytesIO

    data = {f"field{n}": "x" for n in range(1000)}
    data["file"] = (BytesIO(b"x"), "x.txt")
    response = client.post("/login", data=data, content_type="multipart/form-data")
    assert response.status_code == 413


def test_health_check_answers_without_a_session(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.data == b"ok\n"
    assert "Set-Cookie" not in response.headers
