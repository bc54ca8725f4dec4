"""A person registers, confirms the e-mail, signs in and switches language - every page
accessible, all by name attributes only (the forms are a contract)."""

import re
import time
import uuid
from email import policy
from email.parser import BytesParser

from playwright.sync_api import expect

from .a11y import check_page

CONFIRM_LINK = re.compile(r"https?://[^\s\"'<>]+/confirm/[^\s\"'<>]+")


def newest_mail(outbox, after: float, timeout: float = 10.0):
    """The newest .eml written after `after` (mail may be written just after the response)."""
    deadline = time.monotonic() + timeout
    while True:
        mails = [p for p in outbox.glob("*.eml") if p.stat().st_mtime >= after]
        if mails:
            newest = max(mails, key=lambda p: p.stat().st_mtime_ns)
            return BytesParser(policy=policy.default).parsebytes(newest.read_bytes())
        if time.monotonic() > deadline:
            found = sorted(p.name for p in outbox.glob("*.eml")) if outbox.exists() else []
            raise AssertionError(f"no new mail in {outbox} (found: {found})")
        time.sleep(0.1)


def mail_text(message) -> str:
    parts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


def is_confirmed(app, username: str) -> bool:
    from mitwirkung.accounts.models import User
    from mitwirkung.extensions import db

    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
        return user.is_confirmed


def submit(page):
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()


def switch_language(page, code: str):
    buttons = page.locator("header .language-switch button")
    if buttons.count() == 0:
        buttons = page.locator(".language-switch button")
    if buttons.count() > 1:
        wanted = buttons.filter(has=page.locator(f"[lang={code}]"))
        if wanted.count() == 0:
            wanted = page.locator(
                f".language-switch button[value={code}], .language-switch button[lang={code}]"
            )
        buttons = wanted
    with page.expect_navigation():
        buttons.first.click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_register_confirm_sign_in_and_switch_language(page, live_server):
    username = "b" + uuid.uuid4().hex[:10]
    password = "Wahlurne-im-Rathaus-2023!"

    page.goto("/register")
    check_page(page, "flow-01-register")
    page.fill("[name=username]", username)
    page.fill("[name=first_name]", "Bruni")
    page.fill("[name=last_name]", "Browser")
    page.fill("[name=email]", f"{username}@example.org")
    page.fill("[name=password]", password)
    page.fill("[name=password_confirm]", password)
    page.check("[name=privacy]")
    started = time.time() - 1
    submit(page)
    assert page.locator("[name=password_confirm]").count() == 0, (
        "registration was refused: " + page.locator("main").inner_text()[:500]
    )
    check_page(page, "flow-02-registered")

    message = newest_mail(live_server.outbox, after=started)
    links = CONFIRM_LINK.findall(mail_text(message))
    assert links, f"no /confirm/ link in the mail:\n{mail_text(message)}"
    assert links[0].startswith(live_server.url), links[0]
    response = page.goto(links[0])
    assert response is not None and response.status < 400, f"confirm: HTTP {response.status}"
    check_page(page, "flow-03-confirm")
    # The link may only show a button (mail scanners open links): press it like a person.
    if page.locator("main button[type=submit]").count():
        submit(page)
        check_page(page, "flow-03-confirmed")
    assert is_confirmed(live_server.app, username), "the confirmation link did not confirm"

    page.goto("/login")
    check_page(page, "flow-04-login")
    page.fill("[name=login]", username)
    page.fill("[name=password]", password)
    submit(page)
    expect(page.locator("header nav", has_text=username).first).to_be_visible()
    check_page(page, "flow-05-signed-in")

    response = page.goto("/account")
    assert response is not None and response.status == 200, f"/account: HTTP {response.status}"
    check_page(page, "flow-06-account")

    switch_language(page, "en")
    check_page(page, "flow-07-account-en")
    switch_language(page, "de")


def test_first_tab_on_login_reaches_the_skip_link(page):
    page.goto("/login")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => document.activeElement && document.activeElement.matches('.skip-link')"
    )
    assert focused, "first Tab does not focus the skip link: " + page.evaluate(
        "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : 'none'"
    )
    expect(page.locator(".skip-link")).to_be_visible()
