"""What crawlers are told: ``sitemap.xml`` (every page worth indexing) and ``robots.txt``.

The sitemap lists the published pages: postings, listing pages (the index and every facet
value's), content pages. Not the search page (its results are made in the browser). Never an
expired posting (its kept page carries ``noindex``), a draft (even in a ``--drafts`` build)
or the 404 page. A posting's ``lastmod`` is its ``date_posted``, a listing page's the newest
posting on it, a content page's its ``updated`` date if it has one: a date is given only
where it is true, because search engines ignore ``lastmod`` values that prove unreliable.

The protocol allows 50,000 URLs per file; beyond that ``sitemap.xml`` becomes a sitemap index
of ``sitemap-1.xml``, ``sitemap-2.xml``, ... (the limit is a parameter, so tests can use a
small one).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

# html's escape with quote=False is xml.sax.saxutils's (&, < and >), without saxutils'
# imports (urllib.request, http, ssl): a sitemap needs no network code.
from html import escape

from site_gen.site import Site
from site_gen.urls import SITEMAP_ROUTE, SiteUrls, page_route, posting_route, sitemap_part_route

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000  # the sitemap protocol's limit per file
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class SitemapEntry:
    route: str
    lastmod: date | None


def sitemap_entries(site: Site) -> Iterator[SitemapEntry]:
    """Every indexable page of the site, in a stable order."""
    facet_listings = (listing for _, listings in site.facet_listings() for listing in listings)
    for listing in itertools.chain(site.listings, facet_listings):
        newest = max((p.date_posted for p in listing.postings), default=None)
        yield SitemapEntry(listing.route, newest)
    for posting in site.published:
        if not posting.draft:
            yield SitemapEntry(posting_route(posting.slug), posting.date_posted)
    for page in site.pages:
        if not page.meta.draft:
            yield SitemapEntry(page_route(page.slug), page.meta.updated)


def sitemap_files(
    entries: Iterable[SitemapEntry], urls: SiteUrls, limit: int = MAX_URLS
) -> Iterator[tuple[str, bytes]]:
    """``(route, bytes)`` of the sitemap: one file, or its parts and then the index.

    Streams: at most one part's entries are held at a time.
    """
    chunks = _chunks(entries, limit)
    first = next(chunks, [])
    second = next(chunks, None)
    if second is None:
        yield SITEMAP_ROUTE, urlset(first, urls)
        return
    parts = []
    for number, chunk in enumerate(itertools.chain([first, second], chunks), start=1):
        route = sitemap_part_route(number)
        newest = max((e.lastmod for e in chunk if e.lastmod), default=None)
        parts.append(SitemapEntry(route, newest))
        yield route, urlset(chunk, urls)
    yield SITEMAP_ROUTE, sitemap_index(parts, urls)


def urlset(entries: Sequence[SitemapEntry], urls: SiteUrls) -> bytes:
    lines = [XML_DECLARATION, f'<urlset xmlns="{SITEMAP_NS}">\n']
    lines.extend(_item("url", entry, urls) for entry in entries)
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8")


def sitemap_index(parts: Sequence[SitemapEntry], urls: SiteUrls) -> bytes:
    lines = [XML_DECLARATION, f'<sitemapindex xmlns="{SITEMAP_NS}">\n']
    lines.extend(_item("sitemap", part, urls) for part in parts)
    lines.append("</sitemapindex>\n")
    return "".join(lines).encode("utf-8")


def robots_txt(urls: SiteUrls, *, preview: bool) -> bytes:
    """Point crawlers at the sitemap; a preview (staging) build asks them to stay away.

    Crawlers read robots.txt only at the root of a host: under a subpath base the file is
    still written, for the owner of the host's root to merge into theirs.
    """
    if preview:
        return b"# A preview build: not for search engines.\nUser-agent: *\nDisallow: /\n"
    sitemap = urls.absolute(SITEMAP_ROUTE)
    return f"User-agent: *\nDisallow:\n\nSitemap: {sitemap}\n".encode()


def _item(tag: str, entry: SitemapEntry, urls: SiteUrls) -> str:
    lastmod = f"<lastmod>{entry.lastmod.isoformat()}</lastmod>" if entry.lastmod else ""
    return f"<{tag}><loc>{escape(urls.absolute(entry.route), quote=False)}</loc>{lastmod}</{tag}>\n"


def _chunks(entries: Iterable[SitemapEntry], size: int) -> Iterator[list[SitemapEntry]]:
    chunk: list[SitemapEntry] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
