"""Browser tests: the app on a live server (file SQLite, demo data), Debian's Chromium driven
by Playwright, and a page per test that fails on any request leaving the live server.

Every test in this folder is marked `browser`, so the root conftest's rolled-back
transaction stays out of the way; never request the root `app` fixture here.
"""

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
FORM_CHECK = HERE / "form_check.js"
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    url: str
    host: str
    port: int
    app: object
    outbox: Path
    demo_passwords: dict

    @property
    def netloc(self) -> str:
        return f"{self.host}:{self.port}"


class _Dispatch:
    """The server is bound before the app exists (SITE_URL needs the port)."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def build_app(instance: Path, site_url: str):
    from mitwirkung import create_app
    from mitwirkung.demo import load_demo
    from mitwirkung.extensions import db

    app = create_app(
        {
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'browser.db'}",
            "RATELIMIT_ENABLED": False,
            "MAIL_URL": "",
            "OUTBOX_DIR": str(instance / "outbox"),
            "UPLOAD_DIR": str(instance / "uploads"),
            "SITE_URL": site_url,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            # Each ballot counts at once, so a flow sees its own vote in the result.
            "BALLOT_MIX_SIZE": 1,
        }
    )
    with app.app_context():
        db.create_all()
        demo = load_demo()
        db.session.commit()
    return app, demo


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("browser-instance")
    dispatch = _Dispatch()
    server = make_server("127.0.0.1", 0, dispatch, threaded=True)
    host, port = "127.0.0.1", server.server_port
    url = f"http://{host}:{port}"
    dispatch.app, demo = build_app(instance, url)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url, host, port, dispatch.app, instance / "outbox", demo)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def other_hosts() -> set[str]:
    """host:port pairs besides the live server's that a test declares its page may reach:
    a server of the test's own on 127.0.0.1 and another port (the map tests' tile server).
    Requests are compared by host and port; anything else still fails the test."""
    return set()


@pytest.fixture
def page(browser, live_server, other_hosts):
    """A fresh German-speaking browser context; fails the test on third-party requests and
    on any page with a duplicate id or a label that names no single control."""
    width = int(os.environ.get("SCREENSHOT_WIDTH", "1280"))  # 375 to look at phones
    context = browser.new_context(locale="de-DE", base_url=live_server.url,
                                  viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(FORM_CHECK))
    foreign: list[str] = []
    form_problems: list[str] = []

    def collect(message):
        if message.type == "error" and message.text.startswith("form-check: "):
            form_problems.append(message.text.removeprefix("form-check: "))

    def ours(netloc: str) -> bool:
        return netloc == live_server.netloc or netloc in other_hosts

    def watch(request):
        parts = urlsplit(request.url)
        if parts.scheme in LOCAL_SCHEMES:
            return
        if parts.scheme not in {"http", "https"} or not ours(parts.netloc):
            foreign.append(f"{request.method} {request.url}")

    def block(route):
        # Never wait on the network for a request that is a failure anyway.
        parts = urlsplit(route.request.url)
        if parts.scheme in {"http", "https"} and not ours(parts.netloc):
            route.abort()
        else:
            route.continue_()

    context.on("request", watch)
    context.route(lambda url: not ours(urlsplit(url).netloc), block)
    page = context.new_page()
    page.on("console", collect)
    try:
        yield page
    finally:
        context.close()
    if form_problems:
        pytest.fail("ids and labels:\n  " + "\n  ".join(dict.fromkeys(form_problems)))
    if foreign:
        pytest.fail(
            "requests to third parties (the product must make none):\n  " + "\n  ".join(foreign)
        )
