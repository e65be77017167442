"""axe-core in headless Chromium: no WCAG 2.2 A/AA violation, nor best-practice one, on each
kind of page, in the light and the dark scheme and with the dark scheme picked by the toggle.

axe's best practices include what the issue asks beyond WCAG's letter: landmarks around all
content, one h1, headings in order, unique landmark names.
"""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.theme.conftest import (
    CLOSED,
    FACET,
    INDEX,
    NOT_FOUND,
    POST_A_JOB,
    POSTING,
    SEARCH,
    Visitor,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]

PAGES = [INDEX, POSTING, CLOSED, FACET, SEARCH, NOT_FOUND, POST_A_JOB]
RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}
AXE = Axe()


def violations(page: Page) -> list[str]:
    """axe's violations, one line each: rule, impact, and the first offending elements."""
    found = AXE.run(page, options=RULES).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): "
        + json.dumps([n["target"] for n in v["nodes"][:3]])
        + " "
        + v["nodes"][0]["failureSummary"].replace("\n", " ")
        for v in found
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_violations(visitor: Visitor, scheme: str):
    page = visitor.open(INDEX, scheme=scheme)
    problems = {}
    for route in PAGES:
        visitor.go(page, route)
        problems[route or "/"] = violations(page)
    assert problems == {route or "/": [] for route in PAGES}


def test_no_violations_on_a_phone_with_the_filter_drawer_open(visitor: Visitor):
    page = visitor.open(INDEX, width=375, scheme="dark")
    page.locator(".filter-drawer > summary").click()
    expect(page.locator(".facet-sidebar")).to_be_visible()
    assert violations(page) == []


def test_no_violations_in_the_scheme_picked_with_the_toggle(visitor: Visitor):
    page = visitor.open(POSTING, scheme="light")
    page.locator("#theme-toggle").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert violations(page) == []
