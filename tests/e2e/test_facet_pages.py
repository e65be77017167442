"""Facet pages, the facet sidebar, posting facet links and the search page, in built boards."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from site_gen.urls import output_path
from tests.conftest import run_build
from tests.helpers import parse_html, pay, posting_text, write_board

REPO = Path(__file__).resolve().parents[2]
CONFIG = 'title = "Test board"\nbase_url = "https://jobs.example.com/"\npage_size = 2\n'


POSTINGS = {
    "sf-senior": posting_text(
        title="Senior Python Engineer",
        company={
            "name": "Example Corp",
            "url": "https://corp.example",
            "logo": "https://corp.example/logo.png",
        },
        location=[{"city": "San Francisco", "region": "CA", "country": "US"}],
        remote="hybrid",
        salary=pay(160_000, 190_000),
        experience_level="senior",
        tags=["python", "kubernetes"],
        date_posted="2026-11-26",
    ),
    "remote-americas": posting_text(
        title="Remote Go Developer",
        company={"name": "Example Corp"},
        location=[],
        remote="remote",
        applicant_locations=["US", "CA"],
        salary=pay(150_000, 170_000),
        tags=["go"],
        date_posted="2026-11-25",
    ),
    "zurich-data": posting_text(
        title="Data Engineer",
        company={"name": "Alpenglow AG"},
        location=[{"city": "Zürich", "country": "CH"}],
        salary=pay(120_000, 140_000, "CHF"),
        employment_type="contract",
        tags=["python"],
        date_posted="2026-11-24",
    ),
    "no-pay": posting_text(
        title="Volunteer Maintainer",
        company={"name": "Ferris Foundation"},
        salary=None,
        employment_type="volunteer",
        tags=["python"],
        date_posted="2026-11-23",
    ),
    "closed": posting_text(
        title="Closed Job", tags=["python"], date_posted="2026-10-01", valid_through="2026-11-01"
    ),
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_board(tmp_path_factory.mktemp("facets") / "board", POSTINGS, config=CONFIG)
    return run_build(root).output


def page(out: Path, route: str):
    return parse_html(out / output_path(route))


def cards(out: Path, route: str) -> list[str]:
    """Posting titles of a listing, following its pages."""
    titles: list[str] = []
    next_route: str | None = route
    while next_route is not None:
        doc = page(out, next_route)
        titles += [a.text_content() for a in doc.cssselect(".postings .posting-title a")]
        hrefs = doc.xpath('//a[@rel="next"]/@href')
        next_route = hrefs[0].lstrip("/") if hrefs else None
    return titles


def count_text(doc) -> str:
    return " ".join(doc.cssselect("p.count")[0].text_content().split())


def test_country_page_lists_remote_postings_for_applicants(out: Path):
    assert cards(out, "locations/united-states/") == [
        "Senior Python Engineer",
        "Remote Go Developer",
    ]
    assert cards(out, "locations/canada/") == ["Remote Go Developer"]
    doc = page(out, "locations/united-states/")
    assert doc.cssselect("h1")[0].text_content() == "Jobs in United States"
    assert count_text(doc) == "2 open positions, 1 of them remote"
    remote_card = doc.cssselect(".posting-card")[1]
    assert remote_card.cssselect(".place")[0].text_content().startswith("Remote")


def test_city_page_with_breadcrumb(out: Path):
    doc = page(out, "locations/united-states/san-francisco/")
    assert doc.cssselect("h1")[0].text_content() == "Jobs in San Francisco, United States"
    crumbs = doc.cssselect(".breadcrumbs a")
    assert [a.get("href") for a in crumbs] == [
        "/",
        "/locations/united-states/",
        "/locations/united-states/san-francisco/",
    ]
    assert cards(out, "locations/switzerland/zurich/") == ["Data Engineer"]


@pytest.mark.parametrize(
    ("route", "title", "expected"),
    [
        ("remote/", "Remote jobs", ["Remote Go Developer"]),
        ("hybrid/", "Hybrid jobs", ["Senior Python Engineer"]),
        (
            "salary/usd-150k-200k/",
            "Jobs paying USD 150k–200k",
            ["Senior Python Engineer", "Remote Go Developer"],
        ),
        ("salary/chf-100k-150k/", "Jobs paying CHF 100k–150k", ["Data Engineer"]),
        ("salary/not-listed/", "Jobs with no salary listed", ["Volunteer Maintainer"]),
        ("types/contract/", "Contract jobs", ["Data Engineer"]),
        ("levels/senior/", "Senior jobs", ["Senior Python Engineer"]),
        (
            "tags/python/",
            "Jobs tagged python",
            ["Senior Python Engineer", "Data Engineer", "Volunteer Maintainer"],
        ),
    ],
)
def test_facet_value_pages(out: Path, route: str, title: str, expected: list[str]):
    assert page(out, route).cssselect("h1")[0].text_content() == title
    assert cards(out, route) == expected


def test_facet_pages_paginate_like_the_index(out: Path):
    first, second = page(out, "tags/python/"), page(out, "tags/python/page/2/")
    assert first.findtext(".//title") == "Jobs tagged python – Test board"
    assert second.findtext(".//title") == "Jobs tagged python – page 2 – Test board"
    assert count_text(first) == count_text(second) == "3 open positions"
    assert first.xpath('//a[@rel="next"]/@href') == ["/tags/python/page/2/"]
    assert second.xpath('//a[@rel="prev"]/@href') == ["/tags/python/"]


def test_company_page_shows_name_link_and_logo(out: Path):
    doc = page(out, "companies/example-corp/")
    header = doc.cssselect(".company-header")[0]
    assert header.cssselect("h1")[0].text_content() == "Jobs at Example Corp"
    assert header.cssselect("a")[0].get("href") == "https://corp.example"
    assert header.cssselect("img")[0].get("src") == "https://corp.example/logo.png"
    assert header.cssselect("img")[0].get("alt") == "Example Corp logo"
    assert cards(out, "companies/example-corp/") == [
        "Senior Python Engineer",
        "Remote Go Developer",
    ]


def sidebar_links(element) -> dict[str, int]:
    """href -> count shown, for every value linked in (part of) a facet sidebar."""
    found = {}
    for link in element.cssselect("li > a"):
        count = link.getparent().cssselect(".facet-count")[0]
        found[link.get("href")] = int(count.text)
    return found


def test_sidebar_on_the_index_shows_every_value_with_its_count(out: Path):
    doc = page(out, "")
    links = sidebar_links(doc.cssselect(".facet-sidebar")[0])
    assert links["/tags/python/"] == 3
    assert links["/locations/united-states/"] == 2
    assert links["/locations/united-states/san-francisco/"] == 1
    assert links["/remote/"] == 1
    assert links["/salary/not-listed/"] == 1
    assert links["/companies/example-corp/"] == 2
    for href, count in links.items():
        assert len(cards(out, href.lstrip("/"))) == count, href
    titles = [s.text_content() for s in doc.cssselect(".facet-sidebar summary")]
    assert titles == [
        "Location",
        "Workplace",
        "Salary",
        "Employment type",
        "Experience level",
        "Tag",
        "Company",
    ]
    assert not page(out, "page/2/").cssselect(".facet-sidebar")


def test_posting_page_links_to_its_facet_pages(out: Path):
    doc = page(out, "jobs/sf-senior/")
    tags = [a.get("href") for a in doc.cssselect(".tags a")]
    assert sorted(tags) == ["/tags/kubernetes/", "/tags/python/"]
    links = [a.get("href") for a in doc.cssselect(".posting-facets a")]
    assert links == [
        "/locations/united-states/",
        "/locations/united-states/san-francisco/",
        "/hybrid/",
        "/salary/usd-150k-200k/",
        "/types/full-time/",
        "/levels/senior/",
        "/companies/example-corp/",
    ]
    for href in tags + links:
        assert (out / output_path(href.lstrip("/"))).is_file(), href
    assert not page(out, "jobs/closed/").cssselect(".posting-facets")


def test_closed_postings_are_in_no_facet(out: Path):
    assert "Closed Job" not in cards(out, "tags/python/")
    index = json.loads((out / "search-index.json").read_bytes())
    rows = [
        row for shard, rows in index["inline"].items() if shard.startswith("rows-") for row in rows
    ]
    assert rows and "jobs/closed/" not in [row[0] for row in rows]


def test_search_page_loads_its_script_and_links_facet_pages_without_javascript(out: Path):
    doc = page(out, "search/")
    theme, search = doc.xpath("//script/@src")
    assert re.fullmatch(r"/assets/theme\.[0-9a-f]{8}\.js", theme)  # fingerprinted
    assert re.fullmatch(r"/assets/search\.[0-9a-f]{8}\.js", search)
    assert (out / search.lstrip("/")).is_file()
    (root,) = doc.cssselect("#search")
    assert root.get("data-index") == "/search-index.json"
    assert doc.cssselect("#search-app")[0].get("hidden") is not None
    fallback = sidebar_links(doc.cssselect("#search-browse")[0])
    assert "/tags/python/" in fallback and "/remote/" in fallback
    live = doc.cssselect("#search-status")[0]
    assert (live.get("role"), live.get("aria-live")) == ("status", "polite")
    assert doc.cssselect('label[for="search-q"]')


def all_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_page_has_a_search_box_and_only_the_search_page_loads_the_search_script(
    out: Path,
):
    for path in all_pages(out):
        doc = parse_html(path)
        forms = doc.cssselect('form[role="search"]')
        assert [(f.get("action"), f.get("method")) for f in forms] == [("/search/", "get")], path
        assert forms[0].cssselect('input[name="q"]'), path
        if path != out / "search/index.html":
            # the theme's small script (colour scheme toggle, filter drawer) and nothing else
            (script,) = doc.xpath("//script/@src")
            assert re.fullmatch(r"/assets/theme\.[0-9a-f]{8}\.js", script), path


def test_no_inline_script_or_style_anywhere(out: Path):
    """A strict CSP (script-src 'self'; style-src 'self') must not break any page."""
    for path in all_pages(out):
        doc = parse_html(path)
        assert not doc.xpath("//@style | //style"), path
        for script in doc.xpath("//script[not(@src)]"):
            assert script.get("type") == "application/ld+json", path
        assert not doc.xpath("//@*[starts-with(name(), 'on')]"), path


def test_build_summary_reports_the_index_size(tmp_path: Path):
    root = write_board(tmp_path / "board", POSTINGS, config=CONFIG)
    report = run_build(root)
    size = (report.output / "search-index.json").stat().st_size
    last_line = report.summary().splitlines()[-1]
    assert last_line.startswith(f"search-index.json: {size / 1000:.1f} KB ")
    assert f"({size / 4 / 1000:.2f} KB a posting)" in last_line


# --- the example board -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_build(REPO, output=tmp_path_factory.mktemp("example") / "output").output


def test_the_example_board_has_pages_for_every_facet(example: Path):
    doc = page(example, "")
    facets = {d.get("data-facet"): sidebar_links(d) for d in doc.cssselect(".facet-sidebar .facet")}
    assert set(facets) == {"location", "remote", "salary", "type", "level", "tag", "company"}
    for links in facets.values():
        assert links
        for href, count in links.items():
            first = page(example, href.lstrip("/"))
            assert count_text(first).startswith(f"{count} open position"), href
            assert len(first.cssselect(".postings .posting-card")) == min(count, 20), href
