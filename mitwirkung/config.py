"""Every setting, read from the environment when create_app() runs."""

import os
from pathlib import Path


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: str) -> dict:
    """Build the configuration dict from the environment."""
    instance = Path(instance_path)
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _dev_secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": (database_url := _database_url(instance)),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "MAIL_URL": os.environ.get("MAIL_URL", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "MitWirkung <noreply@mitwirkung.example>"),
        "OUTBOX_DIR": str(instance / "outbox"),
        # A delivery thread in each app process; off: only `mitwirkung mail deliver` sends.
        "MAIL_WORKER": _flag("MAIL_WORKER", True),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance / "uploads")),
        # Links in e-mails are built from this, never from the request's Host header.
        "SITE_URL": os.environ.get("SITE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URL", "memory://"),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        # Redis away (restarting): limits count in each process's memory meanwhile and Redis
        # is tried again, rather than every limited request failing (core/rate_limits.py).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        # Number of reverse proxies in front of the app; 0 = trust no forwarded header.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        "PREFERRED_URL_SCHEME": "https" if _flag("SESSION_COOKIE_SECURE", False) else "http",
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "MAX_FORM_PARTS": 200,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "de",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
        "LANGUAGES": ["de", "en"],
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "CONFIRM_MAX_AGE": 48 * 3600,
        "RESET_MAX_AGE": 2 * 3600,
        # Moderators are e-mailed about an item that has waited this long for a decision
        # (`mitwirkung moderation remind`, from cron).
        "MODERATION_REMIND_AFTER_HOURS": max(
            1, int(os.environ.get("MODERATION_REMIND_AFTER_HOURS", "24"))),
        # k: online ballots are mixed and counted in groups of at least this many
        # (docs/secrecy.md); 1 counts each ballot at once and keeps no secret from the database.
        "BALLOT_MIX_SIZE": max(1, int(os.environ.get("BALLOT_MIX_SIZE", "10"))),
        # The same for the responses of anonymous surveys; unset (None): BALLOT_MIX_SIZE.
        "SURVEY_MIX_SIZE": (max(1, int(os.environ["SURVEY_MIX_SIZE"]))
                            if os.environ.get("SURVEY_MIX_SIZE") else None),
        # Maps (core/maps.py checks these at start-up). Without a tile URL there is no map and
        # no request to another host; with one, the CSP allows images from its origin only.
        "MAP_TILE_URL": os.environ.get("MAP_TILE_URL", "").strip(),  # https://.../{z}/{x}/{y}.png
        "MAP_ATTRIBUTION": os.environ.get("MAP_ATTRIBUTION", "").strip(),
        "MAP_CENTER": os.environ.get("MAP_CENTER", "49.4447,7.7690"),  # Kaiserslautern
        "MAP_ZOOM": os.environ.get("MAP_ZOOM", "14"),
        # south,west,north,east: points outside are refused (unset: anywhere on earth).
        "MAP_BOUNDS": os.environ.get("MAP_BOUNDS", "").strip(),
        # Operations (docs/deployment.md). Prometheus metrics at /metrics, only for a request
        # with `Authorization: Bearer <METRICS_TOKEN>`; unset (the default): /metrics is 404.
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN", "").strip(),
        # Set for several gunicorn workers: a directory, emptied before gunicorn starts, where
        # prometheus_client's multiprocess mode keeps each worker's counts (it reads the
        # variable itself, so it must be in the environment, not an override).
        "PROMETHEUS_MULTIPROC_DIR": os.environ.get("PROMETHEUS_MULTIPROC_DIR", ""),
        # "json": logs as JSON lines, with one line per request; else Flask's plain text.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "text").strip().lower(),
        # The client's address in the request lines: personal data, so only if the operator
        # asks for it.
        "LOG_CLIENT_ADDRESS": _flag("LOG_CLIENT_ADDRESS", False),
    }


def engine_options(database_url: str) -> dict:
    """SQLAlchemy's engine options for the database at `database_url`."""
    # Error messages and logs never show the values of a query (a ballot, a password hash).
    options = {"hide_parameters": True}
    if database_url.startswith("sqlite"):
        return options  # an embedded file cannot restart under us: no ping needed
    # A server can restart under us: a pooled connection is tried before each use and a
    # dead one replaced (core/errors.py answers 503 while no new one can be made). A host
    # that does not answer at all fails the request after 5 s (503) instead of holding the
    # worker until gunicorn kills it; `connect_timeout` in the URL says otherwise.
    options["pool_pre_ping"] = True
    if "connect_timeout" not in database_url:
        options["connect_args"] = {"connect_timeout": 5}
    return options


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{instance / 'mitwirkung.db'}"
    # Accept the common postgres:// and postgresql:// forms; we drive PostgreSQL with psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _dev_secret_key(instance: Path) -> str:
    """A random key kept in instance/ so local sessions survive restarts (production sets one)."""
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = os.urandom(32).hex()
    key_file.write_text(key)
    return key
