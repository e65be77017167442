"""Compute the site from validated content: what is published, expired, listed and where.

``assemble_site`` is pure: the same postings, config and clock give the same ``Site``.
Nothing here renders or writes. Given the build cache, it takes the facets and the
similar-postings map (each a pass over every posting) from there when their inputs are
the same as an earlier build's: a body-only edit or a build with nothing changed does not
compute them again. A build chooses its postings first (``choose_postings``) and starts the
facets and similar postings (``start_derived``: on large boards, the similar postings in a
process of their own) before it starts its card workers, so that they are computed beside.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, partial
from typing import TypeVar

from site_gen.assets import AssetManifest
from site_gen.cache import BuildCache
from site_gen.cache_keys import derived_key, posting_key
from site_gen.config import SiteConfig
from site_gen.facet_grouping import compute_facets
from site_gen.facets import Facets, FacetValue
from site_gen.facets_json import decode_facets, encode_facets
from site_gen.models import ContentPage, Posting
from site_gen.parallel import Workers
from site_gen.similar import (
    Matching,
    decode_similar,
    encode_similar,
    encoded_rows,
    matching,
    similar_postings,
)
from site_gen.urls import FEED_FACETS, SiteUrls, atom_feed_route, listing_route
from site_gen.validate import Validated

T = TypeVar("T")

NEW_FOR_DAYS = 7  # a posting this many days old or younger is marked "new"


@dataclass(frozen=True)
class ListingPage:
    """One page of a paginated list of postings (the index, or later a facet value)."""

    base: str  # route of page 1, e.g. "" or "tags/python/"
    title: str
    number: int
    total_pages: int
    total_count: int
    postings: tuple[Posting, ...]
    feed: str | None = None  # route of this listing's own Atom feed, if it has one

    @property
    def route(self) -> str:
        return listing_route(self.base, self.number)

    @property
    def prev_route(self) -> str | None:
        return listing_route(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next_route(self) -> str | None:
        return listing_route(self.base, self.number + 1) if self.number < self.total_pages else None


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, computed once per build."""

    config: SiteConfig
    urls: SiteUrls
    now: datetime
    published: tuple[Posting, ...]  # featured first, then newest first
    expired: tuple[Posting, ...]  # closed postings whose pages are kept
    dropped: tuple[Posting, ...]  # closed postings whose pages are not built (expired = "drop")
    skipped_drafts: int
    skipped_future: int
    pages: tuple[ContentPage, ...]
    listings: tuple[ListingPage, ...]
    facets: Facets
    assets: AssetManifest  # the static files, fingerprinted
    preview: bool  # a staging build: robots.txt keeps crawlers out
    similar: Mapping[str, tuple[str, ...]]  # posting slug -> similar open postings' slugs

    @property
    def today(self) -> date:
        return self.now.date()

    def is_new(self, posting: Posting) -> bool:
        """Posted in the last ``NEW_FOR_DAYS`` days, by the build's clock."""
        return 0 <= (self.today - posting.date_posted).days < NEW_FOR_DAYS

    @cached_property
    def _by_slug(self) -> dict[str, Posting]:
        return {p.slug: p for p in self.published}

    def published_posting(self, slug: str) -> Posting | None:
        return self._by_slug.get(slug)

    def similar_to(self, posting: Posting) -> tuple[Posting, ...]:
        """Open postings sharing the posting's company or tags, the closest first."""
        return tuple(map(self._by_slug.__getitem__, self.similar.get(posting.slug, ())))

    def shown_as_similar(self) -> tuple[Posting, ...]:
        """The open postings that some posting's page shows among its similar postings."""
        shown = {slug for slugs in self.similar.values() for slug in slugs}
        return tuple(p for p in self.published if p.slug in shown)

    def facet_listings(self) -> tuple[tuple[FacetValue, tuple[ListingPage, ...]], ...]:
        """Each facet value with its paginated listing."""
        return self._facet_listings

    @cached_property
    def _facet_listings(self) -> tuple[tuple[FacetValue, tuple[ListingPage, ...]], ...]:
        # Made once: listing pages, feeds and the sitemap all walk them, and the views of
        # listing pages then share their tuples (digested once, see view_digests.ViewDigests).
        listings = []
        for value in self.facets.values():
            postings = tuple(map(self._by_slug.__getitem__, value.postings))  # in C: 100,000s
            feed = atom_feed_route(value.route) if value.facet in FEED_FACETS else None
            # The theme words the page's heading (theme.listing_title); the label names it here.
            title, size = value.label, self.config.page_size
            listings.append((value, paginate(postings, value.route, title, size, feed)))
        return tuple(listings)


def is_expired(posting: Posting, today: date) -> bool:
    return posting.valid_through is not None and posting.valid_through < today


def newest_first(postings: list[Posting]) -> tuple[Posting, ...]:
    """Newest first; ties broken by slug so that the order never depends on file order."""
    by_slug = sorted(postings, key=lambda p: p.slug)
    return tuple(sorted(by_slug, key=lambda p: p.date_posted, reverse=True))


def featured_first(postings: tuple[Posting, ...], today: date) -> tuple[Posting, ...]:
    """The postings featured on ``today`` first, each group in its given order."""
    return tuple(sorted(postings, key=lambda p: not p.is_featured(today)))  # a stable sort


def paginate(
    postings: tuple[Posting, ...], base: str, title: str, page_size: int, feed: str | None = None
) -> tuple[ListingPage, ...]:
    """Split a list into pages; an empty list still gets one (empty) page."""
    total_pages = max(1, math.ceil(len(postings) / page_size))
    return tuple(
        ListingPage(
            base=base,
            title=title,
            number=n,
            total_pages=total_pages,
            total_count=len(postings),
            postings=postings[(n - 1) * page_size : n * page_size],
            feed=feed,
        )
        for n in range(1, total_pages + 1)
    )


@dataclass(frozen=True)
class Chosen:
    """What a build shows, chosen by its clock and its drafts and future options."""

    listed: tuple[Posting, ...]  # published: featured first, then newest first
    closed: tuple[Posting, ...]  # expired, newest first
    pages: tuple[ContentPage, ...]  # by slug
    skipped_drafts: int
    skipped_future: int

    def others(self, config: SiteConfig) -> tuple[Posting, ...]:
        """The closed postings whose pages are kept (matched to open ones, never listed)."""
        return self.closed if config.expired == "keep" else ()


def choose_postings(
    content: Validated, today: date, *, drafts: bool = False, future: bool = False
) -> Chosen:
    """Published, expired, skipped (drafts, and postings dated after ``today``)."""
    published: list[Posting] = []
    expired: list[Posting] = []
    skipped_drafts = skipped_future = 0
    for posting in content.postings:
        if posting.draft and not drafts:
            skipped_drafts += 1
        elif posting.date_posted > today and not future:
            skipped_future += 1
        elif is_expired(posting, today):
            expired.append(posting)
        else:
            published.append(posting)
    listed = featured_first(newest_first(published), today)
    pages = sorted((p for p in content.pages if drafts or not p.meta.draft), key=lambda p: p.slug)
    return Chosen(listed, newest_first(expired), tuple(pages), skipped_drafts, skipped_future)


Similar = Mapping[str, tuple[str, ...]]  # posting slug -> similar open postings' slugs
Derived = Callable[[], tuple[Facets, Similar]]


def assemble_site(
    config: SiteConfig,
    content: Validated,
    now: datetime,
    *,
    drafts: bool = False,
    future: bool = False,
    assets: AssetManifest | None = None,
    preview: bool = False,
    cache: BuildCache | None = None,
    chosen: Chosen | None = None,
    derived: Derived | None = None,
) -> Site:
    """The site of ``content`` at ``now``. With a ``cache``, the facets and the similar
    postings are taken from an earlier build whose postings' metadata were the same.
    ``chosen`` and ``derived``: the postings chosen and their facets and similar postings
    started already (``start_derived``), as a build does, to compute them beside other work."""
    today = now.date()
    chosen = chosen or choose_postings(content, today, drafts=drafts, future=future)
    listed, keep = chosen.listed, config.expired == "keep"
    if derived is None:
        derived = start_derived(config, chosen, cache)
    facets, similar = derived()
    assets = assets or AssetManifest()
    return Site(
        config=config,
        urls=SiteUrls(config.base_url, assets.names),
        now=now,
        published=listed,
        expired=chosen.closed if keep else (),
        dropped=() if keep else chosen.closed,
        skipped_drafts=chosen.skipped_drafts,
        skipped_future=chosen.skipped_future,
        pages=chosen.pages,
        listings=paginate(listed, "", config.title, config.page_size),
        facets=facets,
        assets=assets,
        preview=preview,
        similar=similar,
    )


# Similar postings are computed by a process of their own, beside the facets here and the
# card workers, on boards from SIMILAR_BESIDE_FROM postings (on smaller ones they take less
# than the fork). Above SIMILAR_BESIDE_AT_MOST, what matching takes is worked out here
# first (``similar.matching``), so that the process reads that alone: its own copies of the
# postings' memory would cost more than the time it saves, as the search index's (outputs.py).
SIMILAR_BESIDE_FROM = 2_000
SIMILAR_BESIDE_AT_MOST = 20_000


def start_derived(
    config: SiteConfig, chosen: Chosen, cache: BuildCache | None, workers: Workers | None = None
) -> Derived:
    """Start working out the facets and the similar-postings map; call the result for them.

    With a ``cache``, each is taken from an earlier build that had the same inputs (the
    config and the metadata of the postings, in order). The similar postings are computed
    by a process forked now (``workers``), on boards where it pays, while this one computes
    the facets: so the build starts it before its card workers, which would then hold it up.
    """
    listed, others = chosen.listed, chosen.others(config)
    if cache is None:
        return lambda: (compute_facets(listed, config), similar_postings(listed, others))
    setting = config.model_dump_json()
    ids = identities((*listed, *others), cache, config.markdown_engine)
    shown, matched_only = ids[: len(listed)], ids[len(listed) :]
    similar_key = derived_key("similar", setting, *shown, "others", *matched_only)
    decode = partial(decode_similar, published=listed, others=others)
    similar = cache.derived(similar_key, decode)
    making = None
    if similar is None and workers is not None and len(listed) >= SIMILAR_BESIDE_FROM:
        found = matching(listed, others) if len(listed) > SIMILAR_BESIDE_AT_MOST else None
        making = workers.aside(partial(_encoded_similar, listed, others, found))

    def finish() -> tuple[Facets, Similar]:
        facets = cache.reuse(
            derived_key("facets", setting, *shown),
            lambda: compute_facets(listed, config),
            lambda value: encode_facets(value, listed),
            lambda data: decode_facets(data, listed),
        )
        if similar is not None:
            return facets, similar
        nonlocal making
        data = next(iter(making)) if making is not None else None
        making = None  # and its matching with it, large on a large board, before the pages
        made = decode(data) if data is not None else None
        if data is None or made is None:  # here: not worth a process of its own
            made = similar_postings(listed, others)
            data = encode_similar(made, listed, others)
        cache.store_derived(similar_key, made, data)
        return facets, made

    return finish


def _encoded_similar(
    listed: tuple[Posting, ...], others: tuple[Posting, ...], found: Matching | None, _: int
) -> bytes:
    """The similar-postings map as the cache keeps it: what a process made beside sends
    (from ``found``, the postings' matching, if it was worked out already)."""
    return encoded_rows(found or matching(listed, others))


def identities(postings: Iterable[Posting], cache: BuildCache | None, engine: str) -> list[str]:
    """What each posting shows outside its own page (a card, a facet, a feed entry): its
    slug and the digest of its metadata, so that an edit to a description alone leaves them
    as they were; the whole file's digest if the cache does not know the posting."""
    ids = []
    for posting in postings:
        source = posting.source
        key = posting_key(source.path, source.digest, engine) if cache is not None else ""
        digest = cache.metadata_digest(key) if cache is not None else None
        ids.append(f"{posting.slug}:{digest or source.digest}")
    return ids
