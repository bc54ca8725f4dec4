"""A test-only page that shows the map macros (templates/_macros/maps.html) as a feature
page would: a form with an address and a point, and a list of places with their map. It is
registered on apps built for the map tests, never on the real app."""

from dataclasses import dataclass

from flask import Blueprint, render_template_string, request
from flask_wtf import FlaskForm
from wtforms import StringField

from mitwirkung import create_app
from mitwirkung.core.maps import point_fields
from mitwirkung.extensions import db

PATH = "/test-map"
PAGE = """{% extends "base.html" %}
{% import "_macros/forms.html" as forms %}
{% import "_macros/maps.html" as maps %}
{% block title %}Karte{% endblock %}
{% block scripts %}{{ maps.map_assets() }}{% endblock %}
{% block content %}
<h1>Karte</h1>
{% if saved %}<p id="saved">{{ saved }}</p>{% endif %}
{% call forms.render_form(form, "Speichern", exclude=("latitude", "longitude")) %}
{{ maps.point_picker(form.latitude, form.longitude) }}
{% endcall %}
<h2>Ideen</h2>
{% call maps.list_with_map(places) %}
<ul id="places">
  {% for place in places %}
  <li id="idea-{{ loop.index }}"><a href="{{ place.url }}">{{ place.title }}</a></li>
  {% endfor %}
</ul>
{% endcall %}
{% endblock %}
"""


@dataclass
class Place:
    title: str
    url: str
    latitude: float | None
    longitude: float | None


PLACES = [
    Place("Bänke am Stiftsplatz", f"{PATH}#idea-1", 49.4447, 7.7690),
    Place("Trinkbrunnen <script>alert(1)</script> & mehr", f"{PATH}#idea-2", 49.4431, 7.7722),
    Place("Schatten am Schillerplatz", f"{PATH}#idea-3", 49.4412, 7.7665),
    Place("Ohne Ort", f"{PATH}#idea-4", None, None),
]


class PlaceForm(FlaskForm):
    place = StringField("Adresse")
    latitude, longitude = point_fields()


bp = Blueprint("map_test", __name__)


@bp.route(PATH, methods=["GET", "POST"])
def page():
    form = PlaceForm()
    saved = None
    if request.method == "POST" and form.validate():
        saved = f"{form.latitude.data} {form.longitude.data}"
    return render_template_string(PAGE, form=form, places=PLACES, saved=saved)


def make_app(settings: dict, database_path) -> object:
    """An app with the test page, its own SQLite file and `settings` (MAP_* among them)."""
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_path}"})
    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()
    return app
