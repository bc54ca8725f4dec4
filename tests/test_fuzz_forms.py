"""Every form of every page, filled with hostile values by a seeded fuzzer, as the role that
can reach it: never a 5xx, on SQLite and on PostgreSQL (make test runs both).

Forms are found by reading the pages, so a new form is fuzzed without a line here."""

import io
import random
from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from mitwirkung import create_app
from mitwirkung.extensions import db

from .conftest import signed_in_client
from .url_map import concrete_rules

PAYLOADS_PER_FORM = 20
SEED = 20261202
HOSTILE_TEXT = [
    "", " ", "x", "Ä" * 300, "x" * 5000, "y" * 60_000, "\u202eevil", "💥🏛️", "e\u0301",
    "\ufffd", "\x00", "a\x00b", "\x01\x02\x1f", "-1", "0", "99999999999999999999", "1e309",
    "NaN", "3.5", "2023-02-30", "9999-12-31", "0001-01-01", "2023-13-01T25:61", "2026-12-01T09:00",
    "<script>alert(1)</script>", "=1+1", "' OR 1=1 --", "%00", "../../etc/passwd", "javascript:x",
    "[" * 3000, "- " * 400, "serial,entwurf\n1,A", "true", "y", "on",
]
FILES = [b"", b"serial,entwurf,name\n1,A,B\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,
         b"%PDF-1.4\n%%EOF\n", bytes(range(256)) * 10, b"serial;" * 5000]


class _Forms(HTMLParser):
    """The POST forms of a page: action, and each field's name, kind and offered values."""

    def __init__(self):
        super().__init__()
        self.forms, self._current, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._current)
        elif self._current is None or not attrs.get("name") and tag != "option":
            return
        elif tag in ("input", "textarea", "button"):
            kind = "textarea" if tag == "textarea" else (attrs.get("type") or "text").lower()
            values = self._current["fields"].setdefault(attrs["name"], (kind, []))[1]
            if attrs.get("value") is not None:
                values.append(attrs["value"])
        elif tag == "select":
            self._select = self._current["fields"].setdefault(attrs["name"], ("select", []))[1]
        elif tag == "option" and self._select is not None and attrs.get("value") is not None:
            self._select.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


_URL_MAP_APP = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                           "MAIL_WORKER": False})
POST_ENDPOINTS = sorted({rule.endpoint for rule in _URL_MAP_APP.url_map.iter_rules()
                         if "POST" in rule.methods})
_discovered: dict[str, dict] = {}


# Forms whose plain submission would end the session the discovery runs in.
NOT_SUBMITTED = {"accounts.logout", "accounts.delete_account"}


def discover(app, client, world) -> dict[str, dict]:
    """Endpoint -> {field name: (kind, offered values)}, read once: from every page, then
    from the pages that submitting those forms as offered leads to (the review before the
    cast, the preview before an import)."""
    if _discovered:
        return _discovered
    adapter = app.url_map.bind("localhost")
    found = []
    for _rule, method, path in concrete_rules(app, world):
        if method == "GET" and not path.startswith(("/static/", "/uploads/")):
            found += _record(adapter, path, client.get(path))
    for endpoint, action, form in found:
        if endpoint not in NOT_SUBMITTED:
            _record(adapter, action, client.post(action, data=_plausible(form),
                                                 content_type="multipart/form-data"))
    return _discovered


def _plausible(form: dict) -> MultiDict:
    """The form as a person might send it: what the page offers, a word (a number for a
    number field) where it offers nothing, and a card file of the world's vote for a file
    field."""
    data = MultiDict()
    for name, (kind, values) in form.items():
        if kind == "file":
            data.add(name, (io.BytesIO(b"serial,entwurf,name\nF-1,A,B\n"), "karten.csv"))
        elif kind == "number":
            data.add(name, next((value for value in values if value), "1"))
        elif kind not in ("checkbox", "radio", "submit") or values:
            data.add(name, next((value for value in values if value), "Markt"))
    return data


def _record(adapter, path, response) -> list[tuple[str, str, dict]]:
    """Add the page's forms to _discovered; return (endpoint, action, fields) of each."""
    found = []
    for form in forms_of(response.get_data(as_text=True)):
        action = form["action"] or path
        try:
            endpoint, _args = adapter.match(action.split("#")[0].split("?")[0], method="POST")
        except Exception:  # noqa: BLE001  a form aimed elsewhere is not ours to fuzz
            continue
        fields = _discovered.setdefault(endpoint, {})
        for name, (kind, values) in form["fields"].items():
            fields.setdefault(name, (kind, []))[1].extend(values)
        found.append((endpoint, action, form["fields"]))
    return found


def fuzzed(fields: dict, rng: random.Random) -> tuple[list, bool]:
    """Form data: each field left out, sent once or twice, with an offered or hostile value."""
    data, multipart = [], False
    for name, (kind, offered) in fields.items():
        roll = rng.random()
        if roll < 0.1:
            continue
        for _ in range(2 if roll > 0.9 else 1):
            if kind == "file":
                multipart = True
                data.append((name, (io.BytesIO(rng.choice(FILES)), rng.choice(["", "a.csv",
                                                                               "b\x01.png"]))))
            elif offered and rng.random() < 0.5:
                data.append((name, rng.choice(offered)))
            else:
                data.append((name, rng.choice(HOSTILE_TEXT)))
    return data, multipart


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_every_form_survives_hostile_input(app, admin, world, endpoint):
    client = signed_in_client(app, admin)
    fields = discover(app, client, world).get(endpoint) or {"title": ("text", []),
                                                             "csrf_token": ("hidden", [])}
    rng = random.Random(f"{SEED}-{endpoint}")
    paths = sorted({path for rule, method, path in concrete_rules(app, world)
                    if rule.endpoint == endpoint and method == "POST"})
    for path in paths:
        for _ in range(PAYLOADS_PER_FORM):
            data, multipart = fuzzed(fields, rng)
            response = client.post(path, data=MultiDict(data), content_type="multipart/form-data"
                                   if multipart else "application/x-www-form-urlencoded")
            assert response.status_code < 500, (path, data)
            db.session.rollback()  # a refused request's leftovers must not reach the next


def test_the_fuzzer_found_the_forms(app, admin, world):
    found = discover(app, signed_in_client(app, admin), world)
    for endpoint in ("projects.new", "votes.new", "votes.batch_import", "accounts.login",
                     "accounts.change_password", "votes.cast", "votes.batch_cards",
                     "votes.batch_import_confirm", "proposals.submit", "proposals.answer",
                     "proposals.manage", "proposals.new_board", "moderation.reject",
                     "moderation.approve"):
        assert endpoint in found, sorted(found)


@pytest.mark.parametrize("query", ["page=-1", "page=abc", "q=" + "x" * 5000, "q=%27%22%3C",
                                   "project=abc", "all=1", "next=//evil", "page=1&page=2"])
def test_every_page_survives_a_hostile_query(app, admin, world, query):
    client = signed_in_client(app, admin)
    for _rule, method, path in concrete_rules(app, world):
        if method == "GET":
            assert client.get(f"{path}?{query}").status_code < 500, path
