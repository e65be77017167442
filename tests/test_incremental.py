"""The one place where pages are cached: keys derived from views, page bytes in the cache."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from site_gen.build import BuildOptions, IncrementalBuilder
from site_gen.cache import CACHE_DIR
from site_gen.pages import Pages
from tests.helpers import NOW, posting_text, tree_bytes, write_board


def two_postings(tmp_path: Path) -> Path:
    return write_board(
        tmp_path / "board",
        {
            "a": posting_text(title="Backend Engineer", tags=["python"]),
            "b": posting_text(title="Data Engineer", tags=["python", "sql"]),
        },
    )


def test_a_restored_cache_writes_pages_without_rendering_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI build: a fresh clone, only .sitegen-cache/ restored, no output/."""
    root = two_postings(tmp_path)
    options = BuildOptions(root=root, now=NOW, jobs=1)
    with IncrementalBuilder(options) as builder:
        builder.build()
    built = tree_bytes(root / "output")
    clone = tmp_path / "clone"
    shutil.copytree(root, clone, ignore=shutil.ignore_patterns("output"))
    rendered: list[str] = []
    render = Pages.render

    def counted(self: Pages, view: object) -> bytes:
        rendered.append(view.path)  # type: ignore[attr-defined]
        return render(self, view)  # type: ignore[arg-type]

    monkeypatch.setattr(Pages, "render", counted)
    with IncrementalBuilder(replace(options, root=clone)) as builder:
        report = builder.build()
    assert rendered == []
    assert report.written.written == len(built)
    assert tree_bytes(clone / "output") == built


def test_a_damaged_page_in_the_cache_is_rendered_again(tmp_path: Path) -> None:
    root = two_postings(tmp_path)
    options = BuildOptions(root=root, now=NOW, jobs=1)
    with IncrementalBuilder(options) as builder:
        builder.build()
        builder.cache._db.execute("UPDATE pages SET data = x'00'")  # type: ignore[union-attr]
        builder.cache.commit()
    built = tree_bytes(root / "output")
    shutil.rmtree(root / "output")
    with IncrementalBuilder(options) as builder:
        builder.build()
    assert tree_bytes(root / "output") == built
    assert (root / CACHE_DIR).is_dir()


def test_a_restored_cache_writes_the_search_index_without_making_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index is one view of several files (``cached_files``): a fresh clone with the
    cache restored gets every one of them from the cache."""
    root = two_postings(tmp_path)
    options = BuildOptions(root=root, now=NOW, jobs=1)
    with IncrementalBuilder(options) as builder:
        builder.build()
    built = tree_bytes(root / "output")
    clone = tmp_path / "clone"
    shutil.copytree(root, clone, ignore=shutil.ignore_patterns("output"))

    def not_again(site: object) -> list[object]:
        raise AssertionError("the search index was made again")

    monkeypatch.setattr("site_gen.search_index.index_files", not_again)
    with IncrementalBuilder(replace(options, root=clone)) as builder:
        builder.build()
    assert tree_bytes(clone / "output") == built
    monkeypatch.undo()
    shutil.rmtree(clone / CACHE_DIR)  # without its cache the clone makes the index again
    shutil.rmtree(clone / "output")
    with IncrementalBuilder(replace(options, root=clone)) as builder:
        builder.build()
    assert tree_bytes(clone / "output") == built


def test_the_search_index_is_made_again_when_a_posting_stops_being_featured(
    tmp_path: Path,
) -> None:
    """Nothing but the date changes: the postings keep their order (the featured one is also
    the newest), yet the index's list of featured postings must follow the date."""
    root = write_board(
        tmp_path / "board",
        {
            "a": posting_text(date_posted="2026-11-26", featured=True, featured_until="2026-11-27"),
            "b": posting_text(date_posted="2026-11-20"),
        },
    )
    heads = []
    for now in (NOW, NOW + timedelta(days=1)):
        with IncrementalBuilder(BuildOptions(root=root, now=now, jobs=1)) as builder:
            builder.build()
        heads.append(json.loads((root / "output" / "search-index.json").read_bytes()))
    assert [head["featured"] for head in heads] == [[0], []]


def test_a_cold_build_packs_the_pages_after_its_first_chunk_with_the_dictionary(
    tmp_path: Path,
) -> None:
    """The workers forked after the first chunk pack with the dictionary trained on it."""
    import zstandard

    from site_gen.incremental import FIRST_CHUNK
    from site_gen.parallel import MIN_FORKED
    from tests.e2e.boards import big_board

    board = big_board(tmp_path / "board", FIRST_CHUNK + MIN_FORKED)
    with IncrementalBuilder(BuildOptions(root=board, now=NOW, jobs=2)) as builder:
        builder.build()
        rows = builder.cache._db.execute("SELECT data FROM pages WHERE data IS NOT NULL")  # type: ignore[union-attr]
        frames = [bytes(row[0]) for row in rows]
    plain = [f for f in frames if not zstandard.get_frame_parameters(f).dict_id]
    assert len(frames) > FIRST_CHUNK + MIN_FORKED
    assert len(plain) <= FIRST_CHUNK + 2  # the first chunk, the search index's files


def test_a_cold_build_renders_its_first_chunk_here_and_the_rest_on_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No round of workers for the few pages the dictionary is trained on."""
    from site_gen.incremental import FIRST_CHUNK
    from site_gen.parallel import MIN_FORKED, _can_fork
    from tests.e2e.boards import big_board

    if not _can_fork():
        pytest.skip("workers are forked only without other threads")
    here: list[str] = []  # what a forked worker appends stays in the worker
    render = Pages.render
    monkeypatch.setattr(
        Pages, "render", lambda self, view: here.append(view.path) or render(self, view)
    )
    board = big_board(tmp_path / "board", FIRST_CHUNK + MIN_FORKED)
    with IncrementalBuilder(BuildOptions(root=board, now=NOW, jobs=2)) as builder:
        report = builder.build()
    assert len(here) == FIRST_CHUNK
    assert report.written.written > 2 * FIRST_CHUNK
