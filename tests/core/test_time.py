"""One format for moments and days, in the city's zone, per language."""

from datetime import date, datetime

import flask
import pytest

from mitwirkung.core.time import format_day, format_moment

WINTER = datetime(2027, 1, 10, 20, 0)  # UTC; 21:00 in Berlin
SUMMER = datetime(2026, 7, 1, 7, 5)  # UTC; 09:05 in Berlin


@pytest.mark.parametrize(("lang", "moment", "day"), [
    ("de", "10.01.2027, 21:00 Uhr", "01.07.2026"),
    ("en", "10 Jan 2027, 21:00", "1 Jul 2026"),
])
def test_moments_and_days_read_the_same_everywhere(app, lang, moment, day):
    with app.test_request_context():
        flask.session["lang"] = lang
        assert format_moment(WINTER) == moment
        assert format_day(date(2026, 7, 1)) == day


def test_summer_time_is_the_city_clock(app):
    with app.test_request_context():
        assert format_moment(SUMMER) == "01.07.2026, 09:05 Uhr"


def test_pages_use_it(app_ctx, client):
    from tests.projects import factories as project_factories
    from tests.votes.factories import make_vote

    vote = make_vote(project_factories.project())
    page = client.get(f"/votes/{vote.slug}").get_data(as_text=True)
    assert format_moment(vote.closes_at) in page and " Uhr" in page
