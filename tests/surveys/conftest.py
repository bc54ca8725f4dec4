"""What the survey results tests share: a fresh memo of kept histograms per test (rolled
back surveys give their ids again)."""

import pytest


@pytest.fixture(autouse=True)
def _forget_kept_histograms():
    from mitwirkung.surveys.results.services import forget_kept

    forget_kept()
    yield
    forget_kept()
