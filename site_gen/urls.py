"""The whole URL and slug scheme in one place.

A *route* is a site-relative path such as ``jobs/acme-engineer/`` or ``feed.xml``. Routes
become output file paths (``jobs/acme-engineer/index.html``), links (prefixed with the base
URL's path, so a board can live under a subpath) and absolute URLs (for canonical links,
feeds, the sitemap and JSON-LD).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal
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

# Routes of the site-wide files (relative to the base URL).
NOT_FOUND_ROUTE = "404.html"
ATOM_FEED_NAME = "feed.xml"
JSON_FEED_NAME = "feed.json"
SITEMAP_ROUTE = "sitemap.xml"
ROBOTS_ROUTE = "robots.txt"
REDIRECTS_ROUTE = "_redirects"  # Netlify's and Cloudflare Pages' redirect rules
ASSETS_DIR = "assets/"
# Static files also written at the root under their own name: what is asked for there
# whatever a page links (browsers, feed readers and crawlers ask for /favicon.ico).
ROOT_ASSETS = frozenset({"favicon.ico"})
# The facets whose values have a feed of their own (``tags/python/feed.xml``): the ones
# people follow. Salary bands, types, levels and companies are browsed, not followed.
FEED_FACETS = frozenset({"location", "remote", "tag"})


# The top-level folders the build makes: a content page may not take one of these slugs.
RESERVED_PAGE_SLUGS = frozenset(
    {route.split("/")[0] for route in FACET_ROUTES.values() if not route.startswith("{")}
    | {"remote", "hybrid"}  # the workplace values' pages sit at the top level
    | {"jobs", SEARCH_ROUTE.strip("/"), ASSETS_DIR.strip("/"), "page"}  # "page": index pages 2+
)


# The pinned transliteration, named: python-slugify's default ("auto") takes Unidecode
# instead wherever it can import it, and the two spell some 300 characters differently
# (Haifa, "חיפה", is "khyph" to one and "hyph" to the other), so a board's URLs would change
# with a package some other tool installed. Named, it is also imported once, not searched
# for again on every non-ASCII text.
TRANSLITERATION: Literal["text-unidecode"] = "text-unidecode"


def slugify(text: str) -> str:
    """Lower-case ASCII slug; transliterates ("Zürich" -> "zurich"). May return ''."""
    return _slugify(
        text,
        max_length=SLUG_MAX_LENGTH,
        word_boundary=True,
        save_order=True,
        backend=TRANSLITERATION,
    )


def value_slug(text: str) -> str:
    """A facet value's slug: like ``slugify``, but "c++" -> "c-plus-plus". May return ''."""
    return _slugify(
        text,
        max_length=SLUG_MAX_LENGTH,
        word_boundary=True,
        replacements=SYMBOL_WORDS,
        backend=TRANSLITERATION,
    )


def quote_pattern(safe: str) -> re.Pattern[str]:
    """The characters ``urllib.parse.quote(text, safe=safe)`` encodes: all but ASCII letters,
    digits, ``_.-~`` and ``safe``."""
    return re.compile(f"[^A-Za-z0-9_.~{re.escape(safe)}-]")


PERCENT = tuple(f"%{byte:02X}" for byte in range(256))


def percent_encoded(text: str, unsafe: re.Pattern[str]) -> str:
    """``quote(text, safe=...)`` for the ``unsafe`` of ``quote_pattern(safe)``: the same text
    (UTF-8, upper-case hex), made a character at a time where Python's ``quote`` loops over
    every byte in Python (a posting page encodes its title and URL in half a dozen links)."""
    text = text if type(text) is str else str(text)  # Markup would escape what it replaces
    found = set(unsafe.findall(text))
    if "%" in found:  # first: the others are replaced by text that holds a %
        found.remove("%")
        text = text.replace("%", "%25")
    for char in found:
        text = text.replace(char, "".join([PERCENT[byte] for byte in char.encode()]))
    return text


# What RFC 6068 lets stand unencoded in a mailto: address ("," would start a second one).
MAILTO_ADDRESS_UNSAFE = quote_pattern("@!$'()*+;:")
FIELD_UNSAFE = quote_pattern("")  # a mailto: field's name or value: every delimiter encoded


def mailto(address: str, **fields: str) -> str:
    """A ``mailto:`` URL (RFC 6068) to one address, setting only the header fields given
    (``subject=...``). Everything is percent-encoded that could end the address or add a
    field: an address such as ``a?cc=x@example.com`` (valid in RFC 5322) stays one address."""
    href = "mailto:" + percent_encoded(address, MAILTO_ADDRESS_UNSAFE)
    query = "&".join(
        f"{percent_encoded(name, FIELD_UNSAFE)}={percent_encoded(value, FIELD_UNSAFE)}"
        for name, value in fields.items()
    )
    return f"{href}?{query}" if query else href


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


def atom_feed_route(base: str = "") -> str:
    """The Atom feed of a listing: ``feed.xml`` for the board, ``tags/python/feed.xml`` for a facet."""
    return f"{base}{ATOM_FEED_NAME}"


def json_feed_route(base: str = "") -> str:
    return f"{base}{JSON_FEED_NAME}"


def sitemap_part_route(number: int) -> str:
    """One part of a sitemap split by a sitemap index: ``sitemap-1.xml``, ``sitemap-2.xml``..."""
    return f"sitemap-{number}.xml"


def asset_route(name: str) -> str:
    """A (fingerprinted) static file's route, e.g. ``assets/style.3f2a9c1e.css``."""
    return f"{ASSETS_DIR}{name}"


def output_path(route: str) -> str:
    """Where a route's file is written, relative to the output folder."""
    if route == "" or route.endswith("/"):
        return f"{route}index.html"
    return route


@dataclass(frozen=True)
class SiteUrls:
    """Turns routes into links and absolute URLs for one base URL."""

    base_url: str  # always ends with "/"
    # static file name -> fingerprinted name (see assets.py)
    assets: Mapping[str, str] = field(default_factory=dict, hash=False)

    @cached_property  # read for every link of every page
    def prefix(self) -> str:
        """The base URL's path, e.g. ``/`` or ``/board/``."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def href(self, route: str) -> str:
        """A root-relative link to a route, right for the base URL's subpath."""
        return self.prefix + route.lstrip("/")

    def absolute(self, route: str) -> str:
        return self.base_url + route.lstrip("/")

    def asset(self, name: str) -> str:
        """The link to a static file by its name in the static folder; ``KeyError`` if none."""
        return self.href(asset_route(self.assets[name]))

    def link(self, url: str) -> str:
        """A link given in the settings or a posting: a site path (``/about/``) is taken to be
        inside the board, so it gets the base URL's subpath (and ``/assets/logo.png`` its
        fingerprinted name); full URLs are left alone."""
        return self.href(self.site_route(url)) if _is_site_path(url) else url

    def absolute_link(self, url: str) -> str:
        """Like ``link``, but a site path becomes an absolute URL (for feeds and JSON-LD)."""
        return self.absolute(self.site_route(url)) if _is_site_path(url) else url

    def site_route(self, path: str) -> str:
        """The route of a site path, a static file's path mapped to its fingerprinted name."""
        route = path.lstrip("/")
        name = route.removeprefix(ASSETS_DIR)
        if route.startswith(ASSETS_DIR) and name in self.assets:
            return asset_route(self.assets[name])
        return route


def _is_site_path(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")
