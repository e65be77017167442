"""The cache's SQLite file: created beside the board, ignored by git, and started afresh when
it is damaged or not a sitegen cache of this format."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from site_gen.cache import CACHE_DIR, BuildCache
from site_gen.cache_file import CACHE_FILE, Writes, commit, open_cache_file
from site_gen.cache_keys import CACHE_FORMAT, digest_of
from tests.conftest import cold_tree, run_build
from tests.helpers import tree_bytes


def test_cache_folder_is_ignored_by_git(board: Path) -> None:
    run_build(board)
    assert (board / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"


def test_corrupted_cache_file_is_ignored_and_rebuilt(board: Path, tmp_path: Path) -> None:
    run_build(board)
    cache_file = board / CACHE_DIR / CACHE_FILE
    for stale in cache_file.parent.glob(CACHE_FILE + "-*"):
        stale.unlink()
    cache_file.write_bytes(b"\x00garbage, not a database" * 100)
    shutil.rmtree(board / "output")
    run_build(board)
    assert tree_bytes(board / "output") == cold_tree(board, tmp_path)
    with sqlite3.connect(cache_file) as db:  # rebuilt as a working cache
        assert db.execute("SELECT count(*) FROM postings").fetchone()[0] == 2


def test_foreign_cache_file_is_ignored(board: Path, tmp_path: Path) -> None:
    cache_file = board / CACHE_DIR / CACHE_FILE
    cache_file.parent.mkdir()
    with sqlite3.connect(cache_file) as db:
        db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('format', 'some other tool 7')")
        db.execute("CREATE TABLE pages (key TEXT, digest TEXT, data BLOB)")
    run_build(board)
    assert tree_bytes(board / "output") == cold_tree(board, tmp_path)


def test_an_older_formats_cache_is_dropped(tmp_path: Path) -> None:
    """Format 6 kept pages as zlib streams: the file is started afresh, keeping none of its
    space (a new file: with the cache's page size, 16 KiB, not the one the old file had)."""
    folder = tmp_path / CACHE_DIR
    folder.mkdir()
    with sqlite3.connect(folder / CACHE_FILE) as db:
        db.execute("PRAGMA page_size=8192")
        db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('format', 'sitegen-cache 6')")
        db.execute("CREATE TABLE pages (key TEXT PRIMARY KEY, digest TEXT NOT NULL, data BLOB)")
        db.execute("INSERT INTO pages VALUES ('k', 'd', x'789c')")
    assert CACHE_FORMAT != "sitegen-cache 6"
    db = open_cache_file(folder)
    assert db is not None
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
    assert db.execute("SELECT value FROM meta").fetchall() == [(CACHE_FORMAT,)]
    assert db.execute("PRAGMA page_size").fetchone()[0] == 16384
    db.close()


def test_closing_folds_the_log_in_though_a_reader_is_still_open(tmp_path: Path) -> None:
    """A worker's reader run in this process outlives the cache's connection: the log of
    the build's writes must not stay beside the file (the folder CI saves)."""
    cache = BuildCache(tmp_path / CACHE_DIR)
    cache.store_page("k", digest_of(b"page"), b"\x00" * 200_000)
    cache.commit()
    reader = cache.pages()
    assert reader.page("missing") is None  # its connection is open now
    wal = tmp_path / CACHE_DIR / (CACHE_FILE + "-wal")
    assert wal.stat().st_size > 200_000
    cache.close()
    assert not wal.exists() or wal.stat().st_size == 0
    with sqlite3.connect(tmp_path / CACHE_DIR / CACHE_FILE) as db:  # the writes are in the file
        assert db.execute("SELECT length(data) FROM pages").fetchone() == (200_000,)


def test_a_forked_process_never_sends_the_rows_queued_before_the_fork(tmp_path: Path) -> None:
    """A connection may not be used across a fork: the workers forked with a copy of the
    cache (and of its queued rows) leave them to the process that opened it."""
    db = open_cache_file(tmp_path / CACHE_DIR)
    writes = Writes(db)
    writes.add("INSERT INTO pages VALUES (?, ?, ?)", ("k", "d", None))
    pid = os.fork()
    if pid == 0:  # the worker
        writes.send()
        writes.commit()
        commit(db)  # whatever else commits there, the queued rows were not sent
        os._exit(0)
    os.waitpid(pid, 0)

    def rows() -> int:
        with sqlite3.connect(tmp_path / CACHE_DIR / CACHE_FILE) as other:
            return int(other.execute("SELECT count(*) FROM pages").fetchone()[0])

    assert rows() == 0
    writes.commit()
    assert rows() == 1
    assert db is not None
    db.close()
