"""Pages' bytes as the build cache keeps them: packed (``page_packing``: Zstandard, with the
cache's dictionary once it has one), checked against their SHA-256 when read back
(``unpack_page``), and read by worker processes on connections of their own
(``PageReader``), so that a build with the cache restored writes its pages on every core.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from site_gen.cache_keys import digest_of
from site_gen.page_packing import PagePacker

PAGE_SQL = "SELECT digest, data FROM pages WHERE key=?"
DICTIONARY_SQL = "SELECT data FROM dictionary LIMIT 1"


def unpack_page(packer: PagePacker, row: tuple[object, ...] | None) -> bytes | None:
    """The bytes of a page's row (digest, packed bytes); None if damaged or not matching."""
    if not row or not isinstance(row[1], bytes):
        return None
    data = packer.unpack(row[1])
    return data if data is not None and digest_of(data) == row[0] else None


def dictionary_of(row: tuple[object, ...] | None) -> bytes | None:
    """The dictionary in a row of ``DICTIONARY_SQL``, if any."""
    return row[0] if row and isinstance(row[0], bytes) else None


@dataclass
class PageReader:
    """Reads cached pages in a worker process, on a connection of its own (one made before
    a fork must not be used after it), with a packer of its own that knows the dictionary
    committed by then. Any failure is a miss."""

    path: Path | None
    _open: tuple[sqlite3.Connection, PagePacker] | None = None
    _pid: int = 0

    def page(self, key: str) -> bytes | None:
        if self.path is None:
            return None
        try:
            if self._open is None or self._pid != os.getpid():
                db = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True)
                dictionary = dictionary_of(db.execute(DICTIONARY_SQL).fetchone())
                self._open, self._pid = (db, PagePacker(dictionary)), os.getpid()
            db, packer = self._open
            return unpack_page(packer, db.execute(PAGE_SQL, (key,)).fetchone())
        except sqlite3.Error:
            return None
