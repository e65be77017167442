"""The icon in a real browser: the page's icon links and /favicon.ico answer 200 with an
image, so no page view logs a 404 for it (the ``page`` fixture fails on any console error)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_the_icons_load_without_an_error(page: Page, board_url: str) -> None:
    page.goto(board_url)
    hrefs = page.eval_on_selector_all("link[rel=icon]", "links => links.map(l => l.href)")
    assert len(hrefs) == 2
    for url in [*hrefs, f"{board_url}favicon.ico"]:
        response = page.request.get(url)
        assert response.status == 200, url
        assert response.headers["content-type"].startswith("image/"), url
