"""The whole URL and slug scheme in one place.

A *route* is a site-relative path such as ``jobs/acme-engineer/`` or ``feed.xml``. Routes
become output file paths (``jobs/acme-engineer/index.html``), links (prefixed with the base
URL's path, so a board can live under a subpath) and absolute URLs (for canonical links,
feeds, the sitemap and JSON-LD).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from slugify import slugify as _slugify

SLUG_MAX_LENGTH = 80
# Symbols that carry meaning in tag and company names, so that "c++", "c#" and "c" differ.
SYMBOL_WORDS = [["++", " plus plus "], ["+", " plus "], ["#", " sharp "], ["&", " and "]]

SEARCH_ROUTE = "search/"
SEARCH_INDEX_ROUTE = "search-index.json"

# Where each facet's value pages live; "{}" is the value's key. Remote and Hybrid sit at
# the top level (``remote/``, ``hybrid/``), as people look for them first.
FACET_ROUTES = {
    "location": "locations/{}/",
    "remote": "{}/",
    "salary": "salary/{}/",
    "type": "types/{}/",
    "level": "levels/{}/",
    "tag": "tags/{}/",
    "company": "companies/{}/",
}


def slugify(text: str) -> str:
    """Lower-case ASCII slug; transliterates ("Zürich" -> "zurich"). May return ''."""
    return _slugify(text, max_length=SLUG_MAX_LENGTH, word_boundary=True, save_order=True)


def value_slug(text: str) -> str:
    """A facet value's slug: like ``slugify``, but "c++" -> "c-plus-plus". May return ''."""
    return _slugify(text, max_length=SLUG_MAX_LENGTH, word_boundary=True, replacements=SYMBOL_WORDS)


def facet_route(facet: str, key: str) -> str:
    """The listing page of one facet value, e.g. ``tags/python/``."""
    return FACET_ROUTES[facet].format(key)


def posting_route(slug: str) -> str:
    return f"jobs/{slug}/"


def page_route(slug: str) -> str:
    return f"{slug}/"


def listing_route(base: str, page: int) -> str:
    """Page 1 of a listing lives at its base route; later pages at ``page/N/`` below it."""
    return base if page == 1 else f"{base}page/{page}/"


def output_path(route: str) -> str:
    """Where a route's file is written, relative to the output folder."""
    if route == "" or route.endswith("/"):
        return f"{route}index.html"
    return route


@dataclass(frozen=True)
class SiteUrls:
    """Turns routes into links and absolute URLs for one base URL."""

    base_url: str  # always ends with "/"

    @property
    def prefix(self) -> str:
        """The base URL's path, e.g. ``/`` or ``/board/``."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def href(self, route: str) -> str:
        """A root-relative link to a route, right for the base URL's subpath."""
        return self.prefix + route.lstrip("/")

    def absolute(self, route: str) -> str:
        return self.base_url + route.lstrip("/")
