"""The build cache: a cached build is byte-identical to a cold one, and a bad cache is ignored."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
import zstandard

from site_gen import cache_file
from site_gen.build import BuildOptions, IncrementalBuilder
from site_gen.cache import CACHE_DIR, BuildCache
from site_gen.cache_file import CACHE_FILE
from site_gen.cache_keys import digest_of
from site_gen.facet_grouping import compute_facets
from site_gen.page_packing import SAMPLES
from site_gen.similar import similar_postings
from tests.conftest import cold_tree, run_build
from tests.helpers import NOW, posting_text, tree_bytes, write_board
from tests.test_page_packing import board_pages


def test_cached_build_is_byte_identical_to_a_cold_one(board: Path, tmp_path: Path) -> None:
    first = run_build(board)
    assert first.written.written > 0
    # Keep the cache, lose the output's files: every page comes from what the cache holds.
    for path in (board / "output").rglob("*"):
        if path.is_file():
            path.unlink()
    run_build(board)
    assert tree_bytes(board / "output") == cold_tree(board, tmp_path)
    shutil.rmtree(board / "output")  # no output at all: pages are rendered again
    run_build(board)
    assert tree_bytes(board / "output") == cold_tree(board, tmp_path)


def test_second_build_takes_every_posting_and_page_from_the_cache(board: Path) -> None:
    run_build(board)
    report = run_build(board)
    assert report.written.written == 0
    site = report.site
    facet_pages = sum(len(listings) for _, listings in site.facet_listings())
    feeds = sum(1 for _, listings in site.facet_listings() if listings[0].feed)
    memoised = (
        len(site.published) + len(site.expired) + len(site.listings) + facet_pages + feeds + 3
    )
    with sqlite3.connect(board / CACHE_DIR / CACHE_FILE) as db:
        postings = db.execute("SELECT count(*) FROM postings").fetchone()[0]
        pages = db.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert postings == 2
    # posting, index, facet pages, facet feeds, the search page, and the search index: the list
    # of its files and its one file (a small board's index is one file)
    assert pages == memoised


def test_tampered_entries_are_not_trusted(board: Path, tmp_path: Path) -> None:
    run_build(board)
    with sqlite3.connect(board / CACHE_DIR / CACHE_FILE) as db:
        db.execute("UPDATE pages SET data = CAST('<p>not the page</p>' AS BLOB)")
        db.execute("UPDATE postings SET description = '<p>not the description</p>'")
    # The output lacks one page, so the cache is asked for it: the description fails its check.
    (board / "output/jobs/backend-engineer/index.html").unlink()
    (board / "output/search-index.json").unlink()
    run_build(board)
    assert tree_bytes(board / "output") == cold_tree(board, tmp_path)
    with sqlite3.connect(board / CACHE_DIR / CACHE_FILE) as db:
        db.execute("UPDATE postings SET posting = '{\"title\": 42}'")
    shutil.rmtree(board / "output")
    run_build(board)
    assert tree_bytes(board / "output") == cold_tree(board, tmp_path)


def test_unused_entries_are_dropped(tmp_path: Path) -> None:
    root = write_board(tmp_path / "b", postings={"a": posting_text(), "b": posting_text()})
    run_build(root)
    (root / "content/jobs/b.md").unlink()
    run_build(root)
    with sqlite3.connect(root / CACHE_DIR / CACHE_FILE) as db:
        assert db.execute("SELECT count(*) FROM postings").fetchone()[0] == 1


def test_unused_entries_are_dropped_by_a_cache_kept_open(tmp_path: Path) -> None:
    """The preview server's cache knows its keys in memory: what it drops, it drops on disk."""
    root = write_board(tmp_path / "b", postings={"a": posting_text(), "b": posting_text()})

    def counts() -> tuple[int, int]:
        with sqlite3.connect(root / CACHE_DIR / CACHE_FILE) as db:
            postings = db.execute("SELECT count(*) FROM postings").fetchone()[0]
            return postings, db.execute("SELECT count(*) FROM pages").fetchone()[0]

    with IncrementalBuilder(BuildOptions(root=root, now=NOW)) as builder:
        builder.build()
        builder.rebuild([])
        postings, pages = counts()
        (root / "content/jobs/b.md").unlink()
        builder.rebuild([root / "content/jobs/b.md"])
        assert counts()[0] == postings - 1
        assert counts()[1] < pages  # b's page, and the listings that showed it


def test_writes_are_sent_in_batches_and_committed_as_they_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows go to the file ``BATCH_ROWS`` at a time, and every ``COMMIT_ROWS`` rows the file
    is committed until workers read it (a commit drops their page caches), so the commit a
    build waits on before they read has little left to write; what was written is read
    back, though still queued."""
    monkeypatch.setattr(cache_file, "BATCH_ROWS", 2)
    monkeypatch.setattr(cache_file, "COMMIT_ROWS", 4)

    def committed() -> int:
        with sqlite3.connect(tmp_path / CACHE_DIR / CACHE_FILE) as db:  # another connection
            return int(db.execute("SELECT count(*) FROM pages").fetchone()[0])

    with BuildCache(tmp_path / CACHE_DIR) as cache:
        for n in range(5):
            cache.store_page(f"k{n}", digest_of(b"page"), cache.pack_page(b"page"))
        assert committed() == 4
        cache.commit()
        assert committed() == 5
        cache.store_page("k5", digest_of(b"page"), cache.pack_page(b"page"))
        assert cache.page_data("k5") == b"page"  # queued, sent when the file is read
        assert committed() == 5
        cache.descriptions()  # for the workers: no commits until the next build
        for n in range(6, 10):
            cache.store_page(f"k{n}", digest_of(b"page"), cache.pack_page(b"page"))
        assert committed() == 5
        cache.start_build()
        for n in range(10, 12):
            cache.store_page(f"k{n}", digest_of(b"page"), cache.pack_page(b"page"))
        assert committed() == 12
    assert committed() == 12


def test_page_data_is_checked_against_its_digest(tmp_path: Path) -> None:
    data = b"<html>page</html>"
    with BuildCache(tmp_path / "cache") as cache:
        cache.store_page("k", digest_of(data), cache.pack_page(data))
        assert cache.page_data("k") == data
        cache._db.execute("UPDATE pages SET data = ?", (cache.pack_page(b"<html>other</html>"),))
        assert cache.page_data("k") is None
        cache._db.execute("UPDATE pages SET data = ?", (b"not compressed",))
        assert cache.page_data("k") is None
        cache.store_page("k2", digest_of(data))  # a page kept by its digest only
        assert cache.page_digest("k2") == digest_of(data)
        assert cache.page_data("k2") is None


def test_pages_after_the_first_are_packed_with_a_dictionary_trained_on_them(
    tmp_path: Path,
) -> None:
    pages = board_pages(SAMPLES + 20)
    with BuildCache(tmp_path / "cache") as cache:
        for number, page in enumerate(pages):
            cache.store_page(f"k{number}", digest_of(page), cache.pack_page(page))
    with sqlite3.connect(tmp_path / "cache" / CACHE_FILE) as db:
        assert db.execute("SELECT count(*) FROM dictionary").fetchone()[0] == 1
        frames = dict(db.execute("SELECT key, data FROM pages").fetchall())
    assert zstandard.get_frame_parameters(frames["k0"]).dict_id == 0
    assert zstandard.get_frame_parameters(frames[f"k{SAMPLES + 19}"]).dict_id != 0
    with BuildCache(tmp_path / "cache") as cache:  # a later build reads both kinds
        assert [cache.page_data(f"k{n}") for n in range(len(pages))] == pages


def test_an_edit_that_keeps_size_and_mtime_is_still_seen_when_recent(board: Path) -> None:
    """Size, mtime and inode stand for the content only once the file is a few seconds older
    than its last hashing (git's racy-clean rule); a quick same-size edit is read again."""
    posting = board / "content/jobs/backend-engineer.md"
    run_build(board)
    before = posting.stat()
    text = posting.read_text()
    posting.write_text(text.replace("Backend Engineer", "Backend Engineeq"))
    os.utime(posting, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert posting.stat().st_size == before.st_size
    run_build(board)
    page = (board / "output/jobs/backend-engineer/index.html").read_text()
    assert "Backend Engineeq" in page


def varied_board(root: Path) -> Path:
    """Postings sharing companies, tags and places, one of them closed."""
    body = "We build things. " * 30 + "\n"  # longer than a summary: its end is not in it
    postings = {
        f"job-{i}": posting_text(
            body,
            company={"name": ["Acme", "Globex", "Initech"][i % 3]},
            tags=[["python", "aws", "go"][i % 3], ["remote-first", "equity"][i % 2]],
            location=[{"city": ["Berlin", "Paris", "Lisbon"][i % 3], "country": "DE"}],
            date_posted=f"2026-11-{10 + i:02d}",
        )
        for i in range(9)
    }
    postings["closed"] = posting_text(
        company={"name": "Acme"}, tags=["go"], date_posted="2026-10-01", valid_through="2026-10-31"
    )
    return write_board(root, postings=postings)


def test_facets_and_similar_postings_come_from_the_cache_equal_to_computed_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = varied_board(tmp_path / "b")
    computed = run_build(root).site
    # A second build (a new process would do the same) must not compute them again...
    for name in ("compute_facets", "similar_postings"):
        monkeypatch.setattr(f"site_gen.site.{name}", _must_not_run)
    site = run_build(root).site
    # ...and what it takes from the cache is exactly what computing them gives.
    assert site.facets == compute_facets(site.published, site.config) == computed.facets
    assert site.similar == similar_postings(site.published, site.expired) == computed.similar
    # Nor after an edit to the end of a description: the postings' metadata are unchanged.
    posting = root / "content/jobs/job-4.md"
    posting.write_text(posting.read_text() + "\nOne more paragraph.\n")
    run_build(root)
    monkeypatch.undo()  # a build without the cache computes them
    assert tree_bytes(root / "output") == cold_tree(root, tmp_path)


def _must_not_run(*args: object) -> None:
    raise AssertionError("computed again, though its inputs were cached")


def test_an_edit_to_tags_or_company_computes_them_again(tmp_path: Path) -> None:
    root = varied_board(tmp_path / "b")
    run_build(root)
    posting = root / "content/jobs/job-4.md"
    posting.write_text(posting.read_text().replace("Globex", "Umbrella").replace("- aws", "- rust"))
    site = run_build(root).site
    assert site.facets == compute_facets(site.published, site.config)
    assert site.similar == similar_postings(site.published, site.expired)
    assert "rust" in [v.key for v in site.facets.get("tag").values]
    assert tree_bytes(root / "output") == cold_tree(root, tmp_path)


def test_tampered_derived_values_are_not_trusted(tmp_path: Path) -> None:
    root = varied_board(tmp_path / "b")
    run_build(root)
    shutil.rmtree(root / "output")
    with sqlite3.connect(root / CACHE_DIR / CACHE_FILE) as db:
        rows = [row for row in db.execute("SELECT key, data FROM derived") if row[1][:1] == b"["]
        assert len(rows) == 2  # the facets and the similar-postings map (JSON lists)
        for key, data in rows:
            # Well-formed, with a matching digest, but naming postings the board lacks.
            forged = data.replace(b"[0,", b"[99,").replace(b"[0]", b"[99]")
            assert forged != data
            db.execute(
                "UPDATE derived SET data=?, digest=? WHERE key=?", (forged, digest_of(forged), key)
            )
    run_build(root)
    assert tree_bytes(root / "output") == cold_tree(root, tmp_path)
    with sqlite3.connect(root / CACHE_DIR / CACHE_FILE) as db:
        db.execute("UPDATE derived SET data = CAST('[]' AS BLOB)")  # the digest no longer matches
    shutil.rmtree(root / "output")
    run_build(root)
    assert tree_bytes(root / "output") == cold_tree(root, tmp_path)


def test_the_board_named_relatively_or_absolutely_shares_its_cache(
    board: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sitegen build`` in the board (root ".") and the preview server (an absolute root)
    find each other's pages: the keys name folders, not how they were spelled."""

    def page_keys() -> set[str]:
        with sqlite3.connect(board / CACHE_DIR / CACHE_FILE) as db:
            return {row[0] for row in db.execute("SELECT key FROM pages")}

    run_build(board.absolute())
    before = page_keys()
    monkeypatch.chdir(board)
    run_build(Path("."))
    assert page_keys() == before
