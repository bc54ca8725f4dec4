"""Every page's <title> is text: a template that leaks markup into its title block shows
tags in the browser's tab and to screen readers, which announce the title first."""

import re

from ..conftest import signed_in_client
from ..url_map import concrete_rules

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def test_every_page_title_is_plain_text(app, admin, world):
    client = signed_in_client(app, admin)
    read = 0
    for _rule, method, path in concrete_rules(app, world):
        if method != "GET":
            continue
        response = client.get(path)
        body = response.get_data()  # read to the end: exports stream
        response.close()
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        found = TITLE.search(body.decode())
        assert found and found.group(1).strip(), path
        assert "<" not in found.group(1), (path, found.group(1)[:120])
        read += 1
    assert read > 50
