"""Routes, slugs and links, with and without a subpath; static files by fingerprinted name."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from markupsafe import Markup

from site_gen.urls import (
    SiteUrls,
    listing_route,
    mailto,
    output_path,
    percent_encoded,
    quote_pattern,
    slugify,
    value_slug,
)


def test_slugs_are_ascii_and_transliterated():
    assert slugify("Zürich") == "zurich"
    assert slugify("São Paulo") == "sao-paulo"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("!!!") == ""
    assert len(slugify("word " * 100)) <= 80


@pytest.mark.parametrize("make", [slugify, value_slug])
def test_slugs_come_from_text_unidecode_with_unidecode_installed(make) -> None:
    # A test dependency, which python-slugify's default would take wherever it is installed.
    import unidecode

    haifa = "\u05d7\u05d9\u05e4\u05d4"
    assert unidecode.unidecode(haifa) == "Hyph"  # what Unidecode makes of it
    assert make(haifa) == "khyph"  # text-unidecode's spelling, pinned
    assert make("Z\u00fcrich") == "zurich"


def test_routes_become_files():
    assert output_path("") == "index.html"
    assert output_path("jobs/a/") == "jobs/a/index.html"
    assert output_path("feed.xml") == "feed.xml"
    assert listing_route("", 1) == ""
    assert listing_route("tags/go/", 3) == "tags/go/page/3/"


def test_subpath_base_url():
    urls = SiteUrls("https://example.github.io/board/")
    assert urls.prefix == "/board/"
    assert urls.href("jobs/a/") == "/board/jobs/a/"
    assert urls.absolute("jobs/a/") == "https://example.github.io/board/jobs/a/"
    assert SiteUrls("https://jobs.example.com/").href("") == "/"


ASSETS = {"style.css": "style.0123abcd.css", "img/logo.png": "img/logo.89ab4567.png"}


@pytest.mark.parametrize(
    ("base", "url", "link", "absolute"),
    [
        ("https://jobs.example.com/", "/about/", "/about/", "https://jobs.example.com/about/"),
        (
            "https://example.github.io/board/",
            "/about/",
            "/board/about/",
            "https://example.github.io/board/about/",
        ),
        (
            "https://example.github.io/board/",
            "/assets/img/logo.png",
            "/board/assets/img/logo.89ab4567.png",
            "https://example.github.io/board/assets/img/logo.89ab4567.png",
        ),
        (
            "https://example.github.io/board/",
            "/assets/unknown.png",
            "/board/assets/unknown.png",
            "https://example.github.io/board/assets/unknown.png",
        ),
        (
            "https://example.github.io/board/",
            "https://x.org/a",
            "https://x.org/a",
            "https://x.org/a",
        ),
        ("https://example.github.io/board/", "//cdn.x.org/a", "//cdn.x.org/a", "//cdn.x.org/a"),
    ],
)
def test_site_paths_are_inside_the_board_and_full_urls_are_left_alone(base, url, link, absolute):
    urls = SiteUrls(base, ASSETS)
    assert urls.link(url) == link
    assert urls.absolute_link(url) == absolute


def test_asset_links_by_fingerprinted_name_under_the_subpath():
    urls = SiteUrls("https://example.github.io/board/", ASSETS)
    assert urls.asset("style.css") == "/board/assets/style.0123abcd.css"
    with pytest.raises(KeyError):
        urls.asset("missing.css")


@pytest.mark.parametrize("safe", ["", "/", "@!$'()*+;:", "-]^\\"])
@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain-text_1.0~/path",
        "100% remote & 50%20 off: a?b=c#d, @x!$'()*+;:",
        "Zürich, 東京, 😀, tab\tand\nnew line -]^\\",
        Markup("R&D 'x' <b>"),
    ],
)
def test_percent_encoding_is_pythons_quote(safe: str, text: str):
    encoded = percent_encoded(text, quote_pattern(safe))
    assert encoded == quote(text, safe=safe)
    assert type(encoded) is str  # not Markup: the page escapes it as text


def test_mailto_encodes_the_address_and_fields_as_pythons_quote():
    href = mailto("a?cc=b@example.com", subject="R&D – 100% 'x'", body="https://x.example/a b/")
    assert href == (
        "mailto:"
        + quote("a?cc=b@example.com", safe="@!$'()*+;:")
        + "?subject="
        + quote("R&D – 100% 'x'", safe="")
        + "&body="
        + quote("https://x.example/a b/", safe="")
    )
