"""Every file of the built site, in one stream for the writer.

Posting, listing and search pages and the facet feeds are views rendered through
``incremental.cached`` (from the cache, or on every core), the search index's head and shards
through ``incremental.cached_files`` (one view, several files); content pages, the 404
page, static files and the discovery files are made here on every build, cheap as they are.
Files are produced one by one, so the rendered board is never held in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import closing
from functools import partial
from itertools import chain
from pathlib import Path

import jinja2

from site_gen.cache import BuildCache
from site_gen.discovery import board_feeds, crawler_files
from site_gen.incremental import BuildContext, BuiltFile, cached, cached_files
from site_gen.pages import OutputFile, Pages, View
from site_gen.parallel import Workers
from site_gen.site import Site
from site_gen.theme import translations_of
from site_gen.urls import NOT_FOUND_ROUTE, ROOT_ASSETS, asset_route, output_path, page_route
from site_gen.views import (
    feed_views,
    listing_views,
    posting_views,
    search_index_view,
    search_view,
)


def site_files(site: Site, context: BuildContext, *, minify: bool = False) -> Iterator[BuiltFile]:
    """Every file of the site: the cached views first, then what is made on every build."""
    views: Iterator[View] = chain(
        posting_views(site),
        listing_views(site),
        (search_view(site),),
        feed_views(site, translations_of(context.pages.env)),
    )
    index = cached_files(
        context, search_index_view(site), partial(search_index_files, site), len(site.published)
    )  # made now, beside the pages, where it must be made
    with closing(index):  # an abandoned build stops making it
        yield from cached(context, views)
        yield from index
    made: Iterable[OutputFile] = chain(plain_pages(site, context), static_files(site))
    if minify:
        from site_gen.minify import minify_files  # only a minified build needs it

        made = minify_files(made)
    yield from made
    pages = context.pages
    yield from board_feeds(site, translations_of(pages.env), pages.atom_entries)
    yield from crawler_files(site)


def search_index_files(site: Site) -> Iterator[OutputFile]:
    """The search index's head and shards (``search_index`` is imported only when they are
    made: a cached build never needs it)."""
    from site_gen.search_index import index_files

    for file in index_files(site):
        yield OutputFile(file.route, file.data)


def plain_pages(site: Site, context: BuildContext) -> Iterator[OutputFile]:
    """The board's content pages (about, post a job...) and the 404 page: they see the
    whole site, and are few."""
    pages = context.pages
    for page in site.pages:
        route = page_route(page.slug)
        data = pages.template(page.meta.template or "page.html", route, site=site, page=page)
        yield OutputFile(output_path(route), data)
    yield OutputFile(
        output_path(NOT_FOUND_ROUTE), pages.template("404.html", NOT_FOUND_ROUTE, site=site)
    )


def static_files(site: Site) -> Iterator[OutputFile]:
    """Theme and site static files under ``assets/``, by their fingerprinted names."""
    for asset in site.assets.files:
        yield OutputFile(asset_route(asset.hashed), asset.data)
        if asset.name in ROOT_ASSETS:  # asked for at the root too (``/favicon.ico``)
            yield OutputFile(asset.name, asset.data)


def render_site(site: Site, env: jinja2.Environment, root: Path) -> Iterator[BuiltFile]:
    """Every file of the site, rendered here, without a cache (for tests and tools)."""
    pages = Pages(env, site, root, lambda posting: None)
    context = BuildContext(pages, BuildCache(None), Workers(1), fingerprint="")
    return site_files(site, context)
