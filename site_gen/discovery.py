"""What feed readers, crawlers and the host read: feeds, sitemap, robots.txt, redirects.

Each is a function of the ``Site``. The board's own feeds, the sitemap and robots.txt are
made on every build (one pass over the postings); each facet value's feed is a view
(``views.FeedView``), cached with the pages.
"""

from __future__ import annotations

from collections.abc import Iterator

from site_gen.feeds import AtomEntries, atom_feed, json_feed, make_feed
from site_gen.jobs_manifest import notify_files
from site_gen.pages import OutputFile
from site_gen.site import Site
from site_gen.sitemap import robots_txt, sitemap_entries, sitemap_files
from site_gen.urls import REDIRECTS_ROUTE, ROBOTS_ROUTE, posting_route
from site_gen.wording import Translations


def board_feeds(site: Site, t: Translations, entries: AtomEntries) -> Iterator[OutputFile]:
    """The whole board's newest postings, as Atom (with the build's ``entries``) and as
    JSON Feed."""
    board = make_feed(site, "", site.config.title, site.published)
    yield OutputFile(board.atom_route, atom_feed(site, board, t, entries))
    yield OutputFile(board.json_route, json_feed(site, board, t))


def crawler_files(site: Site) -> Iterator[OutputFile]:
    """The sitemap (in parts on a large board), robots.txt, and the redirects of dropped
    postings."""
    for route, data in sitemap_files(sitemap_entries(site), site.urls):
        yield OutputFile(route, data)
    yield OutputFile(ROBOTS_ROUTE, robots_txt(site.urls, preview=site.preview))
    for route, data in notify_files(site):  # what ``sitegen notify`` compares and needs
        yield OutputFile(route, data)
    if site.dropped:
        yield OutputFile(REDIRECTS_ROUTE, redirect_rules(site))


def redirect_rules(site: Site) -> bytes:
    """Netlify / Cloudflare Pages ``_redirects``: a dropped posting's URL leads to the board.

    302, not 301: a closed posting may be reopened (its ``valid_through`` moved), and browsers
    cache a 301 for good.
    """
    board = site.urls.href("")
    lines = ['# Expired postings (expired = "drop" in sitegen.toml) redirect to the board.']
    lines += [f"{site.urls.href(posting_route(p.slug))} {board} 302" for p in site.dropped]
    return ("\n".join(lines) + "\n").encode("utf-8")
