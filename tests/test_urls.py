"""Routes, slugs and links."""

from site_gen.urls import SiteUrls, listing_route, output_path, slugify


def test_slugs_are_ascii_and_transliterated():
    assert slugify("Zürich") == "zurich"
    assert slugify("São Paulo") == "sao-paulo"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("!!!") == ""
    assert len(slugify("word " * 100)) <= 80


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
