"""Pages as pure functions of their views: ``Pages(...).render(view) -> bytes``.

A ``Pages`` holds what every page may use and what is the same for the whole build: the
templates' environment (config, URLs, translations), the site's URLs and a reader of
posting descriptions (from the build cache, else rendered from the posting's file; a
description is a function of its posting). Nothing else is read: what differs from page to
page is in its view (``views.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from site_gen.card_shelf import CardShelf, CardWriter
from site_gen.content import read_body
from site_gen.errors import ThemeError
from site_gen.feeds import AtomEntries, Feed, atom_feed
from site_gen.markup import render_markdown
from site_gen.models import Posting
from site_gen.parallel import Workers
from site_gen.site import Site
from site_gen.structured_data import job_posting_markup
from site_gen.theme import (
    MAX_CARDS,
    Cards,
    cards_of,
    make_environment,
    template_error,
    translations_of,
)
from site_gen.urls import SEARCH_ROUTE, SiteUrls, posting_route
from site_gen.views import (
    NO_FACETS,
    FeedView,
    ListingView,
    PageSite,
    PostingView,
    SearchIndexView,
    SearchView,
)

View = PostingView | ListingView | SearchView | SearchIndexView | FeedView


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: its path below the output folder and its bytes."""

    path: str
    data: bytes
    digest: str | None = None  # SHA-256 of ``data`` when already known


@dataclass(frozen=True)
class Pages:
    """Renders views into page bytes (``render``), the same way in this process and in a
    forked worker."""

    env: jinja2.Environment
    site: Site  # read only for its config, URLs and clock, which every page may show
    root: Path
    description: Callable[[Posting], str | None]  # the cached description, if any
    minify: bool = False  # minify HTML pages (``--minify``)

    @property
    def urls(self) -> SiteUrls:
        return self.site.urls

    @cached_property
    def atom_entries(self) -> AtomEntries:
        """The build's Atom entries, each made once in each process that renders feeds."""
        return AtomEntries(self.site, translations_of(self.env))

    def render(self, view: View) -> bytes:
        data = self._render(view)
        if self.minify and view.path.endswith(".html"):
            from site_gen.minify import minify_page  # only a minified build needs it

            return minify_page(data)
        return data

    def _render(self, view: View) -> bytes:
        if isinstance(view, PostingView):
            return self.posting_page(view)
        if isinstance(view, ListingView):
            extra = {} if view.facet_value is None else {"facet_value": view.facet_value}
            return self.template(
                view.template, view.listing.route, site=view.site, listing=view.listing, **extra
            )
        if isinstance(view, SearchView):
            return self.template(view.template, SEARCH_ROUTE, site=view.site)
        if isinstance(view, FeedView):
            feed = Feed(view.base, view.title, view.postings)
            return atom_feed(self.site, feed, translations_of(self.env), self.atom_entries)
        raise TypeError(f"{type(view).__qualname__} is not rendered one page at a time")

    def posting_page(self, view: PostingView) -> bytes:
        posting = view.posting
        description = self.description_html(posting)
        structured = "" if view.expired else job_posting_markup(posting, description, self.urls)
        return self.template(
            view.template,
            posting_route(posting.slug),
            site=view.site,
            posting=posting,
            description=Markup(description),
            structured_data=Markup(structured),
            expired=view.expired,
        )

    def description_html(self, posting: Posting) -> str:
        """A posting's description HTML: from the cache if it has it, else from its file."""
        found = self.description(posting)
        if found is not None:
            return found
        source = posting.source
        body = read_body(self.root, source.path, source.body_line)
        return render_markdown(body, self.site.config.markdown_engine)

    def template(self, name: str, route: str, **context: Any) -> bytes:
        try:
            return render_template(self.env, name, route=route, **context).encode("utf-8")
        except ThemeError:
            # A partial is compiled into the page that includes it, so a mistake in it is
            # seen at the page's line: render the page again with partials apart, to name
            # the partial's file and line.
            config, urls = self.site.config, self.urls
            apart = make_environment(config, self.root, urls, inline=False)
            render_template(apart, name, route=route, **context)
            raise


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; template mistakes become a ``ThemeError`` naming file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise template_error(exc, name) from None


LISTING_LEVEL = 2  # a card's heading level in listings
SIMILAR_LEVEL = 3  # among a posting's similar postings
CARD_LEVELS = (LISTING_LEVEL, SIMILAR_LEVEL)

StartedCards = Callable[[Site], None]  # given the assembled site, finishes the cards

# Fewer postings than this: no cards rendered beforehand. Each page worker renders those its
# pages show, as it comes to them (some twice, on both workers), which costs less than the
# two rounds of workers forked for them (measured with 2 jobs: 1,000 and 2,000 postings
# built faster without, 4,000 slower).
CARDS_AHEAD_FROM = 3000


def start_cards(
    env: jinja2.Environment,
    postings: Sequence[Posting],
    today: date,
    workers: Workers,
    *,
    in_memory: int = MAX_CARDS,
    ahead_from: int = CARDS_AHEAD_FROM,
) -> StartedCards:
    """Start rendering the listing cards of ``postings``, once, on all cores; the returned
    function, given the assembled site, renders the cards of the postings its pages show
    among their similar postings too, and puts them all in ``env``'s memo.

    The workers forked later to render pages inherit the memo; otherwise each renders
    most cards again (a card is on a dozen pages, spread over all workers). Started before
    the site is assembled (a card shows only its posting and the date), so that the
    workers render cards while this process computes the facets. Only a few of the postings
    are another's similar posting (a quarter at 10,000), so their second card waits for the
    similar postings instead of being rendered for all. More cards than the memo holds
    (``in_memory``) are rendered now, both levels, onto a shelf on disk (``card_shelf``)
    that the page workers read. Skipped for fewer than ``ahead_from`` postings, and where
    workers are not forked.
    """
    cards = cards_of(env)
    cards.shelve(None)  # an earlier build's
    if len(postings) < ahead_from or not workers.will_fork(len(postings)):
        return lambda site: None
    view = PageSite(NO_FACETS, today)

    def rendered(levels: tuple[int, ...], chosen: Sequence[Posting], index: int) -> list[str]:
        try:
            return [str(cards.render(view, chosen[index], level)) for level in levels]
        except jinja2.TemplateError:
            return []  # left to fail on the page that shows it, naming the file and line

    if len(CARD_LEVELS) * len(postings) > in_memory:
        # Not meanwhile: its workers, visiting every posting, may then retire and keep
        # the tree's memory bounded (parallel.Workers.forked).
        render = partial(rendered, CARD_LEVELS, postings)

        def placed(writer: CardWriter) -> list[tuple[str, int, list[int]]]:
            return list(workers.forked(lambda i: writer.write(render(i)), len(postings)))

        cards.shelve(CardShelf.made(postings, CARD_LEVELS, placed))
        return lambda site: None

    def collect(
        chosen: Sequence[Posting], made: Iterable[list[str]], levels: tuple[int, ...]
    ) -> None:
        for posting, texts in zip(chosen, made, strict=True):
            for level, text in zip(levels if texts else (), texts, strict=True):
                cards.add(Cards.key(posting, level, today), Markup(text))

    listing = (LISTING_LEVEL,)
    made = workers.forked(partial(rendered, listing, postings), len(postings), meanwhile=True)

    def finish(site: Site) -> None:
        collect(postings, made, listing)
        similar, level = site.shown_as_similar(), (SIMILAR_LEVEL,)
        collect(similar, workers.forked(partial(rendered, level, similar), len(similar)), level)

    return finish
