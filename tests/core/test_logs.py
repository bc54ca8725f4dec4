"""LOG_FORMAT=json: each log line is one JSON object; each request writes one line with its
method, route, status, duration and id; an error carries its traceback in a field. No line
holds a password, form contents, a cookie, the path or, unless asked for, an address."""

import io
import json
import logging

import pytest
from flask.logging import default_handler

from mitwirkung.core.logs import JsonFormatter

from .. import factories
from .test_database_unavailable import finish, own_app

PASSWORD = factories.PASSWORD


@pytest.fixture
def json_app(tmp_path_factory, empty_database_url):
    """Makes an app that logs JSON lines, and the text they wrote (`app.log_text()`)."""

    def make(**settings):
        app = own_app(tmp_path_factory, empty_database_url, LOG_FORMAT="json", **settings)
        stream = io.StringIO()
        handler = next(handler for handler in logging.getLogger("mitwirkung").handlers
                       if isinstance(handler.formatter, JsonFormatter))
        handler.setStream(stream)
        app.log_text = stream.getvalue
        made.append(app)
        return app

    made = []
    yield make
    logger = logging.getLogger("mitwirkung")
    for handler in list(logger.handlers):
        if isinstance(handler.formatter, JsonFormatter):
            logger.removeHandler(handler)
    logger.addHandler(default_handler)
    for app in made:
        finish(app)


def lines(app) -> list[dict]:
    return [json.loads(line) for line in app.log_text().splitlines()]


def test_a_login_is_one_json_line_without_password_cookie_or_address(json_app):
    app = json_app()
    client = app.test_client()
    client.set_cookie("session", "ein-sitzungs-keks")
    response = client.post("/login?next=/geheim-pfad",
                           data={"login": "anna", "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    text = app.log_text()
    for secret in (PASSWORD, "anna", "ein-sitzungs-keks", "127.0.0.1",
                   "geheim-pfad", "/login"):
        assert secret not in text
    (line,) = lines(app)
    assert line["logger"] == "mitwirkung.requests" and line["level"] == "INFO"
    assert (line["method"], line["endpoint"], line["status"]) == ("POST", "accounts.login", 302)
    assert line["duration_ms"] > 0
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert len(line["request_id"]) == 32 and "client" not in line


def test_the_address_and_the_proxys_request_id_only_when_asked_for(json_app):
    app = json_app(LOG_CLIENT_ADDRESS=True, PROXY_COUNT=1)
    client = app.test_client()
    client.get("/health", headers={"X-Request-ID": "nginx-4711",
                                   "X-Forwarded-For": "203.0.113.9"})
    client.get("/health", headers={"X-Request-ID": "nicht {gültig}"})
    first, second = lines(app)
    assert first["request_id"] == "nginx-4711" and first["client"] == "203.0.113.9"
    assert second["request_id"] != "nicht {gültig}" and len(second["request_id"]) == 32


def test_an_error_logs_its_traceback_in_a_field(json_app):
    app = json_app()

    @app.route("/kaputt")
    def broken():
        raise RuntimeError("Absicht")

    response = app.test_client().get("/kaputt")
    assert response.status_code == 500
    error, request_line = lines(app)
    assert error["level"] == "ERROR" and error["error"] == "RuntimeError"
    assert "Traceback" in error["traceback"] and "Absicht" in error["traceback"]
    assert error["request_id"] == request_line["request_id"]
    assert request_line["status"] == 500
