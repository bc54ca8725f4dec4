"""Markdown rendering in-process: the texts just inside the limits and the bombs that are
refused (the same corpora as tests/core/test_sanitize.py), each beside an in-process
GET /health; the bar is 100 ms for any accepted text.

    .venv/bin/python bench/rendering.py
"""

import sys
import time

from common import ROOT, Report, median

sys.path.insert(0, str(ROOT))

from mitwirkung import create_app  # noqa: E402
from mitwirkung.core.sanitize import MarkdownTooComplex, render_markdown  # noqa: E402
from tests.core.test_sanitize import BOMBS, NEAR_THE_LIMITS  # noqa: E402

TARGET_MS = 100.0
REPEAT = 7


def timed_ms(action) -> float:
    started = time.perf_counter()
    action()
    return 1000 * (time.perf_counter() - started)


def refused(text: str) -> None:
    try:
        render_markdown(text)
    except MarkdownTooComplex:
        return
    raise AssertionError("a bomb was rendered")


def bench_markdown(report: Report) -> bool:
    client = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}).test_client()
    health = median(timed_ms(lambda: client.get("/health")) for _ in range(50))
    ok = True
    for label, texts, action in (("accepted", NEAR_THE_LIMITS, render_markdown),
                                 ("refused", BOMBS, refused)):
        worst_name, worst = "", 0.0
        for name, text in texts.items():
            ms = median(timed_ms(lambda t=text, act=action: act(t)) for _ in range(REPEAT))
            if ms > worst:
                worst_name, worst = name, ms
        passed = worst < TARGET_MS
        ok = ok and passed
        report.add(f"Markdown, {len(texts)} texts {label}: slowest ({worst_name})",
                   f"median {worst:.1f} ms", f"in-process /health {health:.2f} ms",
                   f"{worst / health:.0f}x", f"< {TARGET_MS:.0f} ms", passed)
    return ok


if __name__ == "__main__":
    report = Report("MitWirkung bench: Markdown rendering")
    bench_markdown(report)
    print(report.render())
