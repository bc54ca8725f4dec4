"""What gunicorn, the CLI and the drill's own process share: the environment and the app."""

import os
import secrets

from mitwirkung import create_app


def environment(database_url: str) -> dict[str, str]:
    """What gunicorn, the CLI and this process share: the database, one secret key, the
    rate limits in Redis when there is one, no mail thread (the mail drills run their own)."""
    return {"DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(32),
            "RATELIMIT_STORAGE_URL": os.environ.get("TEST_REDIS_URL") or "memory://",
            "RATELIMIT_ENABLED": "1", "MAIL_WORKER": "0", "MAIL_URL": ""}


def app_for(env: dict):
    os.environ.update(env)
    os.environ.pop("SESSION_COOKIE_SECURE", None)
    return create_app()
