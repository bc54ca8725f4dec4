"""Shared steps for account tests."""

import re
from urllib.parse import urlsplit

LINK = re.compile(r"https?://\S+")

REGISTRATION = {
    "username": "neue_buergerin",
    "first_name": "Erika",
    "last_name": "Mustermann",
    "email": "Erika@Example.org",
    "password": "Pfalz-Theater-2023!",
    "password_confirm": "Pfalz-Theater-2023!",
    "privacy": "y",
}


def link_in(message) -> str:
    """The first link in a mail's body."""
    return LINK.search(message.get_content()).group(0)


def path_of(link: str) -> str:
    return urlsplit(link).path


def log_in(client, login, password):
    return client.post("/login", data={"login": login, "password": password})
