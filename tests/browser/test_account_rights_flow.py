"""A person's rights in the browser: an admin blocks an account with a reason and its owner
reads it when logging in; a person downloads her data and deletes her account as she would
fill the form, mistakes included. Every page passes axe-core and fits a phone."""

import json
import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from mitwirkung.accounts.models import User
from mitwirkung.extensions import db

from .. import factories
from .a11y import check_page
from .test_paper_flow import submit
from .test_staff_pages import log_in


def new_person(live_server, **fields) -> str:
    username = "p" + uuid.uuid4().hex[:10]
    with live_server.app.app_context():
        factories.user(username=username, first_name="Erika", email=f"{username}@example.org",
                       **fields)
    return username


def account(live_server, username_or_id) -> dict:
    with live_server.app.app_context():
        column = User.id if isinstance(username_or_id, int) else User.username
        user = db.session.scalar(select(User).where(column == username_or_id))
        return {"id": user.id, "email": user.email, "deleted": user.deleted_at is not None,
                "reason": user.blocked_reason, "username": user.username}


def sign_in(page, login, password=factories.PASSWORD):
    page.goto("/login")
    page.fill("[name=login]", login)
    page.fill("[name=password]", password)
    submit(page)


def test_an_admin_blocks_with_a_reason_the_person_reads_it_at_login(page, browser,
                                                                    live_server):
    username = new_person(live_server)
    log_in(page, live_server, "admin")
    page.goto(f"/admin/users?q={username}")
    page.get_by_role("link", name=f"Sperren {username}").click()
    expect(page.locator("h1")).to_have_text(f"{username} sperren")
    check_page(page, "block-form")
    submit(page, "main form button.danger")  # no reason yet
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page, "block-form-error")
    page.fill("[name=reason]", "Beleidigende Kommentare unter der Abstimmung")
    submit(page, "main form button.danger")
    expect(page.locator(".flash-success")).to_contain_text(f"{username} ist gesperrt")
    expect(page.locator("main")).to_contain_text("Beleidigende Kommentare")
    check_page(page, "users-with-blocked")

    other = browser.new_context(locale="de-DE", base_url=live_server.url,
                                viewport=page.viewport_size)
    try:
        person = other.new_page()
        sign_in(person, username)
        expect(person.get_by_role("alert")).to_contain_text("Dieses Konto ist gesperrt.")
        expect(person.get_by_role("alert")).to_contain_text(
            "Der Grund: Beleidigende Kommentare unter der Abstimmung")
        check_page(person, "login-blocked")
    finally:
        other.close()


def test_a_person_downloads_her_data_and_deletes_her_account(page, live_server):
    username = new_person(live_server, last_name="Löschmich")
    person_id = account(live_server, username)["id"]
    sign_in(page, username)
    page.goto("/account")
    check_page(page, "account")
    with page.expect_download() as download:
        page.get_by_role("link", name="Meine Daten herunterladen (JSON)").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["account"]["username"] == username
    assert data["account"]["last_name"] == "Löschmich"

    page.get_by_role("link", name="Mein Konto löschen").click()
    expect(page.locator("h1")).to_have_text("Mein Konto löschen")
    expect(page.locator("main")).to_contain_text("Was bleibt, ohne Ihren Namen")
    check_page(page, "delete")
    # Forgot the box, then a wrong password: each named at the top, nothing deleted.
    page.fill("[name=current_password]", factories.PASSWORD)
    submit(page, "main form button.danger")
    expect(page.locator(".error-summary")).to_contain_text("Bitte bestätigen Sie das Löschen.")
    check_page(page, "delete-unconfirmed")
    page.fill("[name=current_password]", "nicht-mein-passwort")
    page.check("[name=confirm]")
    submit(page, "main form button.danger")
    expect(page.locator(".error-summary")).to_be_visible()
    assert not account(live_server, person_id)["deleted"]
    page.fill("[name=current_password]", factories.PASSWORD)
    page.check("[name=confirm]")
    submit(page, "main form button.danger")
    expect(page.locator(".flash-success")).to_contain_text("Ihr Konto ist gelöscht.")
    check_page(page, "deleted")

    gone = account(live_server, person_id)
    assert gone["deleted"] and gone["email"] is None and gone["username"] != username
    sign_in(page, username)
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.goto("/account").url.endswith("/login?next=%2Faccount")
