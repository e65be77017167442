"""The Content-Security-Policy of netlify.toml against the real pages, in a real browser.

The example board is built as Netlify builds it (``--minify``) and served over HTTP on
127.0.0.1 with every header netlify.toml declares. Headless Chromium opens one page of each
kind and must report no CSP violation (``securitypolicyviolation`` events, console errors)
while the stylesheet still applies. A canary page with inline script and style shows that a
violation would be seen. The minified pages must also read and link exactly as the plain
ones do, as the browser renders them.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.conftest import run_build
from tests.hosting import REPO, header_rules, serve

pytestmark = [pytest.mark.browser, pytest.mark.server]

# Registered before any page script runs (injected by the browser, so CSP does not apply).
WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""
# One page of each kind in the example board, and a path that names no file.
PAGES = [
    "",
    "page/2/",
    "jobs/senior-backend-engineer/",  # JSON-LD
    "jobs/site-reliability-engineer/",  # expired, kept: closed notice
    "about/",
    "no/such/page/",
    "search/",  # its script loads search-index.json and builds the results
    "tags/python/",  # a facet page
    "post-a-job/",  # its script builds the form from the rules embedded as JSON
]
CANARY = """<!DOCTYPE html><html><head><title>canary</title>
<style>body { color: red }</style></head>
<body style="margin: 3px"><script>document.title = 'ran'</script></body></html>
"""


@dataclass(frozen=True)
class Visit:
    status: int
    headers: dict[str, str]
    violations: list[str]
    errors: list[str]  # console errors
    body_margin: str  # computed: the theme's stylesheet sets 0px
    title: str
    text: str  # document.body.innerText: what the page shows
    links: list[str]  # every href and src, as written


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example board as Netlify builds it, and without --minify."""
    root = tmp_path_factory.mktemp("builds")
    run_build(REPO, output=root / "minified", minify=True)
    run_build(REPO, output=root / "plain")
    return {"minified": root / "minified", "plain": root / "plain"}


class Tab:
    """One browser tab that reports, for each page it opens, what a visitor would get."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.page.add_init_script(WATCH_VIOLATIONS)
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def visit(self, url: str) -> Visit:
        self.errors = []
        response = self.page.goto(url, wait_until="load")
        assert response is not None
        state: dict[str, Any] = self.page.evaluate(
            """async () => {
              // Violation events are queued as tasks: let those of the load arrive.
              await new Promise(done => setTimeout(done, 50));
              return {
                violations: window.__csp,
                margin: getComputedStyle(document.body).marginTop,
                title: document.title,
                text: document.body.innerText,
                links: [...document.querySelectorAll('[href], [src]')]
                    .map(e => e.getAttribute('href') ?? e.getAttribute('src')),
              };
            }"""
        )
        return Visit(
            status=response.status,
            headers=response.all_headers(),
            violations=state["violations"],
            errors=self.errors,
            body_margin=state["margin"],
            title=state["title"],
            text=state["text"],
            links=state["links"],
        )


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    opened = Tab(browser)
    yield opened
    opened.context.close()


def test_the_pages_satisfy_the_netlify_csp(tab: Tab, builds: dict[str, Path]):
    output = builds["minified"]
    with serve(output, header_rules()) as base:
        for route in PAGES:
            seen = tab.visit(base + route)
            assert "default-src 'none'" in seen.headers["content-security-policy"]
            assert seen.status == (404 if route.startswith("no/") else 200), route
            assert seen.violations == [], route
            unexpected = [e for e in seen.errors if not e.startswith("Failed to load resource")]
            assert unexpected == [], route
            assert seen.body_margin == "0px", f"{route}: the stylesheet did not apply"
            if route == "search/":
                tab.page.wait_for_selector("#search-results li")  # the script ran, index loaded
                assert tab.page.evaluate("window.__csp") == []


def test_a_page_that_breaks_the_csp_is_caught(tab: Tab, builds: dict[str, Path], tmp_path: Path):
    output = tmp_path / "site"
    shutil.copytree(builds["minified"], output)
    (output / "canary.html").write_text(CANARY)
    with serve(output, header_rules()) as base:
        seen = tab.visit(base + "canary.html")
    assert seen.title == "canary"  # the inline script did not run
    assert seen.body_margin == "8px"  # the inline style attribute was not applied
    directives = {v.split()[0] for v in seen.violations}
    assert {"script-src-elem", "style-src-elem", "style-src-attr"} <= directives
    assert any("Content Security Policy" in e for e in seen.errors)


def test_minified_pages_read_and_link_as_the_plain_ones(tab: Tab, builds: dict[str, Path]):
    def unhashed(links: list[str]) -> list[str]:
        return [re.sub(r"\.[0-9a-f]{8}(\.\w+)$", r"\1", link) for link in links]

    with serve(builds["plain"]) as plain, serve(builds["minified"]) as small:
        for route in PAGES:
            before, after = tab.visit(plain + route), tab.visit(small + route)
            assert after.text == before.text, route
            assert after.title == before.title, route
            assert unhashed(after.links) == unhashed(before.links), route
            assert after.body_margin == before.body_margin == "0px", route
