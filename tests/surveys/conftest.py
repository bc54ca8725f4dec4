"""Fixtures of the survey tests: the builder's people with a client each, and a fresh memo
of kept histograms per test (rolled back surveys give their ids again)."""

import pytest

from .builder import as_, people  # noqa: F401  (the builder's people, a client for each)


@pytest.fixture(autouse=True)
def _forget_kept_histograms():
    from mitwirkung.surveys.results.services import forget_kept

    forget_kept()
    yield
    forget_kept()
