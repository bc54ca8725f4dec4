"""User Markdown becomes safe HTML: known XSS and mutation-XSS payloads are removed."""

import time
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from mitwirkung.core.sanitize import (
    ALLOWED_TAGS,
    MarkdownTooComplex,
    clean_html,
    markdown_problem,
    render_markdown,
    stored_html,
)


class _Elements(HTMLParser):
    """Collects every start tag with its attributes, as a browser's parser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_harmless(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        assert not [name for name in attrs if name.startswith("on")], html
        assert set(attrs) <= {"href", "title", "rel"}, html
        href = (attrs.get("href") or "").strip().lower()
        assert href == "" or href.startswith(("http://", "https://", "mailto:")), html


PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "script-in-paragraph": "Text <script src=//evil.example/x.js></script> more",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "onclick": '<p onclick="alert(1)">click</p>',
    "onmouseover-link": '<a href="https://example.org" onmouseover="alert(1)">x</a>',
    "style": '<p style="background:url(javascript:alert(1))">x</p>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "javascript-link": "[click](javascript:alert(1))",
    "javascript-link-mixed-case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "javascript-link-with-tab": '<a href="java&#x09;script:alert(1)">x</a>',
    "javascript-link-entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "data-link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "vbscript-link": '<a href="vbscript:msgbox(1)">x</a>',
    # Mutation XSS payloads from the bleach advisories (CVE-2020-6802, CVE-2020-6816,
    # CVE-2021-23980): foreign content and noscript parsing differences.
    "svg-style": "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "math-mglyph": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "math-style-comment": "<math><style><!--</style><img src=x onerror=alert(1)>-->",
    "noscript-title": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "svg-onload": "<svg onload=alert(1)><circle r=4 /></svg>",
    "comment-breakout": "<!--><img src=x onerror=alert(1)>-->",
    "form-action": '<form action="javascript:alert(1)"><button>go</button></form>',
    "object": '<object data="javascript:alert(1)"></object>',
    "base": '<base href="https://evil.example/">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_dangerous_markup_is_removed_or_shown_as_text(payload):
    html = render_markdown(payload)
    assert_harmless(html)
    # Raw HTML in Markdown is text: escaped, so it never becomes an element (a bare address
    # in it may become a harmless link).
    assert {tag for tag, _attrs in elements(html)} <= {"p", "br", "a"}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_dangerous_html_is_stripped_by_the_cleaner(payload):
    html = clean_html(payload)
    assert_harmless(html)
    assert "javascript:" not in html.lower() or "<a" not in html


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_cleaning_twice_changes_nothing(payload):
    # If a second pass changed the output, a browser's re-parse could too (mutation XSS).
    once = clean_html(payload)
    assert clean_html(once) == once


def test_normal_markdown_is_kept():
    text = (
        "## Ablauf\n\n"
        "Wir sammeln **Ideen** und *Namen*.\n\n"
        "- erste Werkstatt\n- zweite Werkstatt\n\n"
        "1. Entwurf\n2. Abstimmung\n\n"
        "> Ein Zitat\n\n"
        'Mehr auf [der Stadtseite](https://www.kaiserslautern.de "Stadt") '
        "oder per [Mail](mailto:info@example.org).\n\n"
        "`code` und\n\n---\n"
    )
    html = render_markdown(text)
    for expected in (
        "<h2>Ablauf</h2>",
        "<strong>Ideen</strong>",
        "<em>Namen</em>",
        "<ul>\n<li>erste Werkstatt</li>",
        "<ol>\n<li>Entwurf</li>",
        "<blockquote>",
        '<a href="https://www.kaiserslautern.de" title="Stadt" rel="nofollow noopener">',
        'href="mailto:info@example.org"',
        "<code>code</code>",
        "<hr>",
    ):
        assert expected in html


def test_bare_links_are_linked_with_nofollow():
    html = render_markdown("Siehe https://example.org/plan?x=1")
    assert '<a href="https://example.org/plan?x=1" rel="nofollow noopener">' in html


def test_text_that_looks_like_markup_is_escaped_not_dropped():
    html = render_markdown("3 < 5 & 7 > 2")
    assert "3 &lt; 5 &amp; 7 &gt; 2" in html


def test_stored_html_is_markup_and_empty_input_is_allowed():
    assert isinstance(stored_html(render_markdown("x")), Markup)
    assert render_markdown(None) == "" and render_markdown("") == "" and stored_html(None) == ""


# Rendering is bounded: bombs are refused before they cost anything, and what is accepted
# is bounded in the work it makes (the milliseconds are measured by `make bench`).

BOMBS = {
    "brackets": "[" * 25_000 + "]" * 24_000,  # over 30 s in Python-Markdown
    "unclosed links": "[a](" * 12_000,
    "emphasis": "*a **b " * 7_000,
    "lines": "a\n\n" * 16_000,
    "list items": "- a\n" * 12_000,
    "autolinks": "<http://a.de> " * 3_500,
    "bare addresses": "www.a.de " * 5_500,
    "entities": "&amp;" * 10_000,
    "backticks": "`a" * 25_000,
}


@pytest.mark.parametrize("text", BOMBS.values(), ids=BOMBS.keys())
def test_a_markdown_bomb_is_refused_at_once_with_a_message(app_ctx, text):
    started = time.perf_counter()
    problem = markdown_problem(text)
    assert problem and "Text" in problem
    with pytest.raises(MarkdownTooComplex):
        render_markdown(text)
    assert time.perf_counter() - started < 1  # the check, not the rendering, ran


def _filled(text: str) -> str:
    return (text + " Wort" * 12_000)[:50_000]


NEAR_THE_LIMITS = {
    "500 brackets": _filled("[" * 500),
    "330 links": _filled("[Plan](https://example.org) " * 330),
    "330 autolinks": _filled("<https://example.org> " * 330),
    "490 strong": _filled("**a** " * 490),
    "490 headings": "## Abschnitt\n" * 490,
    "990 backticks": _filled("`a" * 990),
    "300 list items": "- Punkt\n" * 300,
    "deep nesting": "- " * 500 + "x",  # a RecursionError (500) in Python-Markdown
    "deep quotes": "> " * 5_000 + "x",
    "800 emphasis marks": _filled("*a* " * 400),
    "390 addresses": _filled("www.kaiserslautern.de " * 390),
    "50,000 letters": "a" * 50_000,
}


@pytest.mark.parametrize("text", NEAR_THE_LIMITS.values(), ids=NEAR_THE_LIMITS.keys())
def test_text_near_the_limits_is_accepted_and_its_work_is_bounded(text):
    from mitwirkung.core.sanitize import MAX_TOKENS, _tokens

    assert markdown_problem(text) is None
    tokens = _tokens(text)
    assert len(tokens) + sum(len(token.children or ()) for token in tokens) <= MAX_TOKENS
    assert_harmless(render_markdown(text))


def test_hard_breaks_keep_each_line_of_a_paragraph():
    text = "Stadtverwaltung Musterstadt\nRathausplatz 1\n67657 Musterstadt\n\nNeuer Absatz"
    html = render_markdown(text, hard_breaks=True)
    assert "Musterstadt<br>\nRathausplatz 1<br>\n67657" in html
    assert "<p>Neuer Absatz</p>" in html
    assert "<br>" not in render_markdown(text)


def test_blank_text_renders_to_nothing_however_long():
    assert render_markdown("\n" * 5000) == ""
    assert render_markdown(" \t\n" * 2000, hard_breaks=True) == ""
