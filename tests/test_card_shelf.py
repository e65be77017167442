"""Cards on a shelf on disk: written by workers, read back by any process that inherits it."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import jinja2
import pytest

from site_gen.card_shelf import CardShelf, CardWriter
from site_gen.config import SiteConfig
from site_gen.content import parse_text
from site_gen.forked import Forked
from site_gen.models import Posting
from site_gen.pages import CARD_LEVELS, CARDS_AHEAD_FROM, start_cards
from site_gen.parallel import MIN_FORKED, Workers, _can_fork
from site_gen.theme import Cards, cards_of, make_environment
from site_gen.urls import SiteUrls
from site_gen.validate import validate_posting
from site_gen.views import NO_FACETS, PageSite
from tests.helpers import posting_text, site_of

TODAY = date(2026, 11, 27)


def posting(slug: str, title: str = "Backend Engineer") -> Posting:
    text = posting_text("We build things.\n", title=title)
    result = validate_posting(parse_text(text, f"content/jobs/{slug}.md", slug), "comrak")
    assert isinstance(result, Posting)
    return result


def shelves_left() -> list[str]:
    return [n for n in os.listdir(tempfile.gettempdir()) if n.startswith("sitegen-cards-")]


def test_cards_written_here_are_read_back_for_the_same_postings_only() -> None:
    postings = [posting("a", "Ünïcode “title”"), posting("b"), posting("c")]
    texts = {p.slug: [f"<h2>{p.title}</h2>", f"<h3>{p.title}</h3>"] for p in postings}
    texts["c"] = []  # its card failed to render

    def placed(writer: CardWriter) -> list[tuple[str, int, list[int]]]:
        return [writer.write(texts[p.slug]) for p in postings]

    before = shelves_left()
    shelf = CardShelf.made(postings, (2, 3), placed)
    try:
        assert shelf.card(postings[0], 2) == "<h2>Ünïcode “title”</h2>"
        assert shelf.card(postings[0], 3) == "<h3>Ünïcode “title”</h3>"
        assert shelf.card(postings[1], 3) == "<h3>Backend Engineer</h3>"
        assert shelf.card(postings[2], 2) is None  # failed: rendered on the page instead
        assert shelf.card(postings[1], 4) is None  # a level not shelved
        assert shelf.card(posting("b"), 2) is None  # the same slug, another posting
        assert shelf.card(posting("d"), 2) is None
    finally:
        shelf.close()
    assert shelves_left() == before  # the files were unlinked once open


def html_card(slug: str) -> str:
    return f"<article>{slug} in {os.getpid()}</article>"


@pytest.mark.skipif(not _can_fork(), reason="forks only a single-threaded process")
def test_cards_written_by_forked_workers_are_read_from_each_worker_s_file() -> None:
    postings = [posting(f"p{i}") for i in range(300)]

    def placed(writer: CardWriter) -> list[tuple[str, int, list[int]]]:
        # Each worker retires after a chunk of 10: a file for each of 30 processes.
        made = Forked.start(
            lambda i: writer.write([html_card(f"p{i}")]), 300, 10, 2, retire_above=1
        )
        return list(made)

    shelf = CardShelf.made(postings, (2,), placed)
    try:
        cards = [shelf.card(p, 2) for p in postings]
        assert [c.split(" in ")[0] if c else None for c in cards] == [
            f"<article>p{i}" for i in range(300)
        ]
        assert len({c.split(" in ")[1] for c in cards if c}) >= 2  # several workers' files
    finally:
        shelf.close()


def environment(tmp_path: Path) -> jinja2.Environment:
    urls = SiteUrls("https://jobs.example.com/", {"icons.svg": "icons.0123.svg"})
    return make_environment(SiteConfig(), tmp_path, urls)


def test_a_shelved_card_is_found_by_its_posting_before_any_key_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page worker reads a card from the shelf by the posting's identity: making the
    card's key would read the posting's slug and source, objects of the parent's memory
    that the worker copies as it reads them."""
    postings = [posting("a"), posting("b")]

    def placed(writer: CardWriter) -> list[tuple[str, int, list[int]]]:
        return [writer.write([f"<h2>{p.slug}</h2>"]) for p in postings]

    cards = Cards(environment(tmp_path))
    cards.shelve(CardShelf.made(postings, (2,), placed))

    def no_key(*args: object) -> None:
        raise AssertionError("a key was made")

    monkeypatch.setattr(Cards, "key", staticmethod(no_key))
    view = PageSite(NO_FACETS, TODAY)
    try:
        assert cards.render(view, postings[1], 2) == "<h2>b</h2>"
        with pytest.raises(AssertionError, match="a key was made"):
            cards.render(view, posting("b"), 2)  # the same slug, another posting
    finally:
        cards.shelve(None)


def test_start_cards_shelves_what_the_memo_would_not_hold(tmp_path: Path) -> None:
    if not _can_fork():  # asked now: an earlier test (a browser's) may have left threads
        pytest.skip("start_cards forks nothing while other threads run")
    postings = [posting(f"job-{i}", f"Engineer {i}") for i in range(MIN_FORKED + 2)]
    env = environment(tmp_path)
    with Workers(2) as workers:
        start_cards(env, postings, TODAY, workers, in_memory=10, ahead_from=MIN_FORKED)(site_of({}))
    cards = cards_of(env)
    assert cards.shelf is not None and cards.made == {}
    fresh = Cards(environment(tmp_path))
    view = PageSite(NO_FACETS, TODAY)
    for p in postings[:: len(postings) // 7]:
        for level in CARD_LEVELS:
            assert cards.shelf.card(p, level) == fresh.render(view, p, level)
            assert cards.render(view, p, level) == fresh.render(view, p, level)
    assert cards.made == {}  # read from the shelf, not memoised
    with Workers(1) as workers:  # the next build (here: no workers) drops the shelf
        start_cards(env, postings, TODAY, workers)(site_of({}))
    assert cards.shelf is None


def test_start_cards_renders_second_cards_only_for_postings_shown_as_similar(
    tmp_path: Path,
) -> None:
    if not _can_fork():
        pytest.skip("start_cards forks nothing while other threads run")
    # The first 100 share tags in threes (each is another's similar posting), the rest
    # share nothing with anyone.
    files = {
        f"job-{i:03d}": posting_text(
            tags=[f"shared-{i // 3}" if i < 100 else f"alone-{i}"], company={"name": f"Co {i}"}
        )
        for i in range(MIN_FORKED + 2)
    }
    site = site_of(files)
    env = environment(tmp_path)
    with Workers(2) as workers:
        start_cards(env, site.published, TODAY, workers, ahead_from=MIN_FORKED)(site)
    made = cards_of(env).made
    shown = {p.slug for p in site.shown_as_similar()}
    assert shown == {f"job-{i:03d}" for i in range(99)}  # job-099 is alone with its tag
    assert {slug for slug, _, level, _ in made if level == 2} == set(files)
    assert {slug for slug, _, level, _ in made if level == 3} == shown
    fresh = Cards(environment(tmp_path))
    view = PageSite(NO_FACETS, TODAY)
    for (slug, _, level, _), card in made.items():
        posting = site.published_posting(slug)
        assert posting is not None and card == fresh.render(view, posting, level)


def test_start_cards_renders_none_ahead_on_a_smaller_board(tmp_path: Path) -> None:
    """Below CARDS_AHEAD_FROM postings the page workers render the cards they show."""
    postings = [posting(f"job-{i}", f"Engineer {i}") for i in range(MIN_FORKED + 2)]
    env = environment(tmp_path)
    with Workers(2) as workers:
        start_cards(env, postings, TODAY, workers)(site_of({}))
    assert cards_of(env).made == {} and cards_of(env).shelf is None
    assert len(postings) < CARDS_AHEAD_FROM
