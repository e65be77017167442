"""The repository's example board, built once with the test clock, for the theme's tests.

Browser tests open it over HTTP on 127.0.0.1 with netlify.toml's headers, its strict Content
Security Policy included (``tests/hosting.py`` serves it), in headless Chromium at a given width and colour
scheme; any request that leaves 127.0.0.1 fails the test (the theme makes no third-party
requests).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.conftest import run_build
from tests.hosting import REPO, header_rules, serve

ARTIFACTS = REPO / "tests" / "artifacts"
# One page of each kind: what the accessibility and screenshot tests look at.
INDEX = ""
POSTING = "jobs/senior-backend-engineer/"
CLOSED = "jobs/site-reliability-engineer/"
FACET = "tags/python/"
SEARCH = "search/?q=engineer"
NOT_FOUND = "404.html"
POST_A_JOB = "post-a-job/"


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example board's output folder."""
    return run_build(REPO, output=tmp_path_factory.mktemp("theme-example") / "output").output


@pytest.fixture(scope="session")
def site_url(example_site: Path) -> Iterator[str]:
    with serve(example_site, header_rules()) as url:
        yield url


class Visitor:
    """Opens pages of the served board in fresh browser contexts and collects page errors."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.browser = browser
        self.base = base
        self.errors: list[str] = []
        self.contexts: list[BrowserContext] = []

    def open(
        self,
        route: str,
        *,
        width: int = 1280,
        height: int = 800,
        scheme: str = "light",
        javascript: bool = True,
    ) -> Page:
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,  # type: ignore[arg-type]
            java_script_enabled=javascript,
            reduced_motion="reduce",
        )
        self.contexts.append(context)
        context.route(lambda url: not url.startswith(self.base), self._outside)
        # Browsers ask for /favicon.ico on their own; the board has none.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        page = context.new_page()
        page.set_default_timeout(5_000)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.go(page, route)
        return page

    def go(self, page: Page, route: str) -> None:
        page.goto(self.base + route)
        if route.startswith("search/"):
            page.locator("#search-results li").first.wait_for()

    def _outside(self, route) -> None:  # type: ignore[no-untyped-def]
        self.errors.append(f"third-party request: {route.request.url}")
        route.abort()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def visitor(browser: Browser, site_url: str) -> Iterator[Visitor]:
    """Fresh browser contexts on the example board; the test fails on any page error."""
    visitor = Visitor(browser, site_url)
    yield visitor
    visitor.close()
    assert visitor.errors == []
