"""NUL bytes and bytes that are not UTF-8 are refused with 400 before any view runs, on every
route: PostgreSQL cannot store NUL, and used to answer such a request with a 500."""

import io

import pytest
from sqlalchemy import func, select

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db

from ..conftest import signed_in_client
from ..url_map import concrete_rules

MESSAGE = "NUL-Byte"


@pytest.fixture
def admin_client(app, admin):
    return signed_in_client(app, admin)


def audit_entries() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def assert_refused(response, request):
    assert response.status_code == 400, request
    assert MESSAGE in response.get_data(as_text=True), request


def test_nul_in_any_path_argument_is_refused_on_every_route(app, world, admin_client):
    tried = 0
    for _rule, method, path in concrete_rules(app, world, replace=lambda *_: "a%00b"):
        if "%00" in path:
            assert_refused(admin_client.open(path, method=method), (method, path))
            tried += 1
    assert tried > 50


def test_nul_in_the_query_or_a_form_field_is_refused_on_every_route(app, world, admin_client):
    before = audit_entries()
    for _rule, method, path in concrete_rules(app, world):
        if method == "GET":
            assert_refused(admin_client.get(path + "?q=a%00b"), path)
            continue
        fields = {"title": "Platz\x00", "login": "a\x00b", "password": "x", "serial": "1"}
        assert_refused(admin_client.post(path, data=fields), path)
        upload = {"station": "Markt\x00", "file": (io.BytesIO(b"serial\n1\n"), "a.csv")}
        assert_refused(admin_client.post(path, data=upload, content_type="multipart/form-data"),
                       path)
        named = {"file": (io.BytesIO(b"serial\n1\n"), "a\x00.csv")}
        assert_refused(admin_client.post(path, data=named, content_type="multipart/form-data"),
                       path)
    assert audit_entries() == before


def test_bytes_that_are_not_utf8_are_refused(app, client):
    raw_path = client.get("/", environ_overrides={"PATH_INFO": "/votes/\xff"})
    assert_refused(raw_path, "path")
    assert_refused(client.get("/?q=%ff"), "query")
    assert_refused(client.post("/login", data=b"login=%C3%28&password=x",
                               content_type="application/x-www-form-urlencoded"), "form")
    cookieless = app.test_client(use_cookies=False)
    for cookie in ("session=\xff", "session=a\x00"):
        assert_refused(cookieless.get("/", headers={"Cookie": cookie}), "cookie")


def test_umlauts_and_percent_signs_pass(client):
    assert client.get("/", environ_overrides={"PATH_INFO": "/votes/gr\xc3\xbcn"}).status_code == 404
    assert client.get("/?q=Gr%C3%BCn").status_code == 200
    response = client.post("/login", data={"login": "Jürgen 100 %", "password": "x"})
    assert response.status_code == 200
    assert "Jürgen 100 %" in response.get_data(as_text=True)
