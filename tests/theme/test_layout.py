"""Layout in headless Chromium: nothing scrolls sideways on a 320 px phone, the filter drawer
folds on phones and unfolds on wide screens, the colour scheme toggle remembers the reader's
choice; and the screenshots for the README (375 px and 1280 px, light and dark).
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hosting import REPO
from tests.theme.conftest import (
    ARTIFACTS,
    CLOSED,
    FACET,
    INDEX,
    NOT_FOUND,
    POSTING,
    SEARCH,
    Visitor,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = REPO / "docs" / "screenshots"
# (name, route, width, scheme): every one is saved in tests/artifacts/; these go in the README.
SHOTS = [
    ("index-1280-light", INDEX, 1280, "light"),
    ("index-375-light", INDEX, 375, "light"),
    ("index-1280-dark", INDEX, 1280, "dark"),
    ("index-375-dark", INDEX, 375, "dark"),
    ("posting-1280-light", POSTING, 1280, "light"),
    ("posting-375-light", POSTING, 375, "light"),
    ("posting-1280-dark", POSTING, 1280, "dark"),
    ("posting-375-dark", POSTING, 375, "dark"),
    ("search-1280-light", SEARCH, 1280, "light"),
    ("search-1280-dark", SEARCH, 1280, "dark"),
]
IN_README = {
    "index-1280-light",
    "index-375-dark",
    "posting-1280-dark",
    "posting-375-light",
    "search-1280-light",
}


def phone_pages(site: Path) -> list[str]:
    """Every posting page (descriptions bring tables, code and long words), every kind of
    listing, the search page with results, the content pages and the 404 page."""
    jobs = sorted(
        p.parent.relative_to(site).as_posix() + "/" for p in site.glob("jobs/*/index.html")
    )
    facets = [
        "locations/united-states/",
        "remote/",
        "salary/not-listed/",
        "types/full-time/",
        "levels/senior/",
        FACET,
        "companies/northwind-systems/",
    ]
    return [INDEX, "page/2/", *facets, *jobs, SEARCH, "about/", "post-a-job/", NOT_FOUND]


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_nothing_scrolls_sideways_at_320_px(visitor: Visitor, example_site: Path):
    """And no page uses a web font: the system's fonts are there at once."""
    page = visitor.open(INDEX, width=320, height=640)
    wide = {}
    for route in phone_pages(example_site):
        visitor.go(page, route)
        if overflow(page) > 0:
            wide[route] = overflow(page)
        assert page.evaluate("document.fonts.size") == 0, route
    visitor.go(page, INDEX)
    page.locator(".filter-drawer > summary").click()
    page.locator('.facet[data-facet="location"] > summary').click()
    wide["the open filter drawer"] = overflow(page)
    assert wide == {"the open filter drawer": 0}


def test_the_filter_drawer_folds_on_phones_and_unfolds_on_wide_screens(visitor: Visitor):
    phone = visitor.open(INDEX, width=375)
    expect(phone.locator(".facet-sidebar")).to_be_hidden()
    phone.locator(".filter-drawer > summary").click()
    expect(phone.locator(".facet[open] a").first).to_be_visible()
    desktop = visitor.open(INDEX, width=1280)
    expect(desktop.locator(".facet[open] a").first).to_be_visible()
    expect(desktop.locator(".filter-drawer > summary")).to_be_hidden()


def test_without_javascript_the_drawer_still_opens_and_the_system_scheme_applies(
    visitor: Visitor,
):
    page = visitor.open(INDEX, width=1280, scheme="dark", javascript=False)
    expect(page.locator("#theme-toggle")).to_be_hidden()
    assert background(page) == "rgb(15, 17, 21)"
    page.locator(".filter-drawer > summary").click()
    expect(page.locator(".facet[open] a").first).to_be_visible()


def background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_the_scheme_toggle_is_remembered(visitor: Visitor):
    page = visitor.open(INDEX, scheme="light")
    toggle = page.locator("#theme-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert background(page) == "rgb(246, 247, 249)"
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert background(page) == "rgb(15, 17, 21)"
    visitor.go(page, POSTING)  # another page, same reader
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert background(page) == "rgb(15, 17, 21)"
    page.locator("#theme-toggle").click()
    page.reload()
    assert background(page) == "rgb(246, 247, 249)"


def test_a_closed_posting_says_so_and_offers_similar_jobs(visitor: Visitor):
    page = visitor.open(CLOSED)
    expect(page.locator(".closed-notice")).to_contain_text("This position is closed.")
    expect(page.locator(".apply-button")).to_have_count(0)
    page.locator(".closed-notice a").first.click()
    expect(page.locator(".similar .posting-card").first).to_be_in_viewport()


def test_the_apply_button_is_above_the_fold_on_a_phone(visitor: Visitor):
    page = visitor.open(POSTING, width=375, height=667)
    expect(page.locator(".apply-top .apply-button")).to_be_in_viewport(ratio=1)
    expect(page.locator(".apply-end .apply-button")).to_have_count(1)


# Chromium's raster and PNG encoder differ from run to run in a few pixels and bytes; the
# README's copy is replaced only when the page really looks different.
CHANGED_PIXELS = 500
COUNT_CHANGED = """async ([a, b]) => {
  // Decoded from bytes, not loaded from a URL: the page's CSP allows no data: images.
  const load = (png) => createImageBitmap(
    new Blob([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], { type: "image/png" }),
  );
  const pixels = (image) => {
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, image.width, image.height).data;
  };
  const [x, y] = [await load(a), await load(b)];
  if (x.width !== y.width || x.height !== y.height) return Infinity;
  const [p, q] = [pixels(x), pixels(y)];
  let changed = 0;
  for (let i = 0; i < p.length; i += 4) {
    if (p[i] !== q[i] || p[i + 1] !== q[i + 1] || p[i + 2] !== q[i + 2]) changed += 1;
  }
  return changed;
}"""


def changed_pixels(page: Page, old: Path, new: Path) -> float:
    """How many pixels differ between two PNGs of the same size (compared in the browser)."""
    pictures = [base64.b64encode(path.read_bytes()).decode("ascii") for path in (old, new)]
    return page.evaluate(COUNT_CHANGED, pictures)


def wait_for_images(page: Page) -> None:
    """Until every image has loaded. Polled from here: ``wait_for_function`` polls a string
    with ``eval`` in the page, which the board's Content-Security-Policy (no 'unsafe-eval')
    refuses whenever the images are not complete at the first try."""
    for _ in range(200):
        if page.evaluate("() => [...document.images].every((image) => image.complete)"):
            return
        page.wait_for_timeout(25)
    raise AssertionError("the page's images did not load within 5 s")


def test_screenshots(visitor: Visitor):
    """Saved in tests/artifacts/ on every run; the README's are copied to docs/screenshots/
    when they look different from the ones there."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, route, width, scheme in SHOTS:
        page = visitor.open(route, width=width, height=800 if width > 400 else 760, scheme=scheme)
        wait_for_images(page)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000, name  # a real picture, not a blank page
        readme = SCREENSHOTS / f"{name}.png"
        if name in IN_README and (
            not readme.exists() or changed_pixels(page, readme, path) > CHANGED_PIXELS
        ):
            shutil.copyfile(path, readme)
