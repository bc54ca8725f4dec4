"""Shared steps for account tests."""

import re
from urllib.parse import urlsplit

LINK = re.compile(r"https?://\S+")
# A signed CSRF token carries the second it was made, so two pages differ in it.
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*')

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


def page_text(response, *names: str) -> str:
    """The page's HTML with the CSRF token and the given names masked, for comparing."""
    text = CSRF_VALUE.sub(r"\1-", response.get_data(as_text=True))
    for name in names:
        text = text.replace(name, "X")
    return text
