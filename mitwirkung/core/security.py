"""Security headers on every response."""

from functools import lru_cache

from flask import Flask, current_app, request
from flask_login import current_user


@lru_cache(maxsize=8)
def content_security_policy(tile_origin: str = "") -> str:
    """The policy of every page; `tile_origin` (the map's tile server, core/maps.py) is the
    one other origin images may come from."""
    return "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data:" + (f" {tile_origin}" if tile_origin else ""),
            "style-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()


def register(app: Flask) -> None:
    app.after_request(add_security_headers)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy",
                       content_security_policy(current_app.extensions["maps"].tile_origin))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages for signed-in people must never be cached or served to someone else. A response
    # marked public says it is the same for everyone (the site's colour stylesheet); one
    # marked no-store is kept by nobody already (and the page for while the database is away
    # cannot ask who is signed in).
    cache = response.cache_control
    if (not request.path.startswith("/static/") and not cache.public and not cache.no_store
            and current_user.is_authenticated):
        headers["Cache-Control"] = "private, no-store"
    response.vary.add("Cookie")
    return response
