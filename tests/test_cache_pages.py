"""Pages' bytes in the build cache: packed, checked when read back, read by worker processes."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from site_gen.cache import BuildCache
from site_gen.cache_file import CACHE_FILE
from site_gen.cache_keys import digest_of
from site_gen.cache_pages import PageReader, unpack_page
from site_gen.page_packing import SAMPLES, PagePacker
from tests.test_page_packing import board_pages

PAGE = b"<!DOCTYPE html><title>Backend Engineer</title>" * 20


def test_a_packed_page_unpacks_to_its_bytes_and_is_smaller() -> None:
    packed = PagePacker().pack(PAGE)
    assert len(packed) < len(PAGE) / 4
    assert unpack_page(PagePacker(), (digest_of(PAGE), packed)) == PAGE


def test_damaged_or_mismatched_rows_are_misses() -> None:
    packed = PagePacker().pack(PAGE)
    assert unpack_page(PagePacker(), None) is None
    assert unpack_page(PagePacker(), (digest_of(PAGE), packed[:-5])) is None  # truncated
    assert (
        unpack_page(PagePacker(), (digest_of(b"other"), packed)) is None
    )  # not the bytes recorded
    assert unpack_page(PagePacker(), (digest_of(PAGE), "text, not bytes")) is None


def test_a_worker_reads_committed_pages_on_a_connection_of_its_own(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.store_page("k", digest_of(PAGE), PagePacker().pack(PAGE))
    cache.commit()
    reader = cache.pages()
    assert reader.page("k") == PAGE
    assert reader.page("missing") is None
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # a forked worker: the parent's connection must not be used here
        os.write(write, b"1" if reader.page("k") == PAGE else b"0")
        os._exit(0)
    os.waitpid(child, 0)
    assert os.read(read, 1) == b"1"
    cache.close()


def test_no_cache_or_a_broken_file_reads_nothing(tmp_path: Path) -> None:
    assert BuildCache(None).pages().page("k") is None
    broken = tmp_path / CACHE_FILE
    broken.write_bytes(b"not a database")
    assert PageReader(broken).page("k") is None
    assert PageReader(tmp_path / "absent" / CACHE_FILE).page("k") is None
    sqlite3.connect(tmp_path / "empty.db").close()
    assert PageReader(tmp_path / "empty.db").page("k") is None


def test_a_worker_reads_pages_packed_with_the_cache_dictionary(tmp_path: Path) -> None:
    """A worker's reader knows the dictionary committed before it opened, so it reads the
    pages the cache packed with it; pages packed before the dictionary too."""
    cache = BuildCache(tmp_path)
    pages = board_pages(SAMPLES + 5)
    for number, page in enumerate(pages):
        cache.store_page(f"k{number}", digest_of(page), cache.pack_page(page))
    cache.commit()
    reader = cache.pages()
    assert [reader.page(f"k{number}") for number in range(len(pages))] == pages
    cache.close()
