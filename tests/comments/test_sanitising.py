"""A comment's text goes through core/sanitize.py once, when saved: every payload of
tests/xss_payloads.py comes out as text in paragraphs and harmless links only."""

import pytest

from mitwirkung.core.sanitize import render_plain_text

from ..core.test_sanitize import assert_harmless, elements
from ..xss_payloads import payloads


@pytest.mark.parametrize("payload", payloads())
def test_every_payload_is_text(payload):
    html = render_plain_text(payload)
    assert_harmless(html)
    assert {tag for tag, _attrs in elements(html)} <= {"p", "br", "a"}
    for tag, attrs in elements(html):
        if tag == "a":
            assert attrs["href"].startswith(("http://", "https://"))
            assert attrs["rel"] == "nofollow ugc noopener"


def test_there_are_at_least_fifty():
    assert len(payloads()) >= 50
