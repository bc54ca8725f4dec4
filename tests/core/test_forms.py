"""The base of every form (core/forms.py): a form reads only what an HTML form can send it,
so a file under a text field's name or a JSON body is bad input, never a 500 (both were,
found by tests/test_fuzz_forms.py)."""

import io

import pytest
from flask_wtf import FlaskForm

from mitwirkung.core.forms import Form


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_every_form_of_the_app_uses_the_base_form(app):
    ours = [form for form in subclasses(FlaskForm) if form.__module__.startswith("mitwirkung.")]
    assert len(ours) > 40
    assert [form for form in ours if not issubclass(form, Form)] == []


def test_a_file_sent_as_a_text_field_is_refused_like_an_empty_field(client):
    response = client.post("/login", data={"login": (io.BytesIO(b"x"), "a.txt"),
                                           "password": "secret"},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert 'class="error-summary"' in response.get_data(as_text=True)


@pytest.mark.parametrize("body", [[1, 2], 5, "text", {"login": {"a": 1}, "password": ["x"]}])
def test_a_json_body_is_no_form_data(client, body):
    response = client.post("/login", json=body)
    assert response.status_code == 200
    assert 'class="error-summary"' in response.get_data(as_text=True)


def test_a_file_field_still_receives_its_file(app_ctx):
    from flask_wtf.file import FileField
    from wtforms import StringField

    class Upload(Form):
        file = FileField()
        title = StringField()

    from flask import current_app

    with current_app.test_request_context(
        "/", method="POST", content_type="multipart/form-data",
        data={"file": (io.BytesIO(b"data"), "a.csv"), "title": (io.BytesIO(b"x"), "t.txt")},
    ):
        form = Upload(meta={"csrf": False})
        assert form.file.data.read() == b"data"
        assert form.title.data is None
