"""The map macros on a test-only page (tests/map_page.py), with and without MAP_TILE_URL:
without it no map markup, no map files and the strict CSP; with it the map's settings for
the script and the tile server's origin, and only that, in img-src."""

import json
import re
from html import unescape

import pytest

from mitwirkung.core.security import CONTENT_SECURITY_POLICY

from ..conftest import app_settings
from ..map_page import PATH, make_app

TILES = "https://tiles.example.org:8443/{z}/{x}/{y}.png"


@pytest.fixture(scope="module")
def plain_app(tmp_path_factory):
    return make_app(app_settings(tmp_path_factory, ""), tmp_path_factory.mktemp("db") / "a.db")


@pytest.fixture(scope="module")
def map_app(tmp_path_factory):
    settings = {**app_settings(tmp_path_factory, ""), "MAP_TILE_URL": TILES,
                "MAP_ATTRIBUTION": "© OpenStreetMap-Mitwirkende <b>",
                "MAP_CENTER": "49.44,7.77", "MAP_ZOOM": "13",
                "MAP_BOUNDS": "49.35,7.6,49.52,7.95"}
    return make_app(settings, tmp_path_factory.mktemp("db") / "b.db")


def img_src(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.split(" ", 1) for part in policy.split("; "))["img-src"]


def test_without_a_tile_url_there_are_just_the_two_labelled_fields(plain_app):
    response = plain_app.test_client().get(PATH)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert '<label for="latitude">Breitengrad</label>' in html
    assert '<label for="longitude">Längengrad</label>' in html
    assert "Die Adresse genügt." in html
    # No map, no map files, nothing that points to another host.
    for absent in ("data-map", "data-point-picker", "data-points-map", "leaflet", "map.js",
                   "Punkt in die Kartenmitte setzen", "tiles.example.org"):
        assert absent not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    # The list is there, without a map beside it.
    assert '<ul id="places">' in html and 'class="map-beside"' in html


def test_with_a_tile_url_the_map_is_there_for_the_script(map_app):
    response = map_app.test_client().get(PATH)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert img_src(response) == "'self' data: https://tiles.example.org:8443"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert '/static/vendor/leaflet/leaflet.css' in html
    assert re.search(r'<script src="/static/vendor/leaflet/leaflet.js" defer>', html)
    assert re.search(r'<script src="/static/js/map.js" defer>', html)
    assert "<script>" not in html.split("<body>")[0]  # no inline script in the head

    picker = re.search(r'<fieldset class="point-picker"[^>]*>', html).group(0)
    assert 'data-lat="latitude"' in picker and 'data-lng="longitude"' in picker
    assert f'data-tile-url="{TILES}"' in picker
    assert 'data-center="49.44,7.77"' in picker and 'data-zoom="13"' in picker
    assert 'data-bounds="49.35,7.6,49.52,7.95"' in picker
    # The attribution is text: escaped here, and the script puts it in as text.
    assert 'data-attribution="© OpenStreetMap-Mitwirkende &lt;b&gt;"' in picker
    # Hidden until the script shows it; a labelled map, its help, the two buttons.
    assert re.search(r'<div class="point-picker-map" data-map-tools hidden>', html)
    assert re.search(r'role="application"\s+aria-label="Karte zum Wählen des Punktes"', html)
    # Buttons that never send the form.
    assert re.search(r'<button type="button"[^>]*>Punkt in die Kartenmitte setzen</button>', html)
    assert re.search(r'<button type="button"[^>]*>Punkt entfernen</button>', html)


def test_the_points_map_holds_the_places_with_a_point_as_text(map_app):
    html = map_app.test_client().get(PATH).get_data(as_text=True)
    element = re.search(r'<div class="map points-map"[^>]*>', html, re.S).group(0)
    assert " hidden" in element and 'role="region"' in element
    assert "eine Sehhilfe" in element  # labelled as a visual aid: the list is the equivalent
    points = json.loads(unescape(re.search(r"data-points='([^']*)'", element).group(1)))
    assert [point["title"] for point in points] == [
        "Bänke am Stiftsplatz", "Trinkbrunnen <script>alert(1)</script> & mehr",
        "Schatten am Schillerplatz"]  # the place without a point is left out
    assert points[0] == {"lat": 49.4447, "lng": 7.769, "title": "Bänke am Stiftsplatz",
                         "url": "/test-map#idea-1"}
    # A resident's title never reaches the page as markup, in the list or in the data.
    assert "<script>alert(1)" not in html
    # The list comes first: the map is the visual aid beside it.
    assert html.index('<ul id="places">') < html.index('class="map points-map"')


def test_a_points_map_without_any_point_renders_nothing(map_app):
    with map_app.test_request_context():
        from flask import render_template_string

        html = render_template_string(
            '{% import "_macros/maps.html" as maps %}{{ maps.points_map(places) }}',
            places=[{"title": "Ohne Ort", "url": "/x", "latitude": None, "longitude": None}])
    assert html.strip() == ""


def test_a_point_typed_with_a_decimal_comma_is_saved(map_app):
    response = map_app.test_client().post(PATH, data={"place": "Stiftsplatz",
                                                      "latitude": "49,4447",
                                                      "longitude": "7,769"})
    assert '<p id="saved">49.4447 7.769</p>' in response.get_data(as_text=True)


def test_a_wrong_point_comes_back_with_the_error_summary_and_what_was_typed(map_app):
    response = map_app.test_client().post(PATH, data={"place": "", "latitude": "7.769",
                                                      "longitude": "49.4447"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="saved"' not in html
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert '<a href="#latitude">' in summary and "vertauscht" in summary
    assert 'value="7.769"' in html and 'value="49.4447"' in html
    assert 'aria-invalid="true"' in html


def test_only_one_coordinate_is_refused_on_the_other(plain_app):
    response = plain_app.test_client().post(PATH, data={"latitude": "49.4447",
                                                        "longitude": ""})
    html = response.get_data(as_text=True)
    assert '<a href="#longitude">' in html
    assert "Bitte auch den Längengrad angeben oder beide Felder leer lassen." in html
