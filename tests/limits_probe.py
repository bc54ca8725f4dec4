"""One "app server" for the rate-limit tests, run as its own process (two processes are two
servers: each has its own memory, only Redis is shared):

    python -m tests.limits_probe setup DATABASE_URL
    python -m tests.limits_probe try DATABASE_URL STORAGE_URL LOGIN TRIES same|new-address

`try` prints the status of each login try as JSON."""

import itertools
import json
import sys

from mitwirkung import create_app
from mitwirkung.extensions import db

from . import factories


def app_for(database_url: str, storage_url: str = "memory://"):
    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "probe", "MAIL_WORKER": False,
        "RATELIMIT_STORAGE_URI": storage_url, "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    })


def setup(database_url: str) -> None:
    app = app_for(database_url)
    with app.app_context():
        db.create_all()
        factories.user(username="erika", email="erika@example.org")


def tries(database_url, storage_url, login, count, addresses) -> list[int]:
    client = app_for(database_url, storage_url).test_client()
    numbers = itertools.count(1)
    statuses = []
    for _ in range(int(count)):
        address = "203.0.113.9" if addresses == "same" else f"203.0.113.{next(numbers)}"
        response = client.post("/login", data={"login": login, "password": "falsch-falsch-1"},
                               environ_base={"REMOTE_ADDR": address})
        statuses.append(response.status_code)
    return statuses


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "setup":
        setup(*arguments)
    else:
        print(json.dumps(tries(*arguments)))
