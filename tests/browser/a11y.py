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


def check_page(page, name: str) -> None:
    """Screenshot (when asked for) and assert zero axe violations."""
    save_screenshot(page, name)
    assert_accessible(page)


def _flatten(targets):
    for target in targets:
        if isinstance(target, list):  # selectors into shadow DOM / iframes
            yield " >> ".join(map(str, target))
        else:
            yield str(target)
