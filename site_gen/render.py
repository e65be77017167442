"""Render the site model into output files in memory, one at a time.

``render_site`` is a generator: pages are produced one by one and handed to the writer, so
the rendered board is never held in memory at once. Posting bodies are read again from
their files (or their HTML from the build cache) here, for the same reason.

With a build cache and workers, posting and listing pages are rendered on every core and
every page that can be is memoised by a key naming all its inputs: a posting page is a
function of the posting, its description, whether it is expired, its facet values, and the
config and theme; a listing page of its postings' cards and what it shows of the facets.
Their templates see exactly those inputs (a ``PageSite``, not the whole ``Site``), so a
cached page is never stale. A page the cache knows is yielded as a ``StoredFile``: the
writer usually finds the output already holds it, and renders it again only if not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar, overload

import jinja2
from markupsafe import Markup

from site_gen.cache import (
    BuildCache,
    DescriptionReader,
    digest_of,
    page_key,
    posting_key,
    theme_fingerprint,
)
from site_gen.config import SiteConfig
from site_gen.content import read_body
from site_gen.facets import Facet, Facets, FacetValue
from site_gen.feeds import atom_feed, json_feed, make_feed
from site_gen.jobs_manifest import notify_files
from site_gen.markup import render_markdown
from site_gen.models import Posting
from site_gen.parallel import Workers
from site_gen.search_index import index_files, shard_routes
from site_gen.site import NEW_FOR_DAYS, ListingPage, Site, identities
from site_gen.sitemap import robots_txt, sitemap_entries, sitemap_files
from site_gen.structured_data import job_posting_markup
from site_gen.theme import (
    MAX_CARDS,
    Cards,
    Translations,
    cards_of,
    listing_title,
    make_environment,
    template_error,
    translations_of,
)
from site_gen.urls import (
    NOT_FOUND_ROUTE,
    REDIRECTS_ROUTE,
    ROBOTS_ROUTE,
    ROOT_ASSETS,
    SEARCH_INDEX_ROUTE,
    SEARCH_ROUTE,
    SiteUrls,
    asset_route,
    atom_feed_route,
    output_path,
    page_route,
    posting_route,
)
from site_gen.writer import Record, StagedFile, Staging, StagingSpot

C = TypeVar("C")


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: its path below the output folder and its bytes."""

    path: str
    data: bytes
    digest: str | None = None  # SHA-256 of ``data`` when already known


@dataclass(frozen=True)
class StoredFile:
    """A page the cache knows by its digest; ``load`` makes its bytes (if ever needed)."""

    path: str
    digest: str
    load: Callable[[], bytes]

    @property
    def data(self) -> bytes:
        return self.load()


@overload
def render_site(
    site: Site,
    env: jinja2.Environment,
    root: Path,
    cache: BuildCache | None = None,
    workers: Workers | None = None,
    *,
    reuse: bool = True,
    staging: None = None,
) -> Iterator[OutputFile | StoredFile]: ...  # without staging, no StagedFile


@overload
def render_site(
    site: Site,
    env: jinja2.Environment,
    root: Path,
    cache: BuildCache | None = None,
    workers: Workers | None = None,
    *,
    reuse: bool = True,
    staging: Staging | None = None,
) -> Iterator[OutputFile | StoredFile | StagedFile]: ...


def render_site(
    site: Site,
    env: jinja2.Environment,
    root: Path,
    cache: BuildCache | None = None,
    workers: Workers | None = None,
    *,
    reuse: bool = True,
    staging: Staging | None = None,
) -> Iterator[OutputFile | StoredFile | StagedFile]:
    """Every file of the site. With a ``cache``, pages it knows are yielded as ``StoredFile``
    (bytes rendered only if the writer needs them); with ``reuse`` false (there is no
    previous output to keep them from), all pages are rendered, on every core. With
    ``staging``, the workers stage the posting and listing pages they render themselves
    and only their names and digests come back (``StagedFile``)."""
    theme = theme_fingerprint(site.config, root) if cache is not None else ""
    assets = repr(sorted(site.urls.assets.items()))  # fingerprinted names (--minify changes them)
    fingerprint = page_key(theme, assets, site.today.isoformat())  # cards show their age
    workers = workers or Workers(1)
    ids = Identities(site, cache)
    yield from posting_pages(
        site, env, root, cache, workers, fingerprint, ids, reuse=reuse, staging=staging
    )
    memo = Memo(cache, fingerprint, ids, reuse) if cache is not None else None
    others = other_files(site, env, cache, fingerprint, ids, memo)
    yield from listing_pages(
        site, env, cache, workers, fingerprint, ids, reuse=reuse, staging=staging, meanwhile=others
    )


def other_files(
    site: Site,
    env: jinja2.Environment,
    cache: BuildCache | None,
    fingerprint: str,
    ids: Identities,
    memo: Memo | None,
) -> Iterator[OutputFile | StoredFile]:
    """Content pages, the search page and index, 404, static files, feeds and sitemap: made
    in this process (while the workers render listing pages)."""
    for page in site.pages:
        template = page.meta.template or "page.html"
        yield page_file(env, page_route(page.slug), template, site=site, page=page)
    yield from search_files(site, env, cache, fingerprint, ids, memo)
    yield page_file(env, NOT_FOUND_ROUTE, "404.html", site=site)
    yield from static_files(site)
    yield from discovery_files(site, translations_of(env), memo)


# -- what a memoised page's template sees ------------------------------------------------
# A memoised page's template sees, as ``site``, a ``PageSite`` holding only what that page
# shows of the whole site, and its cache key names exactly that. A template reaching for
# more finds nothing there, rather than a page going stale in the cache.


@dataclass(frozen=True)
class PageSite:
    """The part of the ``Site`` one page shows: some of the facets, the build's date (cards
    say how old a posting is, and mark new ones) and, on a posting page, its similar
    postings. Page keys include the date: a page showing cards is made again each day."""

    facets: Facets
    today: date
    similar: Mapping[str, tuple[Posting, ...]] = field(default_factory=dict)

    def is_new(self, posting: Posting) -> bool:
        return 0 <= (self.today - posting.date_posted).days < NEW_FOR_DAYS

    def similar_to(self, posting: Posting) -> tuple[Posting, ...]:
        return self.similar.get(posting.slug, ())


NO_FACETS = Facets((), MappingProxyType({}))


def posting_view(site: Site, posting: Posting, shown: ShownValues | None = None) -> PageSite:
    """A posting page shows the facet values it belongs to and its similar postings."""
    shown = shown or ShownValues(site)
    values = tuple(shown.value(v) for v in site.facets.of(posting.slug))
    similar = {posting.slug: site.similar_to(posting)}
    return PageSite(Facets((), {posting.slug: values}), site.today, similar)  # dicts: they travel


class ShownValues:
    """Each facet value as pages show it (without its postings, which change with every
    edit to the board), made once per build, with its ``repr`` for cache keys."""

    def __init__(self, site: Site) -> None:
        self._shown: dict[int, tuple[FacetValue, str]] = {}
        for value in site.facets.values():
            stripped = replace(value, postings=())
            self._shown[id(value)] = (stripped, repr(stripped))

    def value(self, value: FacetValue) -> FacetValue:
        return self._shown[id(value)][0]

    def text(self, values: Iterable[FacetValue]) -> str:
        return "|".join(self._shown[id(v)][1] for v in values)


def index_view(site: Site, listing: ListingPage) -> PageSite:
    """The first page of the index shows every facet with its counts (the sidebar)."""
    return PageSite(site.facets if listing.number == 1 else NO_FACETS, site.today)


def index_inputs(site: Site, listing: ListingPage) -> str:
    return facets_text(site) if listing.number == 1 else ""


def facets_text(site: Site) -> str:
    """Every facet value with its count, as the sidebar and the search index show them."""
    return repr(
        [(f.key, [(v.key, v.label, v.parent, v.count) for v in f.values]) for f in site.facets]
    )


def facet_view(site: Site, value: FacetValue) -> tuple[PageSite, FacetValue]:
    """A facet value's listing shows the value, its facet's title and its parent value."""
    facet = site.facets.get(value.facet)
    parent = facet.find(value.parent) if value.parent else None
    parents = (replace(parent, postings=()),) if parent else ()
    only = Facet(facet.key, parents)
    view = PageSite(Facets((only,), MappingProxyType({})), site.today)
    return view, replace(value, postings=())


class Identities:
    """What a posting's card (and its search index row) is a function of: its slug and its
    metadata, whose digest the cache knows (so a body edit leaves listings alone); without
    it, the whole file's digest. Made once per build."""

    def __init__(self, site: Site, cache: BuildCache | None) -> None:
        postings = (*site.published, *site.expired)
        ids = identities(postings, cache, site.config.markdown_engine)
        self._ids = {id(posting): ident for posting, ident in zip(postings, ids, strict=True)}

    def of(self, postings: Iterable[Posting]) -> list[str]:
        return [self._ids[id(p)] for p in postings]


def listing_key(
    fingerprint: str, listing: ListingPage, shows: str = "", ids: Identities | None = None
) -> str:
    """Everything a listing page shows: its place in the list, its postings' cards, and
    ``shows``, what else its view holds."""
    postings = ids.of(listing.postings) if ids else [p.source.digest for p in listing.postings]
    numbers = f"{listing.number}/{listing.total_pages}/{listing.total_count}/{listing.feed}"
    return page_key(fingerprint, "listing", listing.base, listing.title, numbers, shows, *postings)


# -- posting pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class PostingPageTask:
    """What a worker needs to render one posting page."""

    config: SiteConfig
    urls: SiteUrls
    root: str
    environment: str  # ``environment_key``: a new one means templates changed
    posting: Posting
    description: str | None  # None: not cached, so render the markdown again
    expired: bool
    view: PageSite
    spot: StagingSpot | None = None  # where to stage the page, if the worker stages it
    entry: Record | None = None  # the previous output's manifest record of the page


def posting_pages(
    site: Site,
    env: jinja2.Environment,
    root: Path,
    cache: BuildCache | None,
    workers: Workers,
    fingerprint: str,
    ids: Identities | None = None,
    *,
    reuse: bool = True,
    staging: Staging | None = None,
) -> Iterator[OutputFile | StoredFile | StagedFile]:
    """Every posting page, published then expired; cached ones first, the rest on all cores."""
    pages = [(p, False) for p in site.published] + [(p, True) for p in site.expired]
    engine = site.config.markdown_engine
    shown = ShownValues(site)
    ids = ids or Identities(site, cache)

    def key_of(posting: Posting, expired: bool) -> str:
        similar = "|".join(ids.of(site.similar_to(posting)))
        shows = f"{shown.text(site.facets.of(posting.slug))}|similar:{similar}"
        return posting_page_key(fingerprint, posting, expired, shows)

    missing: list[int] = []  # positions in ``pages``: a large board's misses are its pages
    missing_keys: list[str] = []  # their cache keys (none without a cache)
    for position, (posting, expired) in enumerate(pages):
        key = key_of(posting, expired) if cache is not None else ""
        digest = cache.page_digest(key) if cache is not None and reuse else None
        if digest is None or cache is None:  # (no digest without a cache)
            missing.append(position)
            missing_keys.append(key)
            continue
        view = partial(posting_view, site, posting, shown)  # made only if rendered
        render = _posting_renderer(env, site.urls, root, posting, engine, expired, view, cache)
        yield StoredFile(output_path(posting_route(posting.slug)), digest, render)
    cached = cache.description if cache is not None else (lambda _: None)
    if workers.can_fork():
        if cache is not None:
            cache.commit()  # forked workers read the descriptions on connections of their own
        descriptions = cache.descriptions() if cache is not None else DescriptionReader(None)
        context = PostingContext(site, env, root, shown, pages, missing, descriptions)
        rendered = workers.map_inherited(
            _render_missing_posting, StagingContext(context, staging), len(missing)
        )
    else:
        env_key = environment_key(site.config, root, site.urls)  # the workers make theirs
        tasks = (
            PostingPageTask(
                site.config,
                site.urls,
                str(root),
                env_key,
                posting,
                cached(posting_key(posting.source.path, posting.source.digest, engine)),
                expired,
                posting_view(site, posting, shown),
                staging.spot if staging is not None else None,
                staging.entry(output_path(posting_route(posting.slug)))
                if staging is not None
                else None,
            )
            for posting, expired in (pages[i] for i in missing)
        )
        rendered = workers.map(render_posting_task, tasks, len(missing))
    yield from remembered(cache, missing_keys, rendered)


CARD_LEVELS = (2, 3)  # the heading levels cards have: in listings, among similar postings


def start_cards(
    env: jinja2.Environment, postings: Sequence[Posting], today: date, workers: Workers
) -> Callable[[], None]:
    """Start rendering every posting's cards, once, on all cores; the returned function
    waits for them and puts them in ``env``'s memo.

    The forked workers that render posting and listing pages then inherit them; otherwise
    each worker renders most cards again (each posting's card is on a dozen pages, spread
    over all workers). Called before the site is assembled (a card shows only its posting
    and the date), so that the workers render cards while this process computes the facets
    and similar postings. Skipped where workers are not forked, and for boards too large
    for the memo (see ``theme.MAX_CARDS``), where each worker keeps a bounded memo of its own.
    """
    if not workers.can_fork() or len(CARD_LEVELS) * len(postings) > MAX_CARDS:
        return lambda: None
    cards = cards_of(env)
    view = PageSite(NO_FACETS, today)
    made = workers.start_inherited(_render_cards, (cards, postings, view), len(postings))

    def collect() -> None:
        for posting, texts in zip(postings, made, strict=True):
            for level, text in zip(CARD_LEVELS, texts, strict=True):
                cards.add(Cards.key(posting, level, today), Markup(text))

    return collect


def _render_cards(context: tuple[Cards, Sequence[Posting], PageSite], index: int) -> list[str]:
    """Worker side (forked): one posting's cards, at each heading level."""
    cards, postings, view = context
    return [str(cards.render(view, postings[index], level)) for level in CARD_LEVELS]


@dataclass(frozen=True)
class PostingContext:
    """What forked workers rendering posting pages inherit: the site, and which to render."""

    site: Site
    env: jinja2.Environment
    root: Path
    shown: ShownValues
    pages: list[tuple[Posting, bool]]  # every posting page: the posting, whether expired
    missing: list[int]  # the positions in ``pages`` to render
    descriptions: DescriptionReader


@dataclass(frozen=True)
class StagingContext(Generic[C]):
    """A forked worker's context, and where it stages the pages it renders."""

    context: C
    staging: Staging | None

    def stage(self, page: OutputFile) -> OutputFile | StagedFile:
        if self.staging is None:
            return page
        return stage_page(page, self.staging.spot, self.staging.entry(page.path))


def _render_missing_posting(
    staged: StagingContext[PostingContext], index: int
) -> OutputFile | StagedFile:
    """Worker side (forked): the ``index``-th posting page to render, staged."""
    context = staged.context
    posting, expired = context.pages[context.missing[index]]
    engine = context.site.config.markdown_engine
    description = description_of(posting, engine, context.root, context.descriptions.description)
    view = posting_view(context.site, posting, context.shown)
    page = posting_page(context.env, context.site.urls, posting, description, view, expired=expired)
    return staged.stage(page)


def description_of(
    posting: Posting, engine: str, root: Path, cached: Callable[[str], str | None]
) -> str:
    """A posting's description HTML: from the cache if it has it, else from its file."""
    found = cached(posting_key(posting.source.path, posting.source.digest, engine))
    if found is not None:
        return found
    body = read_body(root, posting.source.path, posting.source.body_line)
    return render_markdown(body, engine)


def posting_page_key(fingerprint: str, posting: Posting, expired: bool, shows: str) -> str:
    """A posting page: its file, whether it is expired, and ``shows``, its facet values."""
    source = posting.source
    return page_key(fingerprint, "posting", source.path, source.digest, str(expired), shows)


def render_posting_task(task: PostingPageTask) -> OutputFile | StagedFile:
    """Worker side: one posting page, staged if the task says where."""
    root = Path(task.root)
    env = environment(task.config, root, task.urls, task.environment)
    urls = task.urls
    engine = task.config.markdown_engine
    description = description_of(task.posting, engine, root, lambda _: task.description)
    page = posting_page(env, urls, task.posting, description, task.view, expired=task.expired)
    return stage_page(page, task.spot, task.entry)


def stage_page(
    page: OutputFile, spot: StagingSpot | None, entry: Record | None
) -> OutputFile | StagedFile:
    """In a worker: stage a rendered page (if told where), so its bytes need not travel back."""
    if spot is None:
        return page
    return spot.stage(page.path, page.data, page.digest or digest_of(page.data), entry)


def environment_key(config: SiteConfig, root: Path, urls: SiteUrls) -> str:
    """What a templates' environment is made of: config, templates, static files (the
    fingerprinted names ``urls`` links to)."""
    return page_key(theme_fingerprint(config, root), repr(sorted(urls.assets.items())))


_environment: tuple[str, jinja2.Environment] | None = None  # this process's


def environment(
    config: SiteConfig, root: Path, urls: SiteUrls, key: str | None = None
) -> jinja2.Environment:
    """The templates' environment, one per process, kept while its ``key`` (see
    ``environment_key``) is the same: the preview server's rebuilds compile no template
    again, and a worker makes it once for all its tasks."""
    global _environment
    key = key or environment_key(config, root, urls)
    if _environment is None or _environment[0] != key:
        _environment = (key, make_environment(config, root, urls))
    return _environment[1]


def _posting_renderer(
    env: jinja2.Environment,
    urls: SiteUrls,
    root: Path,
    posting: Posting,
    engine: str,
    expired: bool,
    view: Callable[[], PageSite],
    cache: BuildCache,
) -> Callable[[], bytes]:
    """Render a cached posting page again, here, if the writer needs its bytes after all
    (the output lacks it): from the cached description, else from the file."""

    def render() -> bytes:
        description = description_of(posting, engine, root, cache.description)
        return posting_page(env, urls, posting, description, view(), expired=expired).data

    return render


def posting_page(
    env: jinja2.Environment,
    urls: SiteUrls,
    posting: Posting,
    description: str,
    view: PageSite,
    *,
    expired: bool,
) -> OutputFile:
    """A posting's page from its inputs; of the site it sees only ``view``."""
    structured = "" if expired else job_posting_markup(posting, description, urls)
    return page_file(
        env,
        posting_route(posting.slug),
        "posting.html",
        site=view,
        posting=posting,
        description=Markup(description),
        structured_data=Markup(structured),
        expired=expired,
    )


def render_listing(site: Site, env: jinja2.Environment, listing: ListingPage) -> OutputFile:
    """A page of the index; its template sees the listing and ``index_view``."""
    return render_listing_page(env, ListingJob("", listing, index_view(site, listing), None))


@dataclass(frozen=True)
class ListingJob:
    """One listing page to render: the index's or a facet value's, with what it shows."""

    key: str
    listing: ListingPage
    view: PageSite
    value: FacetValue | None  # on a facet value's pages: the value, as shown


def listing_jobs(
    site: Site, fingerprint: str, ids: Identities | None = None
) -> Iterator[ListingJob]:
    """The pages of the index, then of every facet value (``tags/python/``...)."""
    for listing in site.listings:
        key = listing_key(fingerprint, listing, index_inputs(site, listing), ids)
        yield ListingJob(key, listing, index_view(site, listing), None)
    for value, listings in site.facet_listings():
        view, shown_value = facet_view(site, value)
        shows = repr((view.facets.facets, shown_value))
        for listing in listings:
            key = listing_key(fingerprint, listing, shows, ids)
            yield ListingJob(key, listing, view, shown_value)


def render_listing_page(env: jinja2.Environment, job: ListingJob) -> OutputFile:
    extra = {} if job.value is None else {"facet_value": job.value}
    return page_file(
        env, job.listing.route, "list.html", site=job.view, listing=job.listing, **extra
    )


def listing_pages(
    site: Site,
    env: jinja2.Environment,
    cache: BuildCache | None,
    workers: Workers,
    fingerprint: str,
    ids: Identities | None = None,
    *,
    reuse: bool = True,
    staging: Staging | None = None,
    meanwhile: Iterable[OutputFile | StoredFile] = (),
) -> Iterator[OutputFile | StoredFile | StagedFile]:
    """Every listing page: cached ones first, the rest on all cores (forked workers inherit
    the site, the templates and the staging folder, so nothing big is sent to them).

    With ``staging``, the workers get all their pages at once (only names and digests come
    back) and the files of ``meanwhile`` are made here while they render: the last pages
    and this process's own work (feeds, sitemap, search index) overlap. Without it, the
    rendered pages stream back a few at a time and ``meanwhile`` comes first.
    """
    missing: list[ListingJob] = []
    for job in listing_jobs(site, fingerprint, ids):
        digest = cache.page_digest(job.key) if cache is not None and reuse else None
        if digest is None:
            missing.append(job)
            continue
        yield StoredFile(output_path(job.listing.route), digest, partial(_listing_data, env, job))
    context = StagingContext((env, missing), staging)
    if staging is None:  # whole pages come back: a few at a time
        yield from meanwhile
        rendered = workers.map_inherited(_render_missing_listing, context, len(missing))
        yield from remembered(cache, [job.key for job in missing], rendered)
        return
    started = workers.start_inherited(_render_missing_listing, context, len(missing))
    try:
        yield from meanwhile
        yield from remembered(cache, [job.key for job in missing], started)
    finally:
        started.close()  # an error on the way: stop the workers before the staging goes


def _listing_data(env: jinja2.Environment, job: ListingJob) -> bytes:
    return render_listing_page(env, job).data


def _digest(file: OutputFile | StagedFile) -> str:
    if isinstance(file, StagedFile):
        return file.digest
    return file.digest or digest_of(file.data)


def remembered(
    cache: BuildCache | None, keys: list[str], files: Iterable[OutputFile | StagedFile]
) -> Iterator[OutputFile | StagedFile]:
    """``files``, each noted in the cache under its key (the digest of its bytes)."""
    for key, file in zip(keys, files, strict=True):
        if cache is not None:
            cache.store_page(key, _digest(file))
        yield file


def _render_missing_listing(
    staged: StagingContext[tuple[jinja2.Environment, list[ListingJob]]], index: int
) -> OutputFile | StagedFile:
    """Worker side (forked): the ``index``-th listing page to render, staged."""
    env, jobs = staged.context
    return staged.stage(render_listing_page(env, jobs[index]))


def search_files(
    site: Site,
    env: jinja2.Environment,
    cache: BuildCache | None = None,
    fingerprint: str = "",
    ids: Identities | None = None,
    memo: Memo | None = None,
) -> Iterator[OutputFile | StoredFile]:
    """The search page and the JSON index its script loads (memoised: the page is a function
    of the facets (its filters) and the date; the index of the facets and of the published
    postings, and costs a pass over all of them)."""
    shown = facets_text(site)
    view = PageSite(site.facets, site.today)
    page = partial(page_file, env, SEARCH_ROUTE, "search.html", site=view)
    if memo is None:
        yield page()
    else:
        yield memo.file(
            page_key(fingerprint, "search-page", shown), output_path(SEARCH_ROUTE), page
        )
    postings = ids.of(site.published) if ids else [p.source.digest for p in site.published]
    key = page_key(fingerprint, "search-index", site.urls.prefix, shown, *postings)
    yield from search_index_files(site, cache, key)


def search_index_files(
    site: Site, cache: BuildCache | None, key: str
) -> Iterator[OutputFile | StoredFile]:
    """The index's head and shards; from the cache when an earlier build made them from the
    same inputs (the head's bytes are kept, the shards' digests only: a shard the output
    lost is made again)."""
    stored = cached_index(cache, key) if cache is not None else None
    if cache is not None and stored is not None:
        made: list[dict[str, bytes]] = []

        def shard(route: str) -> bytes:
            if not made:
                made.append({f.route: f.data for f in index_files(site)})
            return made[0][route]

        for route, digest in stored:
            yield StoredFile(route, digest, partial(shard, route))
        return
    for number, file in enumerate(index_files(site)):
        digest = digest_of(file.data)
        if cache is not None:
            head = number == 0  # its bytes are kept: they list the shards
            cache.store_page(page_key(key, file.route), digest, file.data if head else None)
        yield OutputFile(file.route, file.data, digest)


def cached_index(cache: BuildCache, key: str) -> list[tuple[str, str]] | None:
    """(route, digest) of each file of the index an earlier build made under ``key``."""
    head_key = page_key(key, SEARCH_INDEX_ROUTE)
    head = cache.page_data(head_key) if cache.page_digest(head_key) else None  # noted as used
    routes = shard_routes(head) if head is not None else None
    if head is None or routes is None:
        return None
    found = [(SEARCH_INDEX_ROUTE, digest_of(head))]
    for route in routes:
        digest = cache.page_digest(page_key(key, route))
        if digest is None:
            return None
        found.append((route, digest))
    return found


def page_file(env: jinja2.Environment, route: str, template: str, **context: Any) -> OutputFile:
    data = render_template(env, template, route=route, **context).encode("utf-8")
    return OutputFile(output_path(route), data, digest_of(data))


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; template mistakes become a ``ThemeError`` naming file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise template_error(exc, name) from None


def static_files(site: Site) -> Iterator[OutputFile]:
    """Theme and site static files under ``assets/``, by their fingerprinted names; those
    that browsers and crawlers ask for at the root (``/favicon.ico``) there too."""
    for asset in site.assets.files:
        yield OutputFile(asset_route(asset.hashed), asset.data)
        if asset.name in ROOT_ASSETS:
            yield OutputFile(asset.name, asset.data)


def discovery_files(
    site: Site, t: Translations, memo: Memo | None = None
) -> Iterator[OutputFile | StoredFile]:
    """What feed readers, crawlers and the host need: feeds, sitemap, robots.txt, redirects,
    and the job manifest and IndexNow key file."""
    board = make_feed(site, "", site.config.title, site.published)
    yield OutputFile(board.atom_route, atom_feed(site, board, t))
    yield OutputFile(board.json_route, json_feed(site, board, t))
    yield from facet_feeds(site, t, memo)
    for route, data in sitemap_files(sitemap_entries(site), site.urls):
        yield OutputFile(route, data)
    yield OutputFile(ROBOTS_ROUTE, robots_txt(site.urls, preview=site.preview))
    for route, data in notify_files(site):  # what ``sitegen notify`` compares and needs
        yield OutputFile(route, data)
    if site.dropped:
        yield OutputFile(REDIRECTS_ROUTE, redirect_rules(site))


def facet_feeds(
    site: Site, t: Translations, memo: Memo | None = None
) -> Iterator[OutputFile | StoredFile]:
    """The feed of each location, workplace and tag: ``tags/python/feed.xml``... (memoised:
    a feed is a function of its title and its newest postings' metadata)."""
    for value, listings in site.facet_listings():
        if listings[0].feed:
            postings = tuple(p for listing in listings for p in listing.postings)
            title = f"{listing_title(value, t)} – {site.config.title}"
            render = partial(listing_feed, site, t, value.route, title, postings)
            if memo is None:
                yield render()
                continue
            newest = postings[: site.config.feed_size]
            when = "" if newest else site.now.isoformat()  # an empty feed is dated now
            key = page_key(memo.fingerprint, "feed", value.route, title, when, *memo.ids.of(newest))
            yield memo.file(key, atom_feed_route(value.route), render)


@dataclass(frozen=True)
class Memo:
    """Memoising a derived file by a key naming its inputs (see ``listing_pages``)."""

    cache: BuildCache
    fingerprint: str
    ids: Identities
    reuse: bool

    def file(
        self, key: str, path: str, render: Callable[[], OutputFile]
    ) -> OutputFile | StoredFile:
        digest = self.cache.page_digest(key) if self.reuse else None
        if digest is not None:
            return StoredFile(path, digest, lambda: render().data)
        made = render()
        self.cache.store_page(key, made.digest or digest_of(made.data))
        return made


def listing_feed(
    site: Site, t: Translations, base: str, title: str, postings: tuple[Posting, ...]
) -> OutputFile:
    """The Atom feed of one listing (a facet value such as ``tags/python/``): its newest
    postings, at ``<base>feed.xml``."""
    feed = make_feed(site, base, title, postings)
    return OutputFile(feed.atom_route, atom_feed(site, feed, t))


def redirect_rules(site: Site) -> bytes:
    """Netlify / Cloudflare Pages ``_redirects``: a dropped posting's URL leads to the board.

    302, not 301: a closed posting may be reopened (its ``valid_through`` moved), and browsers
    cache a 301 for good.
    """
    board = site.urls.href("")
    lines = ['# Expired postings (expired = "drop" in sitegen.toml) redirect to the board.']
    lines += [f"{site.urls.href(posting_route(p.slug))} {board} 302" for p in site.dropped]
    return ("\n".join(lines) + "\n").encode("utf-8")
