"""Assembling the site: what is published, expired, skipped; ordering; pagination."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from site_gen.config import SiteConfig
from site_gen.parallel import _can_fork
from site_gen.similar import encoded_rows, matching, similar_postings
from tests.conftest import cold_tree, run_build
from tests.helpers import posting_text, site_of, tree_bytes
from tests.test_cache import varied_board

FILES = {
    "old": posting_text(date_posted="2026-10-01"),
    "new": posting_text(date_posted="2026-11-26"),
    "same-day-b": posting_text(date_posted="2026-11-20"),
    "same-day-a": posting_text(date_posted="2026-11-20"),
    "expired": posting_text(date_posted="2026-09-01", valid_through="2026-11-26"),
    "draft": posting_text(draft=True),
    "future": posting_text(date_posted="2026-12-15", valid_through="2027-02-01"),
}


def test_published_newest_first_with_stable_ties():
    site = site_of(FILES)
    assert [p.slug for p in site.published] == ["new", "same-day-a", "same-day-b", "old"]
    assert [p.slug for p in site.expired] == ["expired"]
    assert (site.skipped_drafts, site.skipped_future) == (1, 1)


def test_drafts_and_future_on_request():
    site = site_of(FILES, drafts=True, future=True)
    assert {p.slug for p in site.published} >= {"draft", "future"}


def test_a_posting_valid_through_today_is_still_open():
    site = site_of({"today": posting_text(valid_through="2026-11-27")})
    assert [p.slug for p in site.published] == ["today"]


def test_expired_dropped_when_configured():
    assert site_of(FILES, SiteConfig(expired="drop")).expired == ()


def test_pagination():
    files = {f"p{i:02d}": posting_text(date_posted=f"2026-11-{i + 1:02d}") for i in range(5)}
    site = site_of(files, SiteConfig(page_size=2))
    assert [(page.route, [p.slug for p in page.postings]) for page in site.listings] == [
        ("", ["p04", "p03"]),
        ("page/2/", ["p02", "p01"]),
        ("page/3/", ["p00"]),
    ]
    assert site.listings[0].prev_route is None and site.listings[0].next_route == "page/2/"
    assert site.listings[2].next_route is None and site.listings[2].prev_route == "page/2/"


FEATURED = {
    "old": posting_text(date_posted="2026-10-01"),
    "new": posting_text(date_posted="2026-11-26", tags=["python"]),
    "paid": posting_text(date_posted="2026-11-02", featured=True, tags=["python"]),
    "paid-older": posting_text(date_posted="2026-10-15", featured=True),
    "paid-until-today": posting_text(
        date_posted="2026-11-01", featured=True, featured_until="2026-11-27", tags=["python"]
    ),
    "paid-until-yesterday": posting_text(
        date_posted="2026-11-25", featured=True, featured_until="2026-11-26", tags=["python"]
    ),
}


def test_featured_postings_come_first_newest_first_until_their_end():
    site = site_of(FEATURED)
    # No longer featured the day after featured_until: back among the others, by date.
    expected = ["paid", "paid-until-today", "paid-older", "new", "paid-until-yesterday", "old"]
    assert [p.slug for p in site.published] == expected
    assert [p.slug for p in site.listings[0].postings] == expected


def test_featured_postings_come_first_in_their_facet_listings():
    site = site_of(FEATURED)
    python = site.facets.get("tag").find("python")
    assert python is not None
    assert python.postings == ("paid", "paid-until-today", "new", "paid-until-yesterday")
    listings = dict(site.facet_listings())
    assert [p.slug for p in listings[python][0].postings] == list(python.postings)


def test_similar_postings_are_computed_beside_on_large_boards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not _can_fork():  # asked now: an earlier test may have left threads
        pytest.skip("a process with other threads forks nothing")
    root = varied_board(tmp_path / "b")
    monkeypatch.setattr("site_gen.site.SIMILAR_BESIDE_FROM", 1)  # this board counts as large
    build_process = os.getpid()

    def beside_only(fn: Any) -> Any:
        def call(*args: Any) -> Any:
            if os.getpid() == build_process:
                raise AssertionError("similar postings computed in the build's own process")
            return fn(*args)

        return call

    monkeypatch.setattr("site_gen.site.matching", beside_only(matching))
    monkeypatch.setattr("site_gen.site.similar_postings", beside_only(similar_postings))
    site = run_build(root, jobs=2).site
    assert site.similar == similar_postings(site.published, site.expired)
    monkeypatch.undo()
    assert tree_bytes(root / "output") == cold_tree(root, tmp_path)


def test_on_the_largest_boards_the_process_beside_reads_the_matching_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Worked out here first, so that the process beside copies none of the postings' memory.
    if not _can_fork():
        pytest.skip("a process with other threads forks nothing")
    root = varied_board(tmp_path / "b")
    monkeypatch.setattr("site_gen.site.SIMILAR_BESIDE_FROM", 1)
    monkeypatch.setattr("site_gen.site.SIMILAR_BESIDE_AT_MOST", 0)  # this board counts as huge
    build_process = os.getpid()
    where: dict[str, int] = {}

    def noted(name: str, fn: Any) -> Any:
        def call(*args: Any) -> Any:
            where[name] = os.getpid()
            return fn(*args)

        return call

    monkeypatch.setattr("site_gen.site.matching", noted("matching", matching))
    monkeypatch.setattr("site_gen.site.encoded_rows", noted("rows", encoded_rows))
    site = run_build(root, jobs=2).site
    assert site.similar == similar_postings(site.published, site.expired)
    assert where["matching"] == build_process
    assert "rows" not in where  # set in the process beside, not in this one
    monkeypatch.undo()
    assert tree_bytes(root / "output") == cold_tree(root, tmp_path)
