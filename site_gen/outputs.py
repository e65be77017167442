"""Every file of the built site, in one stream for the writer.

Posting, listing and search pages and the facet feeds are views rendered through
``incremental.cached`` (from the cache, or on every core), the search index's head and shards
through ``incremental.cached_files`` (one view, several files); content pages, the 404
page, static files, the board's feeds and the crawler files are made on every build, cheap
as they are (``every_build_files``). On boards large enough to fork for, the index and
these are made by processes of their own while the workers render the pages, so that they
are ready when the pages are. Pages are produced one by one, so the rendered board is never
held in memory at once.
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
from site_gen.pages import OutputFile, Pages
from site_gen.parallel import MIN_FORKED, Workers
from site_gen.site import Site
from site_gen.theme import translations_of
from site_gen.urls import NOT_FOUND_ROUTE, ROOT_ASSETS, asset_route, output_path, page_route
from site_gen.views import SiteViews, search_index_view

# The search index is made beside the pages (by a process of its own, while the workers
# render) on boards of up to this many postings. Its own memory grows with the postings:
# on larger boards, held beside the workers', it would cost more than the time it saves
# (bench/RESULTS.md, session 5), so it is made after the pages instead.
INDEX_BESIDE_AT_MOST = 20_000


def site_files(site: Site, context: BuildContext, *, minify: bool = False) -> Iterator[BuiltFile]:
    """Every file of the site: the cached views first, then what is made on every build."""
    views = SiteViews(site, translations_of(context.pages.env))
    postings = len(site.published)
    beside = MIN_FORKED <= postings <= INDEX_BESIDE_AT_MOST
    index = cached_files(
        context, search_index_view(site), partial(search_index_files, site), beside=beside
    )
    every_build = partial(every_build_files, site, context, minify)
    made = context.workers.aside(every_build, beside=beside)
    with closing(index), closing(made):  # an abandoned build stops making them
        yield from cached(context, views, chain(site.published, site.expired))
        yield from index
        for files in made:
            yield from files


def every_build_files(
    site: Site, context: BuildContext, minify: bool, _: int = 0
) -> list[OutputFile]:
    """The files made on every build (content pages, static files, the board's feeds, the
    sitemap and the other crawler files), all at once: on a board large enough, by a
    process of their own beside the page workers, so that they are ready when the pages
    are, where this process would make them after."""
    made: Iterable[OutputFile] = chain(plain_pages(site, context), static_files(site))
    if minify:
        from site_gen.minify import minify_files  # only a minified build needs it

        made = minify_files(made)
    pages = context.pages
    feeds = board_feeds(site, translations_of(pages.env), pages.atom_entries)
    return [*made, *feeds, *crawler_files(site)]


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
