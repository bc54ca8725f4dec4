"""Maps, feature-free: the operator's own tile server (MAP_TILE_URL) and what templates and
the Content-Security-Policy need of it, and a point (latitude, longitude) as a form asks
for it.

Without MAP_TILE_URL there is no map and no request to any other host: a place is its
address in words plus, optionally, two typed coordinates. With it, the macros in
templates/_macros/maps.html show a map (static/js/map.js, Leaflet from static/vendor/)
whose tiles the CSP allows from that one origin and nowhere else."""

import ipaddress
import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

# Leaflet's own default: tile servers serve zoom levels 0 to 18 at least.
MAX_ZOOM = 18
# Placeholders Leaflet fills in a tile URL: {z}/{x}/{y} are needed, {r} is "@2x" on
# high-density screens. {s} (subdomains) is refused: the CSP allows one origin.
TILE_PLACEHOLDERS = {"z", "x", "y", "r"}
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class MapConfigError(ValueError):
    """A map setting the app cannot start with; the message names the variable."""


@dataclass(frozen=True)
class Area:
    """A box of latitudes and longitudes (MAP_BOUNDS): points outside it are refused."""

    south: float
    west: float
    north: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


@dataclass(frozen=True)
class MapSettings:
    """What the map needs, read once at start-up; `tile_url` empty: no map at all."""

    tile_url: str
    tile_origin: str  # scheme://host[:port], the one origin the CSP adds to img-src
    attribution: str
    center: tuple[float, float]
    zoom: int
    area: Area | None

    def data_attributes(self) -> dict[str, str]:
        """The settings as data-* attributes of a map element, read by static/js/map.js."""
        attributes = {
            "data-tile-url": self.tile_url,
            "data-attribution": self.attribution,
            "data-center": f"{self.center[0]},{self.center[1]}",
            "data-zoom": str(self.zoom),
            "data-max-zoom": str(MAX_ZOOM),
        }
        if self.area:
            area = self.area
            attributes["data-bounds"] = f"{area.south},{area.west},{area.north},{area.east}"
        return attributes


def register(app: Flask) -> None:
    """Check the map settings at start-up (a wrong one stops the app with its name) and
    give templates `map_settings()`."""
    app.extensions["maps"] = read_settings(app.config)
    app.jinja_env.globals["map_settings"] = map_settings


def map_settings() -> MapSettings | None:
    """The map's settings, or None when no tile server is configured (then: no map)."""
    settings = current_app.extensions["maps"]
    return settings if settings.tile_url else None


def point_area() -> Area | None:
    """The box points must lie in (MAP_BOUNDS), if one is set; with or without a map."""
    return current_app.extensions["maps"].area


def read_settings(config) -> MapSettings:
    """MapSettings from MAP_TILE_URL, MAP_ATTRIBUTION, MAP_CENTER, MAP_ZOOM and MAP_BOUNDS;
    MapConfigError says which one is wrong and why."""
    tile_url = str(config.get("MAP_TILE_URL") or "").strip()
    origin = tile_origin(tile_url) if tile_url else ""
    center = _point_setting("MAP_CENTER", config.get("MAP_CENTER") or "49.4447,7.7690")
    zoom = _zoom_setting(config.get("MAP_ZOOM", 14))
    area = _area_setting(config.get("MAP_BOUNDS") or "")
    if area and not area.contains(*center):
        raise MapConfigError(f"MAP_CENTER {center[0]},{center[1]} lies outside MAP_BOUNDS")
    attribution = " ".join(str(config.get("MAP_ATTRIBUTION") or "").split())
    return MapSettings(tile_url, origin, attribution, center, zoom, area)


def tile_origin(url: str) -> str:
    """The origin (scheme://host[:port]) of a tile URL template such as
    https://tiles.example.org/{z}/{x}/{y}.png, after checking that it is one."""

    def refuse(reason: str):
        return MapConfigError(f"MAP_TILE_URL {url!r}: {reason}")

    if any(char.isspace() or ord(char) < 32 or char in "\"'<>\\" for char in url):
        raise refuse("no blanks, quotes, angle brackets or backslashes")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise refuse("not a URL") from None
    if parts.scheme not in _DEFAULT_PORTS:
        raise refuse("must start with https:// (or http://)")
    if "@" in parts.netloc:
        raise refuse("no user name or password in the URL")
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 address, written in brackets
        try:
            shown = f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            raise refuse("not an IPv6 address in the brackets") from None
    elif _HOST.fullmatch(host):
        shown = host
    else:
        raise refuse("needs one fixed host name ({s} subdomains are not supported)")
    try:
        port = parts.port
    except ValueError:
        raise refuse("the port is not a number from 1 to 65535") from None
    found = set(re.findall(r"\{([^{}]*)\}", url))
    missing = [name for name in ("z", "x", "y") if name not in found]
    if missing:
        raise refuse("needs the placeholders {z}, {x} and {y}")
    unknown = sorted(found - TILE_PLACEHOLDERS)
    if unknown:
        raise refuse("unknown placeholder " + ", ".join(f"{{{name}}}" for name in unknown))
    if port and port != _DEFAULT_PORTS[parts.scheme]:
        shown += f":{port}"
    return f"{parts.scheme}://{shown}"


def _numbers(name: str, value, count: int) -> list[float]:
    texts = str(value).split(",")
    try:
        numbers = [float(text) for text in texts]
    except ValueError:
        numbers = []
    if len(numbers) != count or not all(math.isfinite(number) for number in numbers):
        raise MapConfigError(f"{name} {value!r}: expected {count} numbers separated by commas")
    return numbers


def _point_setting(name: str, value) -> tuple[float, float]:
    latitude, longitude = _numbers(name, value, 2)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise MapConfigError(f"{name} {value!r}: latitude,longitude within -90..90, -180..180")
    return latitude, longitude


def _zoom_setting(value) -> int:
    try:
        zoom = int(str(value).strip())
    except ValueError:
        zoom = -1
    if not 0 <= zoom <= MAX_ZOOM:
        raise MapConfigError(f"MAP_ZOOM {value!r}: a whole number from 0 to {MAX_ZOOM}")
    return zoom


def _area_setting(value) -> Area | None:
    if not str(value).strip():
        return None
    south, west, north, east = _numbers("MAP_BOUNDS", value, 4)
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise MapConfigError(f"MAP_BOUNDS {value!r}: south,west,north,east with south < north "
                             "and west < east, within -90..90 and -180..180")
    return Area(south, west, north, east)


# --- a point in a form ---------------------------------------------------------------------

LATITUDE_RANGE = (-90.0, 90.0)
LONGITUDE_RANGE = (-180.0, 180.0)
DECIMALS = 6  # about 0.1 m: finer than any place an address names


def parse_coordinate(text: str) -> float | None:
    """'49.4447', '49,4447', '−7.5', '49.4447°' -> a float; '' -> None; ValueError else."""
    text = text.strip().replace("\u2212", "-").removesuffix("°").strip()
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # the German decimal comma
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", text):
        raise ValueError(text)
    return round(float(text), DECIMALS)


def point_problems(latitude: float | None, longitude: float | None,
                   area: Area | None = None) -> list[tuple[str, str]]:
    """What is wrong with a point, as ("latitude" or "longitude", message) pairs, none when
    it is fine: both or neither given, each within its range, inside `area` if one is set."""
    problems = []
    if latitude is not None and not LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]:
        problems.append(("latitude", _l("The latitude must lie between −90 and 90 degrees.")))
    if longitude is not None and not LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]:
        problems.append(("longitude",
                         _l("The longitude must lie between −180 and 180 degrees.")))
    if latitude is None and longitude is not None:
        problems.append(("latitude", _l("Please enter the latitude too, or leave both empty.")))
    if longitude is None and latitude is not None:
        problems.append(("longitude",
                         _l("Please enter the longitude too, or leave both empty.")))
    if problems or latitude is None or not area or area.contains(latitude, longitude):
        return problems
    if area.contains(longitude, latitude):
        return [("latitude", _l("Latitude and longitude seem to be swapped: the other way "
                                "round the point lies in the city's area."))]
    return [("latitude", _l(
        "The point lies outside the city's area: the latitude must lie between %(south)s and "
        "%(north)s, the longitude between %(west)s and %(east)s.",
        south=_degrees(area.south), north=_degrees(area.north),
        west=_degrees(area.west), east=_degrees(area.east)))]


def _degrees(value: float) -> str:
    return format_decimal(value, format="0.0###")


class CoordinateField(Field):
    """One coordinate in decimal degrees, typed as text (a decimal comma is fine); empty is
    None. Its partner's name lets it check the pair: see point_fields()."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, axis: str, partner: str, **kwargs):
        render_kw = {"autocomplete": "off", "spellcheck": "false"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.axis = axis
        self.partner = partner

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]  # what was typed comes back as typed
        if self.data is None:
            return ""
        return f"{self.data:.{DECIMALS}f}".rstrip("0").rstrip(".")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_coordinate(valuelist[0])
        except ValueError:
            self.data = None
            example = "49.4447" if self.axis == "latitude" else "7.769"
            raise ValueError(_l("Please enter a number in decimal degrees, such as "
                                "%(example)s.", example=example)) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # its own message says what is wrong
        try:
            partner = form[self.partner]
        except KeyError:
            raise LookupError(f"{self.name}: no field {self.partner!r} in the form; "
                              "name the pair in point_fields()") from None
        if partner.process_errors:
            return  # the partner's message comes first
        pair = {self.axis: self.data, partner.axis: partner.data}
        for axis, message in point_problems(pair.get("latitude"), pair.get("longitude"),
                                            point_area()):
            if axis == self.axis:
                raise StopValidation(message)


def point_fields(latitude: str = "latitude", longitude: str = "longitude"):
    """(latitude, longitude): two optional coordinate fields for a form, checked as a pair
    (both or none, ranges, MAP_BOUNDS). Assign them to the attributes named here:

        latitude, longitude = point_fields()

    Their data are floats or None, as Idea.latitude/longitude store them."""
    return (
        CoordinateField(_l("Latitude"), axis="latitude", partner=longitude,
                        description=_l("Decimal degrees north, such as 49.4447.")),
        CoordinateField(_l("Longitude"), axis="longitude", partner=latitude,
                        description=_l("Decimal degrees east, such as 7.769.")),
    )
