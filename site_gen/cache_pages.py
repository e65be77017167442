"""Pages' bytes as the build cache keeps them: compressed (``pack_page``), checked against
their SHA-256 when read back (``unpack_page``), and read by worker processes on connections
of their own (``PageReader``), so that a build with the cache restored writes its pages on
every core.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path

from site_gen.cache_keys import digest_of

PAGE_SQL = "SELECT digest, data FROM pages WHERE key=?"


def pack_page(data: bytes) -> bytes:
    """A page's bytes as the cache stores them: zlib's fastest level, a fifth of the size
    at a seventh of the default level's time."""
    return zlib.compress(data, 1)


def unpack_page(row: tuple[object, ...] | None) -> bytes | None:
    """The bytes of a page's row (digest, packed bytes); None if damaged or not matching."""
    if not row or not isinstance(row[1], bytes):
        return None
    try:
        data = zlib.decompress(row[1])
    except zlib.error:
        return None
    return data if digest_of(data) == row[0] else None


@dataclass
class PageReader:
    """Reads cached pages in a worker process, on a connection of its own (one made before
    a fork must not be used after it). Any failure is a miss."""

    path: Path | None
    _db: sqlite3.Connection | None = None
    _pid: int = 0

    def page(self, key: str) -> bytes | None:
        if self.path is None:
            return None
        try:
            if self._db is None or self._pid != os.getpid():
                self._db = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True)
                self._pid = os.getpid()
            return unpack_page(self._db.execute(PAGE_SQL, (key,)).fetchone())
        except sqlite3.Error:
            return None
