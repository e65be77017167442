"""The digest of a view: equal views give equal keys, any change another, no value skipped."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from site_gen.build import BuildOptions, IncrementalBuilder
from site_gen.view_digests import ViewDigests
from site_gen.views import PageSite, posting_views
from tests.helpers import NOW
from tests.test_incremental import two_postings


def test_equal_views_have_equal_keys_and_any_change_changes_the_key(tmp_path: Path) -> None:
    root = two_postings(tmp_path)
    with IncrementalBuilder(BuildOptions(root=root, now=NOW)) as builder:
        site = builder.build().site
    first, second = list(posting_views(site)), list(posting_views(site))
    digests = ViewDigests()
    keys = [digests.key("f", v) for v in first]
    assert keys == [ViewDigests().key("f", v) for v in second]  # made again: same keys
    assert len(set(keys)) == 2
    view = first[0]
    changed = [
        replace(view, expired=not view.expired),
        replace(view, site=replace(view.site, today=date(2030, 1, 1))),
        replace(view, posting=first[1].posting),
    ]
    assert all(digests.key("f", v) != keys[0] for v in changed)
    assert digests.key("another theme", view) != keys[0]


def test_equal_looking_values_of_different_types_have_different_digests() -> None:
    """The walk tags every value with its type and every container with its length."""
    from datetime import datetime

    from markupsafe import Markup

    digests = ViewDigests()
    pairs = [
        ("a", Markup("a")),
        (1, True),
        (date(2026, 1, 1), datetime(2026, 1, 1)),
        ((1, 2), [1, 2]),
        (("ab",), ("a", "b")),
        ({"a": 1}, {"a": 2}),
        ({"a": "b"}, ("a", "b")),
    ]
    for left, right in pairs:
        assert digests.of(left) != digests.of(right), (left, right)
    assert digests.of(("x", (1,))) == ViewDigests().of(("x", (1,)))


def test_digests_are_freed_without_the_cyclic_collector(tmp_path: Path) -> None:
    """A build runs with the collector off: each chunk's digests (and the views they keep
    alive) must go when the chunk is done, so they may hold no reference cycle."""
    import gc
    import weakref

    root = two_postings(tmp_path)
    with IncrementalBuilder(BuildOptions(root=root, now=NOW)) as builder:
        site = builder.build().site
    enabled = gc.isenabled()
    gc.disable()
    try:
        digests = ViewDigests()
        for view in posting_views(site):
            digests.key("f", view)
        gone = weakref.ref(digests)
        del digests
        assert gone() is None
    finally:
        if enabled:
            gc.enable()


def test_a_view_holding_an_unknown_type_is_refused() -> None:
    view = PageSite(facets=object(), today=date(2026, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cannot hold a object"):
        ViewDigests().of(view)


def test_remembered_postings_are_looked_up_not_walked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``incremental.cached`` digests the board's postings before the page workers fork:
    keying a view then reads none of a remembered posting's fields (which a worker would
    copy from the parent's memory), and gives the keys a fresh walk gives."""
    from site_gen import view_digests

    root = two_postings(tmp_path)
    with IncrementalBuilder(BuildOptions(root=root, now=NOW)) as builder:
        site = builder.build().site
    views = list(posting_views(site))
    expected = [ViewDigests().key("f", v) for v in views]
    walked: list[str] = []
    walk = view_digests._posting
    monkeypatch.setattr(view_digests, "_posting", lambda d, p: walked.append(p.slug) or walk(d, p))
    digests = ViewDigests()
    digests.remember(site.published)
    assert sorted(walked) == sorted(p.slug for p in site.published)
    walked.clear()
    assert [digests.key("f", v) for v in views] == expected
    assert walked == []
