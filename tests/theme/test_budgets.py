"""The theme's size budgets and self-containment, measured on the built example board:
at most 30 KB of CSS and 30 KB of JavaScript for any page (uncompressed), a job page's HTML
under 60 KB, images with their size set, and nothing loaded from another site.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from tests.helpers import parse_html

CSS_BUDGET = 30_000
JS_BUDGET = 30_000
JOB_PAGE_BUDGET = 60_000


def local_file(site: Path, url: str) -> Path:
    """The built file a root-relative URL names (the example board lives at /)."""
    assert url.startswith("/") and not url.startswith("//"), f"not on this site: {url}"
    return site / urlsplit(url).path.lstrip("/")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_css_and_javascript_of_every_page_stay_within_budget(example_site: Path):
    heaviest = {"css": 0, "js": 0}
    for page in pages(example_site):
        doc = parse_html(page)
        css = sum(
            local_file(example_site, href).stat().st_size
            for href in doc.xpath('//link[@rel="stylesheet"]/@href')
        )
        js = sum(local_file(example_site, src).stat().st_size for src in doc.xpath("//script/@src"))
        heaviest = {"css": max(heaviest["css"], css), "js": max(heaviest["js"], js)}
    assert 0 < heaviest["css"] < CSS_BUDGET
    assert 0 < heaviest["js"] < JS_BUDGET


def test_job_pages_stay_within_budget(example_site: Path):
    sizes = {p.parent.name: p.stat().st_size for p in example_site.glob("jobs/*/index.html")}
    # the example board's longest posting, a typical long one: 7.3 KB of markdown
    assert sizes["senior-backend-engineer"] > 20_000
    assert {name: size for name, size in sizes.items() if size >= JOB_PAGE_BUDGET} == {}


def test_every_image_has_its_size_and_every_resource_is_local(example_site: Path):
    for page in pages(example_site):
        doc = parse_html(page)
        for img in doc.xpath("//img"):
            assert img.get("width") and img.get("height"), (page, img.get("src"))
        resources = doc.xpath(
            '//link[@rel="stylesheet"]/@href | //script/@src | //img/@src | //*[local-name()="use"]/@href'
        )
        assert resources, page
        for url in resources:
            assert local_file(example_site, url).is_file(), (page, url)
