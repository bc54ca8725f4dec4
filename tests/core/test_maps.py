"""Map settings and points (core/maps.py): what the app starts with, the origin the CSP
allows, and a point as a form takes it."""

from dataclasses import replace

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import StringField

from mitwirkung import create_app
from mitwirkung.core import maps
from mitwirkung.core.maps import Area, MapConfigError, read_settings, tile_origin
from mitwirkung.core.security import CONTENT_SECURITY_POLICY, content_security_policy

from ..conftest import app_settings

TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


# --- settings ------------------------------------------------------------------------------

def test_defaults_are_no_map_and_kaiserslautern():
    settings = read_settings({})
    assert settings.tile_url == "" and settings.tile_origin == ""
    assert settings.center == (49.4447, 7.769) and settings.zoom == 14
    assert settings.area is None


@pytest.mark.parametrize("url, origin", [
    (TILES, "https://tiles.example.org"),
    ("https://TILES.Example.org:443/{z}/{x}/{y}{r}.png?key=abc", "https://tiles.example.org"),
    ("http://127.0.0.1:8123/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8123"),
    ("https://[2001:db8::1]:8443/{z}/{y}/{x}", "https://[2001:db8::1]:8443"),
    ("http://karten.stadt.example:80/{z}/{x}/{y}.png", "http://karten.stadt.example"),
])
def test_a_tile_url_gives_its_origin(url, origin):
    assert tile_origin(url) == origin


@pytest.mark.parametrize("url, reason", [
    ("ftp://tiles.example.org/{z}/{x}/{y}.png", "https://"),
    ("//tiles.example.org/{z}/{x}/{y}.png", "https://"),
    ("javascript:alert(1)//{z}{x}{y}", "https://"),
    ("tiles.example.org/{z}/{x}/{y}.png", "https://"),
    ("https://tiles.example.org/{z}/{x}.png", "{z}, {x} and {y}"),
    ("https://tiles.example.org/tiles.png", "{z}, {x} and {y}"),
    ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "fixed host"),
    ("https://tiles.example.org/{z}/{x}/{y}.png?style={style}", "{style}"),
    ("https://user:secret@tiles.example.org/{z}/{x}/{y}.png", "password"),
    ("https://tiles.example.org:99999/{z}/{x}/{y}.png", "port"),
    ("https://tiles.example.org;script-src/{z}/{x}/{y}.png", "fixed host"),
    ("https://tiles.example.org/{z}/{x}/{y}.png 'unsafe-inline'", "blanks"),
    ("https:///{z}/{x}/{y}.png", "fixed host"),
    ("https://[::zz]/{z}/{x}/{y}", "not a URL"),
])
def test_a_wrong_tile_url_is_refused_with_its_reason(url, reason):
    with pytest.raises(MapConfigError) as refused:
        tile_origin(url)
    assert "MAP_TILE_URL" in str(refused.value) and reason in str(refused.value)


@pytest.mark.parametrize("setting, value, named", [
    ("MAP_CENTER", "49.4447", "MAP_CENTER"),
    ("MAP_CENTER", "Kaiserslautern", "MAP_CENTER"),
    ("MAP_CENTER", "91,7", "MAP_CENTER"),
    ("MAP_CENTER", "nan,7", "MAP_CENTER"),
    ("MAP_ZOOM", "19", "MAP_ZOOM"),
    ("MAP_ZOOM", "-1", "MAP_ZOOM"),
    ("MAP_ZOOM", "14.5", "MAP_ZOOM"),
    ("MAP_BOUNDS", "49.5,7.6,49.3,7.9", "MAP_BOUNDS"),
    ("MAP_BOUNDS", "49.3,7.6,49.5", "MAP_BOUNDS"),
    ("MAP_BOUNDS", "50,8,51,9", "MAP_CENTER"),  # the centre lies outside the box
])
def test_wrong_map_settings_are_refused_naming_the_variable(setting, value, named):
    with pytest.raises(MapConfigError, match=named):
        read_settings({setting: value})


def test_settings_are_read_from_the_environment(monkeypatch, tmp_path):
    from mitwirkung.config import load_config

    monkeypatch.setenv("MAP_TILE_URL", f"  {TILES} ")
    monkeypatch.setenv("MAP_ATTRIBUTION", "© OpenStreetMap-Mitwirkende")
    monkeypatch.setenv("MAP_CENTER", "49.2,7.6")
    monkeypatch.setenv("MAP_ZOOM", "12")
    monkeypatch.setenv("MAP_BOUNDS", "49,7,50,8")
    settings = read_settings(load_config(str(tmp_path)))
    assert settings.tile_url == TILES and settings.tile_origin == "https://tiles.example.org"
    assert settings.attribution == "© OpenStreetMap-Mitwirkende"
    assert settings.center == (49.2, 7.6) and settings.zoom == 12
    assert settings.area == Area(49, 7, 50, 8)


def test_the_app_does_not_start_with_a_wrong_tile_url(tmp_path_factory, database_url):
    settings = app_settings(tmp_path_factory, database_url)
    with pytest.raises(MapConfigError, match="MAP_TILE_URL"):
        create_app({**settings, "MAP_TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}"})


# --- the Content-Security-Policy -----------------------------------------------------------

def test_without_a_tile_server_the_policy_is_the_strict_one(client):
    assert client.get("/login").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "img-src 'self' data:;" in CONTENT_SECURITY_POLICY


def test_a_tile_server_adds_exactly_its_origin_to_img_src():
    policy = content_security_policy("https://tiles.example.org")
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives["img-src"] == "'self' data: https://tiles.example.org"
    # Everything else is as strict as without a map.
    strict = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert {k: v for k, v in directives.items() if k != "img-src"} == \
        {k: v for k, v in strict.items() if k != "img-src"}
    assert "unsafe" not in policy


# --- a point in a form ---------------------------------------------------------------------

class PlaceForm(FlaskForm):
    place = StringField("Ort")
    latitude, longitude = maps.point_fields()


class RenamedForm(FlaskForm):
    lat, lng = maps.point_fields("lat", "lng")


@pytest.fixture
def area(app, monkeypatch):
    """MAP_BOUNDS around Kaiserslautern for one test."""
    box = Area(49.35, 7.6, 49.52, 7.95)
    monkeypatch.setitem(app.extensions, "maps", replace(app.extensions["maps"], area=box))
    return box


def submit(app, data, form_class=PlaceForm):
    with app.test_request_context(method="POST", data=data):
        form = form_class(formdata=MultiDict(data), meta={"csrf": False})
        form.validate()
        return form, {name: [str(error) for error in errors]
                      for name, errors in form.errors.items()}


@pytest.mark.parametrize("lat, lng, expected", [
    ("49.4447", "7.769", (49.4447, 7.769)),
    ("49,4447", "7,769", (49.4447, 7.769)),  # the German decimal comma
    (" 49.44470° ", "−7.5", (49.4447, -7.5)),
    ("49.123456789", "7.1", (49.123457, 7.1)),
    ("", "", (None, None)),
    ("  ", "", (None, None)),
])
def test_a_point_or_none_is_taken(app, lat, lng, expected):
    form, errors = submit(app, {"latitude": lat, "longitude": lng})
    assert errors == {}
    assert (form.latitude.data, form.longitude.data) == expected


@pytest.mark.parametrize("lat, lng, errors", [
    ("49.4447", "", {"longitude": ["Bitte auch den Längengrad angeben oder beide Felder "
                                   "leer lassen."]}),
    ("", "7.769", {"latitude": ["Bitte auch den Breitengrad angeben oder beide Felder "
                                "leer lassen."]}),
    ("91", "7.769", {"latitude": ["Der Breitengrad muss zwischen −90 und 90 Grad liegen."]}),
    ("49", "-180.5", {"longitude": ["Der Längengrad muss zwischen −180 und 180 Grad liegen."]}),
    ("-95", "200", {"latitude": ["Der Breitengrad muss zwischen −90 und 90 Grad liegen."],
                    "longitude": ["Der Längengrad muss zwischen −180 und 180 Grad liegen."]}),
    ("Marktstraße", "7.769", {"latitude": ["Bitte eine Zahl in Dezimalgrad eingeben, "
                                           "etwa 49.4447."]}),
    # An unreadable partner speaks for itself; the other is not also told to fill it in.
    ("49.4", "7,7,7", {"longitude": ["Bitte eine Zahl in Dezimalgrad eingeben, etwa 7.769."]}),
    ("49.4", "1e3", {"longitude": ["Bitte eine Zahl in Dezimalgrad eingeben, etwa 7.769."]}),
])
def test_a_wrong_point_is_refused_naming_the_problem(app, lat, lng, errors):
    _form, found = submit(app, {"latitude": lat, "longitude": lng})
    assert found == errors


def test_a_refused_point_comes_back_as_typed(app):
    form, _errors = submit(app, {"latitude": "49,4 N", "longitude": "7,77"})
    assert 'value="49,4 N"' in form.latitude() and 'value="7,77"' in form.longitude()


def test_a_stored_point_is_shown_in_decimal_degrees(app):
    with app.test_request_context():
        form = PlaceForm(data={"latitude": 49.4447, "longitude": 7.0}, meta={"csrf": False})
        assert 'value="49.4447"' in form.latitude() and 'value="7"' in form.longitude()
        assert 'autocomplete="off"' in form.latitude()


def test_the_pair_may_have_other_names(app):
    form, errors = submit(app, {"lat": "49.4", "lng": ""}, RenamedForm)
    assert errors == {"lng": ["Bitte auch den Längengrad angeben oder beide Felder leer lassen."]}


def test_a_point_outside_the_citys_area_is_refused(app, area):
    _form, errors = submit(app, {"latitude": "48.1", "longitude": "11.6"})
    assert errors == {"latitude": [
        "Der Punkt liegt außerhalb des Gebiets der Stadt: der Breitengrad muss zwischen "
        "49,35 und 49,52 liegen, der Längengrad zwischen 7,6 und 7,95."]}
    _form, errors = submit(app, {"latitude": "49.45", "longitude": "7.75"})
    assert errors == {}


def test_swapped_coordinates_are_pointed_out(app, area):
    _form, errors = submit(app, {"latitude": "7.769", "longitude": "49.4447"})
    assert errors == {"latitude": ["Breiten- und Längengrad scheinen vertauscht: andersherum "
                                   "liegt der Punkt im Gebiet der Stadt."]}


def test_point_problems_serve_code_without_a_form(app):
    with app.test_request_context():
        assert maps.point_problems(None, None) == []
        assert maps.point_problems(49.4, 7.7) == []
        assert [axis for axis, _message in maps.point_problems(49.4, None)] == ["longitude"]
        assert [axis for axis, _ in maps.point_problems(48, 11, Area(49, 7, 50, 8))] == \
            ["latitude"]
