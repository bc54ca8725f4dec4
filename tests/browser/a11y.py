"""Accessibility and screenshot helpers for browser tests."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_accessible(page, context=None) -> None:
    """Run axe-core on the current page; fail listing every violation (zero allowed)."""
    results = _axe.run(page, context=context)
    violations = results.response["violations"]
    if not violations:
        return
    lines = [f"{len(violations)} axe-core violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}"
            f"  [{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"]:
            target = " ".join(_flatten(node.get("target", [])))
            lines.append(f"    at {target}")
            summary = re.sub(r"\s*\n\s*", " / ", (node.get("failureSummary") or "").strip())
            if summary:
                lines.append(f"       {summary}")
    pytest.fail("\n".join(lines), pytrace=False)


def save_screenshot(page, name: str) -> Path | None:
    """Save a full-page PNG to $SCREENSHOT_DIR/<name>.png for humans; no-op when unset."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return None
    path = Path(folder) / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") + ".png")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


PHONE_WIDTH = 320  # CSS px: the narrowest phone in use; 375 is the common one


def assert_fits_a_phone(page) -> None:
    """The page, laid out PHONE_WIDTH px wide, is no wider than that: nothing is cut off
    or reached only by scrolling the whole page sideways (a table may scroll inside its
    own labelled region). The viewport is put back afterwards."""
    viewport = page.viewport_size
    if viewport["width"] != PHONE_WIDTH:
        page.set_viewport_size({"width": PHONE_WIDTH, "height": viewport["height"]})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            wide = page.evaluate("""(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit + 0.5
                             && !e.closest('.table-scroll'))
                .slice(0, 5).map(e => e.tagName.toLowerCase()
                    + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string'
                    ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))""", PHONE_WIDTH)
            pytest.fail(f"{page.url} is {width} px wide at {PHONE_WIDTH} px: {wide}",
                        pytrace=False)
    finally:
        if viewport["width"] != PHONE_WIDTH:
            page.set_viewport_size(viewport)


def check_page(page, name: str) -> None:
    """Screenshot (when asked for), assert zero axe violations and that the page fits a
    phone's width."""
    save_screenshot(page, name)
    assert_accessible(page)
    assert_fits_a_phone(page)


def _flatten(targets):
    for target in targets:
        if isinstance(target, list):  # selectors into shadow DOM / iframes
            yield " >> ".join(map(str, target))
        else:
            yield str(target)
