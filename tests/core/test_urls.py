"""Ids and page numbers beyond what the database holds are 404, never an OverflowError."""

import pytest

from mitwirkung.core.urls import MAX_ID, MAX_PAGE

from ..conftest import signed_in_client
from ..url_map import concrete_rules

HUGE = ("2147483648", "9223372036854775808", "99999999999999999999")


@pytest.mark.parametrize("number", HUGE)
def test_an_id_out_of_range_is_404_on_every_route(app, admin, world, number):
    client = signed_in_client(app, admin)
    tried = 0
    for _rule, method, path in concrete_rules(
        app, world, replace=lambda converter, _name: number if converter == "int" else None
    ):
        if number in path:
            assert client.open(path, method=method).status_code == 404, (method, path)
            tried += 1
    assert tried > 30


def test_the_largest_id_is_still_an_id(app, admin):
    client = signed_in_client(app, admin)
    assert client.get(f"/manage/projects/{MAX_ID}/edit").status_code == 404
    assert client.get(f"/manage/votes/new?project={MAX_ID}").status_code == 404


@pytest.mark.parametrize("path", ["/admin/users", "/admin/audit"])
def test_page_numbers_are_bounded(app, admin, path):
    client = signed_in_client(app, admin)
    assert client.get(f"{path}?page=99999999999999999999").status_code == 404
    assert client.get(f"{path}?page={MAX_PAGE + 1}").status_code == 404
    for harmless in (MAX_PAGE, 0, -5, "zwei", ""):
        assert client.get(f"{path}?page={harmless}").status_code == 200, harmless


@pytest.mark.parametrize("value", ["9223372036854775808", "-1", "0"])
def test_a_project_id_in_the_query_out_of_range_is_404(app, admin, value):
    client = signed_in_client(app, admin)
    assert client.get(f"/manage/votes/new?project={value}").status_code == 404
