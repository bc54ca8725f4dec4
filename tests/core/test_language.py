"""German by default, English on request."""


def test_german_is_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "Anmelden" in html


def test_switching_to_english_and_back(client):
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in" in html
    client.post("/language", data={"lang": "de", "next": "/login"})
    assert '<html lang="de">' in client.get("/login").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_next(client):
    response = client.post("/language", data={"lang": "xx", "next": "//evil.example"})
    assert response.headers["Location"] == "/"
    assert '<html lang="de">' in client.get("/login").get_data(as_text=True)


# Templates translate through core/i18n.py's callables, which keep the request's translations
# and must read exactly as Jinja's i18n extension with Flask-Babel's callables did.


def test_template_strings_read_as_flask_babel_translates_them(app):
    from flask import render_template_string
    from flask_babel import force_locale, gettext, ngettext

    source = ('{{ _("Log in") }}|{{ _("Page %(page)d of %(pages)d", page=2, pages=3) }}|'
              '{{ ngettext("%(num)d idea", "%(num)d ideas", 1) }}|'
              '{{ ngettext("%(num)d idea", "%(num)d ideas", 7) }}|'
              '{{ _("sorted by: %(sort)s", sort="<b>") }}')
    with app.test_request_context("/"):
        german = render_template_string(source)
        assert german == "|".join([
            gettext("Log in"), gettext("Page %(page)d of %(pages)d", page=2, pages=3),
            ngettext("%(num)d idea", "%(num)d ideas", 1),
            ngettext("%(num)d idea", "%(num)d ideas", 7),
            gettext("sorted by: %(sort)s", sort="&lt;b&gt;")])
        assert german.startswith("Anmelden|Seite 2 von 3|1 Idee|7 Ideen")
        with force_locale("en"):
            assert render_template_string(source).startswith("Log in|Page 2 of 3|1 idea|7 ideas")
        assert render_template_string(source) == german


def test_template_strings_are_not_escaped_where_the_template_does_not_escape(app):
    with app.test_request_context("/"):
        template = app.jinja_env.from_string(
            '{% autoescape false %}{{ _("sorted by: %(sort)s", sort="<b>") }}|'
            '{{ _("100%%") }}{% endautoescape %}')
        assert template.render() == "sortiert nach: <b>|100%"


def test_a_lazy_string_is_translated_as_flask_babel_translates_it(app):
    from flask_babel import force_locale, lazy_gettext

    from mitwirkung.core.i18n import translated

    with app.test_request_context("/"):
        for lazy in (lazy_gettext("Log in"), lazy_gettext("sorted by: %(sort)s", sort="x")):
            assert translated(lazy) == str(lazy)
        assert translated(lazy_gettext("Log in")) == "Anmelden"
        with force_locale("en"):
            assert translated(lazy_gettext("Log in")) == "Log in"
        assert translated("Anmelden") == "Anmelden"
