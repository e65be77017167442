"""Render the site model into output files in memory, one at a time.

``render_site`` is a generator: pages are produced one by one and handed to the writer, so
the rendered board is never held in memory at once. Posting bodies are read again from
their files here, for the same reason.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from site_gen.content import read_body
from site_gen.errors import ThemeError
from site_gen.feeds import atom_feed, json_feed, make_feed
from site_gen.markup import render_markdown
from site_gen.models import Posting
from site_gen.search_index import build_index, encode_index
from site_gen.site import ListingPage, Site
from site_gen.sitemap import robots_txt, sitemap_entries, sitemap_files
from site_gen.structured_data import job_posting, script_json
from site_gen.urls import (
    NOT_FOUND_ROUTE,
    REDIRECTS_ROUTE,
    ROBOTS_ROUTE,
    SEARCH_INDEX_ROUTE,
    SEARCH_ROUTE,
    asset_route,
    output_path,
    page_route,
    posting_route,
)


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: its path below the output folder and its bytes."""

    path: str
    data: bytes


def render_site(site: Site, env: jinja2.Environment, root: Path) -> Iterator[OutputFile]:
    for posting in site.published:
        yield render_posting(site, env, root, posting, expired=False)
    for posting in site.expired:
        yield render_posting(site, env, root, posting, expired=True)
    for listing in site.listings:
        yield render_listing(site, env, listing)
    for page in site.pages:
        yield page_file(env, page_route(page.slug), "page.html", site=site, page=page)
    yield from facet_pages(site, env)
    yield from search_files(site, env)
    yield page_file(env, NOT_FOUND_ROUTE, "404.html", site=site)
    yield from static_files(site)
    yield from discovery_files(site)


def render_posting(
    site: Site, env: jinja2.Environment, root: Path, posting: Posting, *, expired: bool
) -> OutputFile:
    body = read_body(root, posting.source.path, posting.source.body_line)
    description = render_markdown(body, site.config.markdown_engine)
    structured = "" if expired else script_json(job_posting(posting, description, site.urls))
    return page_file(
        env,
        posting_route(posting.slug),
        "posting.html",
        site=site,
        posting=posting,
        description=Markup(description),
        structured_data=Markup(structured),
        expired=expired,
    )


def render_listing(site: Site, env: jinja2.Environment, listing: ListingPage) -> OutputFile:
    return page_file(env, listing.route, "list.html", site=site, listing=listing)


def facet_pages(site: Site, env: jinja2.Environment) -> Iterator[OutputFile]:
    """A paginated listing per facet value: ``tags/python/``, ``locations/germany/``..."""
    for value, listings in site.facet_listings():
        for listing in listings:
            yield page_file(
                env, listing.route, "list.html", site=site, listing=listing, facet_value=value
            )


def search_files(site: Site, env: jinja2.Environment) -> Iterator[OutputFile]:
    """The search page and the JSON index its script loads."""
    yield page_file(env, SEARCH_ROUTE, "search.html", site=site)
    yield OutputFile(SEARCH_INDEX_ROUTE, encode_index(build_index(site)))


def page_file(env: jinja2.Environment, route: str, template: str, **context: Any) -> OutputFile:
    html = render_template(env, template, route=route, **context)
    return OutputFile(output_path(route), html.encode("utf-8"))


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; template mistakes become a ``ThemeError`` naming file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise ThemeError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        where = _template_frame(name)
        raise ThemeError(f"{where}: template error: {exc}") from None


def _template_frame(default: str) -> str:
    """The template file and line where the current exception was raised, if known."""
    tb = sys.exc_info()[2]
    found = default
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".json")):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def static_files(site: Site) -> Iterator[OutputFile]:
    """Theme and site static files under ``assets/``, by their fingerprinted names."""
    for asset in site.assets.files:
        yield OutputFile(asset_route(asset.hashed), asset.data)


def discovery_files(site: Site) -> Iterator[OutputFile]:
    """What feed readers, crawlers and the host need: feeds, sitemap, robots.txt, redirects."""
    board = make_feed(site, "", site.config.title, site.published)
    yield OutputFile(board.atom_route, atom_feed(site, board))
    yield OutputFile(board.json_route, json_feed(site, board))
    yield from facet_feeds(site)
    for route, data in sitemap_files(sitemap_entries(site), site.urls):
        yield OutputFile(route, data)
    yield OutputFile(ROBOTS_ROUTE, robots_txt(site.urls, preview=site.preview))
    if site.dropped:
        yield OutputFile(REDIRECTS_ROUTE, redirect_rules(site))


def facet_feeds(site: Site) -> Iterator[OutputFile]:
    """The feed of each location, workplace and tag: ``tags/python/feed.xml``..."""
    for value, listings in site.facet_listings():
        if listings[0].feed:
            postings = tuple(p for listing in listings for p in listing.postings)
            title = f"{value.listing_title} – {site.config.title}"
            yield listing_feed(site, value.route, title, postings)


def listing_feed(site: Site, base: str, title: str, postings: tuple[Posting, ...]) -> OutputFile:
    """The Atom feed of one listing (a facet value such as ``tags/python/``): its newest
    postings, at ``<base>feed.xml``."""
    feed = make_feed(site, base, title, postings)
    return OutputFile(feed.atom_route, atom_feed(site, feed))


def redirect_rules(site: Site) -> bytes:
    """Netlify / Cloudflare Pages ``_redirects``: a dropped posting's URL leads to the board.

    302, not 301: a closed posting may be reopened (its ``valid_through`` moved), and browsers
    cache a 301 for good.
    """
    board = site.urls.href("")
    lines = ['# Expired postings (expired = "drop" in sitegen.toml) redirect to the board.']
    lines += [f"{site.urls.href(posting_route(p.slug))} {board} 302" for p in site.dropped]
    return ("\n".join(lines) + "\n").encode("utf-8")
