"""Every form of every page, filled by hypothesis with hostile values as the role that can
reach it (admin): never a 5xx, and never a partial write (a refused request leaves every
table's row count as it was), on SQLite and on PostgreSQL (make test runs both).

Forms are found by reading the pages, so a new form is fuzzed without a line here. The
examples are the same on every run (the "ci" profile of tests/conftest.py)."""

import io
import json
from datetime import date
from html.parser import HTMLParser

import pytest
from flask import g
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from mitwirkung import create_app
from mitwirkung.extensions import db, limiter

from .conftest import client_of, signed_in_client
from .row_counts import changed, row_counts
from .url_map import concrete_rules

EXAMPLES_PER_FORM = 25
HOSTILE_TEXT = [
    "", " ", "x", "Ä" * 300, "x" * 5000, "y" * 60_000, "\u202eevil", "💥🏛️", "e\u0301",
    "\ufffd", "\x00", "a\x00b", "\x01\x02\x1f", "-1", "0", "99999999999999999999", "1e309",
    "NaN", "3.5", "2023-02-30", "9999-12-31", "0001-01-01", "2023-13-01T25:61", "2026-12-01T09:00",
    "<script>alert(1)</script>", "=1+1", "' OR 1=1 --", "%00", "../../etc/passwd", "javascript:x",
    "[" * 3000, "- " * 400, "serial,entwurf\n1,A", "true", "y", "on", "\ufeffA",
]
FILES = [b"", b"serial,entwurf,name\n1,A,B\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,
         b"%PDF-1.4\n%%EOF\n", bytes(range(256)) * 10, b"serial;" * 5000,
         b"\xef\xbb\xbfserial;entwurf;name\r\nF-2;a;b\r\n"]
FILE_NAMES = ["", "a.csv", "b\x01.png", "../../x.pdf", "ä" * 300 + ".csv", "\x00.csv"]
# Tables a refused request of an endpoint may change, each for a reason of its own. A failed
# login is not such a case for a row count (it counts failures in users' columns), except
# for the one mail that tells an account's owner about many failures. Everything else,
# audit log included, must stay as it was: a refusal is audited by nobody.
MAY_CHANGE_ON_REFUSAL: dict[str, dict[str, str]] = {
    "accounts.login": {"mail_outbox": "many failed logins to one account mail its owner once"},
}

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


text_values = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), max_size=8),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(date.isoformat),
    st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
    st.builds(lambda char, size: char * size, st.sampled_from("xä€\n"), st.integers(1, 70_000)),
)
file_values = st.tuples(st.one_of(st.sampled_from(FILES), st.binary(max_size=300)),
                        st.one_of(st.sampled_from(FILE_NAMES), st.text(max_size=20)))


def field_value(kind: str, offered: list[str]) -> st.SearchStrategy:
    """What one field may carry: an offered value, a hostile or random text, or the wrong
    type (a file for a text field, text for a file field)."""
    choices = [text_values, file_values.map(lambda file: ("file",) + file)]
    if offered:
        choices.insert(0, st.sampled_from(offered))
    if kind == "file":
        choices.insert(0, file_values.map(lambda file: ("file",) + file))
    return st.one_of(choices)


@st.composite
def fuzzed(draw, fields: dict) -> list[tuple]:
    """Form data: each field left out, sent once or several times; sometimes a field the form
    does not have."""
    data = []
    for name, (kind, offered) in fields.items():
        times = draw(st.sampled_from([0, 1, 1, 1, 1, 1, 2, 3]))
        data += [(name, draw(field_value(kind, offered))) for _ in range(times)]
    if draw(st.booleans()):
        data.append((draw(st.sampled_from(["id", "user_id", "vote_id", "status", "role"])),
                     draw(text_values)))
    return data


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


# One example in five posts a JSON document instead of the form.
sometimes_json = st.integers(0, 4).flatmap(lambda roll: json_values if roll == 0 else st.none())


def request_body(data: list[tuple], as_json=None) -> tuple:
    """The form as the test client sends it: multipart once any value is a file; or, when
    `as_json` is given, that JSON document instead (no HTML form sends one)."""
    if as_json is not None:
        return json.dumps(as_json), "application/json"
    if not any(isinstance(value, tuple) for _name, value in data):
        return MultiDict(data), "application/x-www-form-urlencoded"
    return MultiDict([(name, (io.BytesIO(value[1]), value[2]) if isinstance(value, tuple)
                       else value) for name, value in data]), "multipart/form-data"


def shown(data: list[tuple]) -> list[tuple]:
    """The data for a failure message, each value cut to a readable length."""
    return [(name, repr(value)[:120]) for name, value in data]


def refused(response) -> bool:
    """A POST succeeds by redirecting (post/redirect/get); anything else refused it."""
    return response.status_code not in (302, 303)


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_every_form_survives_hostile_input(app, admin, world, endpoint):
    """Any data (offered values, hostile text, the wrong type, fields missing, repeated or
    unknown, a JSON body) is answered below 500; a refusal leaves every row count alone."""
    fields = discover(app, signed_in_client(app, admin), world).get(endpoint) or {
        "title": ("text", []), "csrf_token": ("hidden", [])}
    paths = sorted({path for rule, method, path in concrete_rules(app, world)
                    if rule.endpoint == endpoint and method == "POST"})
    admin_id = admin.get_id()  # the object itself is forgotten after each example

    @settings(max_examples=EXAMPLES_PER_FORM)
    @given(path=st.sampled_from(paths), data=fuzzed(fields),
           as_json=sometimes_json)
    def never_5xx_nor_a_partial_write(path, data, as_json):
        with isolated_example():
            before = row_counts()
            body, content_type = request_body(data, as_json)
            response = client_of(app, admin_id).post(path, data=body, content_type=content_type)
            assert response.status_code < 500, (path, shown(data))
            # What the request did not commit is gone, as when a real request ends.
            db.session.rollback()
            if refused(response):
                moved = changed(before, row_counts(),
                                ignore=MAY_CHANGE_ON_REFUSAL.get(endpoint, {}))
                assert not moved, (path, response.status_code, moved, shown(data))

    never_5xx_nor_a_partial_write()


class isolated_example:
    """Each example starts from the same database: a savepoint around it, rolled back after,
    and fresh rate limits and caches (a rolled-back vote's id comes again)."""

    def __enter__(self):
        from mitwirkung.surveys.answering import survey_cache
        from mitwirkung.votes.casting import ballot_box

        db.session.rollback()
        self.savepoint = db.session.get_bind().begin_nested()
        self.caches = (ballot_box, survey_cache)
        limiter.reset()
        return self

    def __exit__(self, *_exc):
        db.session.rollback()
        self.savepoint.rollback()
        # The session outlives the example (one per test): rows it saw come and go were put
        # back or taken away under it, so it forgets them all (loaded values stay readable).
        db.session.expunge_all()
        # The test's app context outlives the requests, and with it g, where a request keeps
        # rows it read once (the signed-in user, the site settings): a real one starts empty.
        for name in list(g):
            g.pop(name)
        for cache in self.caches:
            cache.forget_all()
        return False


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
