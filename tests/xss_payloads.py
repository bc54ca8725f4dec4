"""Script injection payloads for user text and names. Each one, if it ran, would set
window.__xss (the browser tests look for it, for an <img src=x> and for a script that
mentions it). Vectors from the bleach advisories and the OWASP cheat sheet, each also
behind the usual breakouts of an attribute, a text area, a title or a script."""

RUN = "window.__xss=1"

VECTORS = [
    f"<script>{RUN}</script>",
    f"<img src=x onerror={RUN}>",
    f'<img src="x" onerror="{RUN}">',
    f"<svg onload={RUN}>",
    f"<svg><script>{RUN}</script></svg>",
    f"<body onload={RUN}>",
    f"<iframe srcdoc='<script>parent.{RUN}</script>'></iframe>",
    f'<a href="javascript:{RUN}">x</a>',
    f'<a href="JaVaScRiPt:{RUN}">x</a>',
    f'<a href="java&#x09;script:{RUN}">x</a>',
    f"[klick](javascript:{RUN})",
    f'<details open ontoggle="{RUN}">',
    f'<input autofocus onfocus="{RUN}">',
    f'<video><source onerror="{RUN}"></video>',
    f"<svg><style><img src=x onerror={RUN}></style></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f"<math><style><!--</style><img src=x onerror={RUN}>-->",
    f'<noscript><p title="</noscript><img src=x onerror={RUN}>"></noscript>',
    f"<!--><img src=x onerror={RUN}>-->",
    f'<form action="javascript:{RUN}"><button>go</button></form>',
    f'<object data="javascript:{RUN}"></object>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    f'https://example.org/"onmouseover="{RUN}"',
    f"https://example.org/<img src=x onerror={RUN}>",
    f"{{{{ {RUN} }}}}",
    f"${{{RUN}}}",
]
BREAKOUTS = ["", '">', "'>", "</textarea>", "</title>", "</script>"]


def payloads(limit: int | None = None) -> list[str]:
    """Every vector alone, then behind each breakout: 156, or the first `limit`."""
    every = [breakout + vector for breakout in BREAKOUTS for vector in VECTORS]
    return every[:limit] if limit else every


def names(count: int, length: int = 40) -> list[str]:
    """Payloads that fit a username of `length` characters, made unique by a number."""
    short = [p for p in payloads() if len(p) <= length - 3]
    return [f"{n:02d}{short[n % len(short)]}"[:length] for n in range(count)]
