"""Maps in the browser, on the test-only page of tests/map_page.py served by apps of this
module's own: one with MAP_TILE_URL pointing to a tile server in a thread of this test (any
/{z}/{x}/{y}.png answers with a small PNG), one without.

Both servers listen on 127.0.0.1 with other ports than the live server; the tests declare
their host:port in the `other_hosts` fixture (conftest.py), so any request elsewhere still
fails them. With the map: a point picked by a click and one by keyboard only (focus the map,
arrows, the centre button), the markers of the list's places, axe-core and a phone's width,
and not one Content-Security-Policy violation (Leaflet styles its elements through the
CSSOM, which the policy allows). Without it: not one request beyond the app's own server."""

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from werkzeug.serving import make_server

from ..conftest import app_settings
from ..map_page import PATH, make_app
from ..proposals import factories as idea_factories
from .a11y import check_page
from .test_vote_flow import tab_to

CENTER = (49.4447, 7.769)
TILE = re.compile(r"/(\d+)/(\d+)/(\d+)\.png")
# Collects what the page's Content-Security-Policy refused, before any script of the page.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def tile_png(z: int, x: int, y: int) -> bytes:
    """A light tile with its grid lines and name, so a screenshot shows the map move."""
    image = Image.new("RGB", (256, 256), (236, 240, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 255, 255), outline=(190, 198, 186))
    draw.line((0, 128, 255, 128), fill=(214, 220, 210))
    draw.line((128, 0, 128, 255), fill=(214, 220, 210))
    draw.text((8, 8), f"{z}/{x}/{y}", fill=(90, 100, 90))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class TileServer:
    """A tile server on 127.0.0.1 and a free port, in a thread; it notes what it served."""

    def __init__(self):
        served = self.served = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                match = TILE.fullmatch(self.path)
                if not match:
                    self.send_error(404)
                    return
                body = tile_png(*map(int, match.groups()))
                served.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except ConnectionError:
                    pass  # the map moved on and the browser let go of this tile

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.netloc = f"127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


class AppServer:
    """One of this module's apps on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.netloc = f"127.0.0.1:{self.server.server_port}"
        self.url = f"http://{self.netloc}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def settings(tmp_path_factory, **maps) -> dict:
    return {**app_settings(tmp_path_factory, ""), "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": True, "TESTING": False, **maps}


@pytest.fixture(scope="module")
def tiles():
    with TileServer() as server:
        yield server


@pytest.fixture(scope="module")
def map_server(tmp_path_factory, tiles):
    app = make_app(settings(tmp_path_factory,
                            MAP_TILE_URL=f"http://{tiles.netloc}/{{z}}/{{x}}/{{y}}.png",
                            MAP_ATTRIBUTION="© Testkarte <b>nicht fett</b>",
                            MAP_CENTER=f"{CENTER[0]},{CENTER[1]}", MAP_ZOOM="15",
                            MAP_BOUNDS="49.35,7.6,49.52,7.95"),
                   tmp_path_factory.mktemp("map-db") / "map.db")
    with AppServer(app) as server:
        server.app = app
        yield server


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory):
    app = make_app(settings(tmp_path_factory), tmp_path_factory.mktemp("plain-db") / "p.db")
    with AppServer(app) as server:
        yield server


@pytest.fixture
def map_page(page, other_hosts, map_server, tiles):
    """The test page with its map, its tiles loaded; CSP violations and console errors are
    collected and must be none at the end."""
    other_hosts.update({map_server.netloc, tiles.netloc})
    console_errors = []
    page.on("console", lambda message: message.type == "error"
            and not message.text.startswith("form-check: ")
            and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.add_init_script(WATCH_CSP)
    page.goto(map_server.url + PATH)
    expect(page.locator("#latitude-picker-map .leaflet-tile-loaded").first).to_be_visible()
    expect(page.locator(".points-map .leaflet-tile-loaded").first).to_be_visible()
    yield page
    assert page.evaluate("window.__cspViolations") == []
    assert console_errors == []


def point(page) -> tuple[float, float]:
    return float(page.input_value("#latitude")), float(page.input_value("#longitude"))


def test_a_point_is_picked_by_a_click_and_saved(map_page, tiles):
    page = map_page
    assert tiles.served, "the tiles come from the tile server"
    picker_map = page.locator("#latitude-picker-map")
    expect(picker_map).to_have_attribute("tabindex", "0")  # the map takes keyboard focus
    check_page(page, "map-picker-and-places")

    # Above and right of the centre: north-east of it.
    box = picker_map.bounding_box()
    picker_map.click(position={"x": box["width"] / 2 + 60, "y": box["height"] / 2 - 40})
    lat, lng = point(page)
    assert lat > CENTER[0] and lng > CENTER[1]
    assert abs(lat - CENTER[0]) < 0.01 and abs(lng - CENTER[1]) < 0.01
    expect(page.locator("#latitude-picker-map .leaflet-marker-icon")).to_have_count(1)
    expect(page.locator("[data-map-status]")).to_have_text(
        f"Punkt gesetzt: Breitengrad {page.input_value('#latitude')}, "
        f"Längengrad {page.input_value('#longitude')}.")

    # Zoomed far out, a click beyond MAP_BOUNDS sets nothing and says why.
    zoom_out = page.locator("#latitude-picker-map").get_by_role("button", name="Verkleinern")
    for zoom in range(14, 7, -1):  # one step at a time: Leaflet ignores a click while it zooms
        zoom_out.click()
        expect(page.locator(f'#latitude-picker-map img.leaflet-tile-loaded[src*="/{zoom}/"]')
               .first).to_be_visible()  # the zoom has begun ...
        expect(page.locator("#latitude-picker-map .leaflet-zoom-anim")).to_have_count(0)  # ended
    picker_map.click(position={"x": 20, "y": 100})
    expect(page.locator("[data-map-status]")).to_have_text(
        "Dieser Punkt liegt außerhalb des Gebiets der Stadt.")
    assert point(page) == (lat, lng)

    page.fill("#place", "Stiftsplatz")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#saved")).to_have_text(f"{lat} {lng}")


def test_a_point_is_picked_by_keyboard_only(map_page):
    page = map_page
    # Tab to the map, move it with the arrow keys: right and down, so its centre moves
    # east and south of where it was.
    tab_to(page, "#latitude-picker-map")
    for key in ["ArrowRight"] * 3 + ["ArrowDown"] * 2:
        page.keyboard.press(key)
    # Leaflet glides to each new view; the centre counts once it stands still.
    expect(page.locator("#latitude-picker-map .leaflet-pan-anim")).to_have_count(0)
    tab_to(page, "[data-map-centre]")
    expect(page.locator(":focus")).to_have_text("Punkt in die Kartenmitte setzen")
    page.keyboard.press("Enter")
    lat, lng = point(page)
    assert lat < CENTER[0] and lng > CENTER[1]
    assert abs(lat - CENTER[0]) < 0.01 and abs(lng - CENTER[1]) < 0.01
    expect(page.locator("#latitude-picker-map .leaflet-marker-icon")).to_have_count(1)
    expect(page.locator("[data-map-status]")).to_contain_text("Punkt gesetzt")

    # Space on the other button takes the point away again.
    tab_to(page, "[data-map-clear]")
    page.keyboard.press("Space")
    assert page.input_value("#latitude") == "" and page.input_value("#longitude") == ""
    expect(page.locator("#latitude-picker-map .leaflet-marker-icon")).to_have_count(0)
    expect(page.locator("[data-map-status]")).to_have_text("Der Punkt ist entfernt.")

    # Typing coordinates (a decimal comma too) puts the marker there.
    tab_to(page, "#latitude")
    page.keyboard.type("49,4431")
    page.keyboard.press("Tab")
    page.keyboard.type("7.7722")
    expect(page.locator("#latitude-picker-map .leaflet-marker-icon")).to_have_count(1)
    expect(page.locator("[data-map-status]")).to_have_text("")
    check_page(page, "map-picker-typed")


def test_the_places_have_markers_that_lead_to_them(map_page):
    page = map_page
    markers = page.locator(".points-map .leaflet-marker-icon")
    expect(markers).to_have_count(3)  # the place without a point is only in the list
    # A resident's title is the marker's text, never markup.
    title = "Trinkbrunnen <script>alert(1)</script> & mehr"
    expect(page.locator(f'.points-map .leaflet-marker-icon[alt="{title}"]')).to_have_count(1)

    # By keyboard: Enter on a marker opens its popup with the focus on the link; Escape
    # gives the focus back to the marker.
    marker = page.locator('.points-map .leaflet-marker-icon[alt="Bänke am Stiftsplatz"]')
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".points-map .leaflet-popup-content a")
    expect(link).to_have_text("Bänke am Stiftsplatz")
    expect(link).to_be_focused()
    expect(link).to_have_attribute("href", "/test-map#idea-1")
    expect(page.locator(".points-map .leaflet-popup-close-button")).to_have_attribute(
        "aria-label", "Schließen")
    expect(page.locator(".points-map .leaflet-popup")).to_have_css("opacity", "1")  # faded in
    check_page(page, "map-places-popup")
    page.keyboard.press("Escape")
    expect(link).to_have_count(0)
    expect(marker).to_be_focused()

    # By mouse: the escaped title shows as text in its popup.
    page.locator(f'.points-map .leaflet-marker-icon[alt="{title}"]').click()
    expect(page.locator(".points-map .leaflet-popup-content a")).to_have_text(title)


def test_without_a_tile_url_the_page_asks_no_other_server(page, other_hosts, plain_server):
    other_hosts.add(plain_server.netloc)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.add_init_script(WATCH_CSP)
    page.goto(plain_server.url + PATH)
    page.wait_for_load_state("networkidle")
    assert asked and {urlsplit(url).netloc for url in asked} == {plain_server.netloc}
    assert not any("leaflet" in url or "map.js" in url for url in asked)
    expect(page.locator(".leaflet-container")).to_have_count(0)
    expect(page.get_by_label("Breitengrad")).to_be_visible()
    expect(page.get_by_label("Längengrad")).to_be_visible()
    check_page(page, "map-without-tiles")
    assert page.evaluate("window.__cspViolations") == []
    # The watch the map tests rely on does see what the policy refuses: an inline style.
    page.evaluate("document.querySelector('h1').setAttribute('style', 'color: red')")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__cspViolations")[0].startswith("style-src")


def test_a_board_with_a_map_shows_the_places_of_its_listed_ideas(page, other_hosts, map_server,
                                                                   tiles):
    other_hosts.update({map_server.netloc, tiles.netloc})
    with map_server.app.app_context():
        board = idea_factories.board(map_enabled=True)
        placed = idea_factories.idea(board, title="Bänke am Stiftsplatz", place="Stiftsplatz",
                                     latitude=49.4447, longitude=7.7690)
        idea_factories.idea(board, title="Schatten", latitude=49.4412, longitude=7.7665)
        idea_factories.idea(board, title="Ohne Punkt", place="Fackelstraße")
        slug, placed_id = board.slug, placed.id
    page.goto(f"{map_server.url}/boards/{slug}")
    expect(page.locator(".points-map .leaflet-tile-loaded").first).to_be_visible()
    # The list comes first and holds every idea; the map marks those with a point.
    expect(page.locator(".idea-list > li")).to_have_count(3)
    expect(page.locator(".points-map .leaflet-marker-icon")).to_have_count(2)
    # By keyboard, as the markers' own test does: a click may land while the map still glides.
    page.locator('.points-map .leaflet-marker-icon[alt="Bänke am Stiftsplatz"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator(".points-map .leaflet-popup-content a")).to_have_attribute(
        "href", f"/boards/{slug}/ideas/{placed_id}")
    check_page(page, "board-list-map")
