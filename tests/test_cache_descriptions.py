"""Descriptions read from the cache by the worker processes: what was committed, checked
against its frame's checksum."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from site_gen.cache import CACHE_DIR, BuildCache
from site_gen.cache_descriptions import description_packer
from site_gen.cache_file import CACHE_FILE
from site_gen.page_packing import PagePacker
from tests.conftest import run_build
from tests.helpers import posting_text, write_board


def test_worker_reader_sees_committed_descriptions_and_checks_them(tmp_path: Path) -> None:
    root = write_board(tmp_path / "b", postings={"a": posting_text()})
    run_build(root)
    with BuildCache(root / CACHE_DIR) as cache:
        reader = cache.descriptions()
        with sqlite3.connect(root / CACHE_DIR / CACHE_FILE) as db:
            (key, packed), *_ = db.execute("SELECT key, description FROM postings")
        description = cache.description(key)
        assert description is not None and "<p>We build things.</p>" in description
        assert description_packer().unpack(packed) == description.encode()  # kept packed
        assert reader.description(key) == description
        assert reader.description("no-such-key") is None
        damaged = bytearray(packed)
        damaged[-1] ^= 1  # the frame's checksum: the content no longer matches it
        without = PagePacker().pack(description.encode())  # a frame with no checksum
        for wrong in (bytes(damaged), without):
            cache._db.execute("UPDATE postings SET description = ?", (wrong,))
            cache.commit()
            assert reader.description(key) is None
            assert cache.description(key) is None
        cache._db.execute("UPDATE postings SET description = ?", (b"not packed",))
        cache.commit()
        assert reader.description(key) is None
    assert BuildCache(None).descriptions().description(key) is None  # --no-cache
