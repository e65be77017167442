"""What each page shows: typed, frozen views made from the ``Site``.

A view is a page's whole input: its template sees the view and the templates' environment
(config, URLs, translations), nothing else. ``incremental.cached`` keys a page by the
digest of its view, so a value a template needs goes into the view, and so into the key:
a page and its key cannot drift apart.

Templates see a view's ``site`` as a ``PageSite``: the part of the site the page shows (some
facet values, the build's date, similar postings), never the whole board.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import accumulate, islice
from types import MappingProxyType
from typing import ClassVar

from site_gen.facets import Facet, Facets, FacetValue
from site_gen.models import Posting
from site_gen.site import NEW_FOR_DAYS, ListingPage, Site
from site_gen.urls import SEARCH_INDEX_ROUTE, SEARCH_ROUTE, output_path, posting_route
from site_gen.wording import Translations, listing_title


@dataclass(frozen=True)
class PageSite:
    """The part of the ``Site`` one page shows: some of the facets, the build's date (cards
    say how old a posting is, and mark new ones) and, on a posting page, its similar
    postings."""

    facets: Facets
    today: date
    similar: Mapping[str, tuple[Posting, ...]] = field(default_factory=dict)

    def is_new(self, posting: Posting) -> bool:
        return 0 <= (self.today - posting.date_posted).days < NEW_FOR_DAYS

    def similar_to(self, posting: Posting) -> tuple[Posting, ...]:
        return self.similar.get(posting.slug, ())


NO_FACETS = Facets((), MappingProxyType({}))


@dataclass(frozen=True)
class PostingView:
    """A posting's page: the posting (its description is a function of it), whether it is
    closed, its facet values as links (without their postings and counts) and its similar
    postings."""

    template: ClassVar[str] = "posting.html"
    path: str
    posting: Posting
    expired: bool
    site: PageSite


@dataclass(frozen=True)
class ListingView:
    """A page of the index or of a facet value's listing: its postings' cards, its place in
    the list, and (index page 1) the facets sidebar or (a facet page) the value shown."""

    template: ClassVar[str] = "list.html"
    path: str
    listing: ListingPage
    site: PageSite
    facet_value: FacetValue | None


@dataclass(frozen=True)
class SearchView:
    """The search page: its filters are every facet value with its count."""

    template: ClassVar[str] = "search.html"
    path: str
    site: PageSite


@dataclass(frozen=True)
class SearchIndexView:
    """The JSON index the search page loads: the open postings, the facets and which
    postings are featured on the build's day (that changes with the date, not the files)."""

    template: ClassVar[str] = "search-index.json"
    path: str
    prefix: str
    published: tuple[Posting, ...]
    facets: Facets
    featured: tuple[str, ...]  # slugs


@dataclass(frozen=True)
class FeedView:
    """The Atom feed of one facet value's listing: its newest postings (an empty feed is
    dated ``updated``, the build's clock)."""

    template: ClassVar[str] = "feed.xml"
    path: str
    base: str
    title: str
    postings: tuple[Posting, ...]
    updated: datetime | None


# The templates of the pages the workers render one view at a time.
PAGE_TEMPLATES = (PostingView.template, ListingView.template, SearchView.template)


class ShownValues:
    """Each facet value as pages show it: without its postings (which change with every
    edit to the board), made once per build and shared by every view. A posting page shows
    its values as links, without counts: ``links=True`` leaves the remote count out too, so
    that a posting added elsewhere does not change the key of every posting page that
    links to "Remote" or to its country."""

    def __init__(self, site: Site, *, links: bool = False) -> None:
        self._shown = {
            id(value): replace(value, postings=(), remote_count=0 if links else value.remote_count)
            for value in site.facets.values()
        }

    def of(self, values: Iterable[FacetValue]) -> tuple[FacetValue, ...]:
        return tuple(self._shown[id(v)] for v in values)

    def value(self, value: FacetValue) -> FacetValue:
        return self._shown[id(value)]


class SiteViews:
    """Every view ``incremental.cached`` renders, in order: posting pages (published, then
    closed), listing pages (of the index, then of each facet value), the search page, facet
    feeds.

    A view is made when it is asked for by its index, by the worker that renders its page:
    this process makes none of the views (about a kilobyte each) and keeps no list of the
    pages, only where each facet value's listing pages start and which values have a feed.

    Posting pages come in the order their files were read (``reading_order``), not in the
    order the board lists them: it is the order the postings lie in this process's memory,
    which the page workers share until they write to it (reference counts), and neighbouring
    files are mostly alike (a posting's similar postings are often its neighbours). A run
    of posting pages then writes to fewer of the pages the workers share, so each worker
    copies less before it retires (``forked.WORKERS_MEMORY``).
    """

    def __init__(self, site: Site, t: Translations) -> None:
        self._site, self._t = site, t
        self._postings = reading_order(site)
        self._links, self._shown = ShownValues(site, links=True), ShownValues(site)
        self._groups = site.facet_listings()
        sizes = (len(listings) for _, listings in self._groups)
        self._starts = list(accumulate(sizes, initial=len(site.listings)))
        self._group_sites: dict[int, PageSite] = {}  # made when first asked for
        self._feeds = feed_parts(site)
        self._search = search_view(site)

    def __len__(self) -> int:
        site = self._site
        return len(site.published) + len(site.expired) + self._starts[-1] + 1 + len(self._feeds)

    def __getitem__(self, index: int) -> PostingView | ListingView | SearchView | FeedView:
        if not 0 <= index < len(self):
            raise IndexError(index)
        site = self._site
        if index < len(self._postings):
            return posting_page(site, self._postings[index], self._links)
        index -= len(self._postings)
        if index < len(site.listings):
            return index_listing_view(site, site.listings[index])
        if index < self._starts[-1]:
            return self._facet_listing_view(index)
        index -= self._starts[-1]
        if index == 0:
            return self._search
        value, listings = self._feeds[index - 1]
        return feed_view(site, self._t, value, listings)

    def __iter__(self) -> Iterator[PostingView | ListingView | SearchView | FeedView]:
        return map(self.__getitem__, range(len(self)))

    def _facet_listing_view(self, index: int) -> ListingView:
        group = bisect_right(self._starts, index) - 1
        value, listings = self._groups[group]
        found = self._group_sites.get(group)
        if found is None:  # one per facet value, shared by its pages' views
            found = self._group_sites[group] = facet_page_site(self._site, self._shown, value)
        listing = listings[index - self._starts[group]]
        return ListingView(output_path(listing.route), listing, found, self._shown.value(value))


def posting_views(site: Site) -> Iterator[PostingView]:
    """Every posting page, in the order their files were read."""
    shown = ShownValues(site, links=True)
    for page in reading_order(site):
        yield posting_page(site, page, shown)


def reading_order(site: Site) -> array[int]:
    """The posting pages in the order of their files: each one's place among the published
    postings, then the closed ones (an array: no object a worker would write to)."""
    pages = (*site.published, *site.expired)
    return array("q", sorted(range(len(pages)), key=lambda page: pages[page].source.path))


def posting_page(site: Site, page: int, shown: ShownValues) -> PostingView:
    """The ``page``-th posting page: the ``page``-th published posting, else a closed one."""
    published = len(site.published)
    if page < published:
        return posting_view(site, site.published[page], False, shown)
    return posting_view(site, site.expired[page - published], True, shown)


def posting_view(site: Site, posting: Posting, expired: bool, shown: ShownValues) -> PostingView:
    """One posting's page (``shown``: ``ShownValues(site, links=True)``)."""
    values = shown.of(site.facets.of(posting.slug))
    similar = {posting.slug: site.similar_to(posting)}
    view = PageSite(Facets((), {posting.slug: values}), site.today, similar)
    return PostingView(output_path(posting_route(posting.slug)), posting, expired, view)


def listing_views(site: Site) -> Iterator[ListingView]:
    """The pages of the index, then of every facet value (``tags/python/``...)."""
    for listing in site.listings:
        yield index_listing_view(site, listing)
    shown = ShownValues(site)
    for value, listings in site.facet_listings():
        view = facet_page_site(site, shown, value)
        for listing in listings:
            yield ListingView(output_path(listing.route), listing, view, shown.value(value))


def index_listing_view(site: Site, listing: ListingPage) -> ListingView:
    facets = site.facets if listing.number == 1 else NO_FACETS  # page 1 has the sidebar
    return ListingView(output_path(listing.route), listing, PageSite(facets, site.today), None)


def facet_page_site(site: Site, shown: ShownValues, value: FacetValue) -> PageSite:
    """What the pages of a facet value's listing show of the site: the value's parent (a
    city's country), if any."""
    facet = site.facets.get(value.facet)
    parent = facet.find(value.parent) if value.parent else None
    parents = (shown.value(parent),) if parent else ()
    only = Facet(facet.key, parents)
    return PageSite(Facets((only,), MappingProxyType({})), site.today)


def search_view(site: Site) -> SearchView:
    return SearchView(output_path(SEARCH_ROUTE), PageSite(site.facets, site.today))


def search_index_view(site: Site) -> SearchIndexView:
    featured = tuple(p.slug for p in site.published if p.is_featured(site.today))
    return SearchIndexView(
        SEARCH_INDEX_ROUTE, site.urls.prefix, site.published, site.facets, featured
    )


def feed_views(site: Site, t: Translations) -> Iterator[FeedView]:
    """The feed of each location, workplace and tag: ``tags/python/feed.xml``..."""
    return (feed_view(site, t, value, listings) for value, listings in feed_parts(site))


def feed_parts(site: Site) -> list[tuple[FacetValue, tuple[ListingPage, ...]]]:
    """The facet values that have a feed, with their listing pages."""
    return [(value, listings) for value, listings in site.facet_listings() if listings[0].feed]


def feed_view(
    site: Site, t: Translations, value: FacetValue, listings: tuple[ListingPage, ...]
) -> FeedView:
    feed = listings[0].feed
    assert feed is not None  # feed_parts lists only values with a feed
    postings = (p for listing in listings for p in listing.postings)
    newest = tuple(islice(postings, site.config.feed_size))
    title = f"{listing_title(value, t)} – {site.config.title}"
    updated = None if newest else site.now
    return FeedView(feed, value.route, title, newest, updated)
