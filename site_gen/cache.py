"""The build cache: what earlier builds computed, so that unchanged postings cost nothing.

It lives in ``<board>/.sitegen-cache/`` (ignored by git; safe to delete at any time) as one
SQLite file holding these kinds of entry:

* a compiled posting (the validated ``Posting``, its key lines and its description HTML),
  keyed by the file's path and content hash and by the code that compiles it;
* a rendered page (posting or listing), keyed by everything its template sees, plus the
  config and theme fingerprint;
* the dictionary the pages are compressed with, trained on the first pages stored
  (``page_packing``);
* a derived value of the whole board (the facets, the similar-postings map), keyed by a
  digest of its inputs: the postings' metadata, in order, and the config;
* nothing else: the writer keeps its own manifest of the output folder beside it.

Keys include a fingerprint of the sitegen code itself and of the libraries that shape the
output, so a new version never reads an old version's entries (``cache_keys``). The cache
is never trusted blindly: a file that is not a sitegen cache of this format (corrupted,
truncated, foreign) is deleted and rebuilt; a posting is re-validated by its model when it
is read back (JSON, never pickle); a page's or derived value's bytes are checked against
their SHA-256 before use, a description's against its Zstandard frame's checksum, and a
derived value is decoded by a checking decoder. A failed check is a cache miss, never an
error.

``BuildCache`` keeps the entries of one board, in memory and in the SQLite file
(``cache_file``); a compiled posting's entry is ``cached_postings``'s, and worker processes
read descriptions with ``cache_descriptions``.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar, cast

from site_gen.cache_descriptions import (
    DESCRIPTION_SQL,
    DescriptionReader,
    PostingRow,
    checked_description,
    description_packer,
)
from site_gen.cache_file import (
    CACHE_FILE,
    Writes,
    close,
    open_cache_file,
    read_row,
    read_rows,
    write,
    write_many,
)
from site_gen.cache_keys import digest_of
from site_gen.cache_pages import (
    DICTIONARY_SQL,
    PAGE_SQL,
    PageReader,
    dictionary_of,
    unpack_page,
)
from site_gen.cached_postings import CachedPosting, SharedParts, load_posting
from site_gen.models import Posting
from site_gen.page_packing import SAMPLES, PagePacker, train

T = TypeVar("T")

CACHE_DIR = ".sitegen-cache"
# A file modified within this long of being hashed might change again within the same mtime
# tick: its size and mtime are not trusted to name its content (git's "racy clean" rule).
RACY_NS = 2_000_000_000


class BuildCache:
    """The cache of one board, open for one or more builds (the preview server keeps it open).

    Entries read or written are remembered in memory for the life of the object, so a
    rebuild in the same process does not go back to disk for them. ``collect_garbage``
    drops the entries the last build did not use; ``commit`` makes the writes durable.
    """

    def __init__(self, folder: Path | None) -> None:
        """Open (or create) the cache in ``folder``.

        ``None`` (``--no-cache``) keeps only postings and page digests in memory, never page
        bytes or descriptions, so memory stays bounded; such pages are rendered again when
        needed.
        """
        self.folder = folder
        self._db = open_cache_file(folder)
        self._writes = Writes(self._db)  # inserts: sent in batches, committed as they go
        self._postings: dict[str, CachedPosting] = {}
        self._shared = SharedParts()
        self._pages: dict[str, str] | None = None  # key -> digest, read on first use
        self._posting_keys: set[str] | None = None  # every posting's key, once read
        self._derived: dict[str, object] = {}  # key -> decoded value, read or stored
        self._used_postings: set[str] = set()
        self._used_pages: set[str] = set()
        self._used_derived: set[str] = set()
        self.sources: dict[str, str] = {}  # posting file -> content hash, as last read
        self._files: dict[str, tuple[object, ...]] | None = None  # path -> stat and hash
        dictionary = dictionary_of(self._read_row(DICTIONARY_SQL, None))
        self._packer = PagePacker(dictionary)
        self._text_packer = description_packer()  # without the pages' dictionary
        # The first pages this cache stores, packed: a dictionary is trained on them.
        self._samples: list[bytes] | None = [] if dictionary is None and self._db else None

    @classmethod
    def for_board(cls, root: Path) -> BuildCache:
        return cls(root / CACHE_DIR)

    # -- compiled postings ---------------------------------------------------------------

    def posting(self, key: str) -> CachedPosting | None:
        found = self._postings.get(key)
        if found is not None:
            self._used_postings.add(key)
        return found

    # -- source files ----------------------------------------------------------------------

    def source_digest(self, rel: str, stat: os.stat_result) -> str | None:
        """The content hash recorded for a file that has not changed since (by its stat)."""
        if self._files is None:
            rows = self._read_rows(
                "SELECT path, size, mtime_ns, ino, digest, checked_ns FROM files"
            )
            self._files = {str(r[0]): tuple(r[1:]) for r in rows}
        row = self._files.get(rel)
        if row is None or row[:3] != (stat.st_size, stat.st_mtime_ns, stat.st_ino):
            return None
        digest, checked = row[3], row[4]
        if not isinstance(digest, str) or not isinstance(checked, int):
            return None
        return digest if stat.st_mtime_ns < checked - RACY_NS else None

    def note_source(
        self,
        rel: str,
        digest: str,
        stat: os.stat_result | None = None,
        checked_ns: int = 0,
    ) -> None:
        """Record a posting file's content hash, and (with ``stat``) how to recognise it."""
        self.sources[rel] = digest
        if stat is None:
            return
        row = (stat.st_size, stat.st_mtime_ns, stat.st_ino, digest, checked_ns)
        files = self._files if self._files is not None else {}
        old = files.get(rel)
        if old is not None and old[:4] == row[:4]:
            checked = old[4]
            if isinstance(checked, int) and stat.st_mtime_ns < checked - RACY_NS:
                return  # already recorded, and trusted
        files[rel] = row
        self._write("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", (rel, *row))

    def has_postings(self) -> bool:
        """False for a new (or just reset) cache, where every lookup would miss."""
        if self._postings:
            return True
        if self._read_row("SELECT 1 FROM postings LIMIT 1", None) is not None:
            return True
        if self._posting_keys is None and self._db is not None:
            # None stored: ``collect_garbage`` need not read the keys stored from now on.
            self._posting_keys = set()
        return False

    def load_postings(self, keys: Iterable[str]) -> None:
        """Read the stored postings among ``keys`` into memory, in one pass over the table."""
        wanted = set(keys) - self._postings.keys()
        if not wanted:
            return
        if self._db is None:
            return
        stored: set[str] = set()
        self._writes.send()
        try:
            for key, posting_json, lines_json in self._db.execute(
                "SELECT key, posting, key_lines FROM postings"
            ):
                stored.add(key)
                if key in wanted:
                    found = load_posting((posting_json, lines_json))
                    if found is not None:
                        compact = self._shared.posting(found.posting)
                        self._postings[key] = replace(found, posting=compact)
        except sqlite3.Error:
            return
        self._posting_keys = stored

    def store_posting(self, key: str, posting: Posting, row: PostingRow) -> Posting:
        """Remember a compiled posting and what the file keeps of it (``posting_row``, made
        by the worker that compiled it); returns it in the compact form kept in memory."""
        compact = self._shared.posting(posting)
        lines = sys.intern(row.key_lines_json)  # see ``CachedPosting``
        self._postings[key] = CachedPosting(compact, lines, row.metadata_digest)
        self._used_postings.add(key)
        if self._posting_keys is not None:
            self._posting_keys.add(key)
        self._write(
            "INSERT OR REPLACE INTO postings VALUES (?, ?, ?, ?)",
            (key, row.posting_json, row.key_lines_json, row.description),
        )
        return compact

    def metadata_digest(self, key: str) -> str | None:
        """The digest of a compiled posting's metadata (all of it but the description)."""
        found = self._postings.get(key)
        return found.metadata_digest if found is not None else None

    def description(self, key: str) -> str | None:
        """A posting's description HTML, or None if missing or not matching its checksum."""
        return checked_description(self._read_row(DESCRIPTION_SQL, key), self._text_packer)

    def descriptions(self) -> DescriptionReader:
        """For worker processes, which may not use this connection: a reader of the
        descriptions committed so far (``commit`` first), opened in the worker."""
        self._writes.as_they_go = False  # until the next build: see ``COMMIT_ROWS``
        folder = self.folder if self._db is not None else None
        return DescriptionReader(folder / CACHE_FILE if folder is not None else None)

    # -- rendered pages ------------------------------------------------------------------

    def page_digest(self, key: str) -> str | None:
        """The SHA-256 of a cached page's bytes, without reading them."""
        digest = self._page_index().get(key)
        if digest is not None:
            self._used_pages.add(key)
        return digest

    def _page_index(self) -> dict[str, str]:
        if self._pages is None:
            rows = self._read_rows("SELECT key, digest FROM pages")
            self._pages = {str(k): str(d) for k, d in rows}
        return self._pages

    def pack_page(self, data: bytes) -> bytes:
        """A page's bytes as ``store_page`` keeps them: compressed (``page_packing``). Called
        by the worker that rendered the page, on its forked copy of this object."""
        return self._packer.pack(data)

    def page_data(self, key: str) -> bytes | None:
        """A cached page's bytes, or None if not kept or not matching their digest."""
        return unpack_page(self._packer, self._read_row(PAGE_SQL, key))

    def pages(self) -> PageReader:
        """For worker processes, which may not use this connection: a reader of the pages
        committed so far (``commit`` first), opened in the worker."""
        self._writes.as_they_go = False
        folder = self.folder if self._db is not None else None
        return PageReader(folder / CACHE_FILE if folder is not None else None)

    def holds_no_pages(self) -> bool:
        """True for a new (or just reset) cache: every page would have to be rendered."""
        return not self._page_index()

    def store_page(self, key: str, digest: str, packed: bytes | None = None) -> str:
        """Remember a rendered page by the hash of its bytes, and its bytes as ``packed``
        (``pack_page``: compressed by the worker that rendered the page)."""
        self._page_index()[key] = digest
        self._used_pages.add(key)
        self._write("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", (key, digest, packed))
        samples = self._samples
        if packed is not None and samples is not None:
            samples.append(packed)
            if len(samples) >= SAMPLES:
                self._learn(samples)
        return digest

    def _learn(self, samples: list[bytes]) -> None:
        """Train the cache's dictionary on the first pages it stored, and pack with it from
        now on (so do the worker processes forked from now on). Pages packed before stay as
        they are: each frame names the dictionary it needs, if any."""
        pages = [page for page in map(self._packer.unpack, samples) if page is not None]
        self._samples = None
        dictionary = train(pages)
        if dictionary is not None:
            write(self._db, "INSERT OR REPLACE INTO dictionary VALUES (1, ?)", (dictionary,))
            self._packer = PagePacker(dictionary)

    # -- values derived from the whole board ----------------------------------------------

    def derived(self, key: str, decode: Callable[[bytes], T | None]) -> T | None:
        """The value stored under ``key``, decoded by ``decode`` (which returns None for
        anything it does not accept); None if missing, damaged or refused."""
        found = self._derived.get(key)
        if found is None:
            row = self._read_row("SELECT digest, data FROM derived WHERE key=?", key)
            if not row or not isinstance(row[1], bytes) or digest_of(row[1]) != row[0]:
                return None
            found = decode(row[1])
            if found is None:
                return None
            self._derived[key] = found
        self._used_derived.add(key)
        # The memo holds values of many types; a key's value is the T its callers decode.
        return cast(T, found)

    def store_derived(self, key: str, value: object, data: bytes) -> None:
        """Remember a derived value: in memory as it is, on disk as ``data``."""
        self._derived[key] = value
        self._used_derived.add(key)
        write(
            self._db,
            "INSERT OR REPLACE INTO derived VALUES (?, ?, ?)",
            (key, digest_of(data), data),
        )

    def reuse(
        self,
        key: str,
        compute: Callable[[], T],
        encode: Callable[[T], bytes],
        decode: Callable[[bytes], T | None],
    ) -> T:
        """``compute()``, or what it gave an earlier build whose inputs had the same ``key``."""
        found = self.derived(key, decode)
        if found is None:
            found = compute()
            self.store_derived(key, found, encode(found))
        return found

    # -- housekeeping --------------------------------------------------------------------

    def start_build(self) -> None:
        self._writes.as_they_go = True
        self._used_postings.clear()
        self._used_pages.clear()
        self._used_derived.clear()
        self.sources.clear()

    def collect_garbage(self) -> None:
        """Forget every entry the build since ``start_build`` did not use."""
        self._writes.send()
        self.forget_missing_sources()
        for table, used, memory, stored in (
            ("postings", self._used_postings, self._postings, self._posting_keys),
            ("pages", self._used_pages, self._pages or {}, self._pages),
            ("derived", self._used_derived, self._derived, None),
        ):
            # The keys on disk: known in memory once the table was read whole, else read.
            if stored is None:
                stored = {str(row[0]) for row in self._read_rows(f"SELECT key FROM {table}")}
            unused = set(stored) - used
            write_many(self._db, f"DELETE FROM {table} WHERE key=?", ((k,) for k in unused))
            for key in set(memory) - used:
                del memory[key]
        if self._posting_keys is not None:
            self._posting_keys &= self._used_postings

    def forget_missing_sources(self) -> None:
        """Drop the records of files this build did not see (deleted or renamed)."""
        self._writes.send()
        if self._files is None:
            return
        gone = [(rel,) for rel in self._files if rel not in self.sources]
        write_many(self._db, "DELETE FROM files WHERE path=?", gone)
        for (rel,) in gone:
            del self._files[rel]

    def _write(self, sql: str, values: tuple[object, ...]) -> None:
        self._writes.add(sql, values)

    def _read_row(self, sql: str, key: str | None) -> tuple[object, ...] | None:
        self._writes.send()  # what was written is read back
        return read_row(self._db, sql, key)

    def _read_rows(self, sql: str) -> list[tuple[object, ...]]:
        self._writes.send()
        return read_rows(self._db, sql)

    def commit(self) -> None:
        self._writes.commit()

    def close(self) -> None:
        self._writes.send()
        close(self._db)

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
