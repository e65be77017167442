"""Descriptions read from the build cache, by the build and by its worker processes (each
on a connection of its own). A description is used only if it matches its digest.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from site_gen.cache_keys import text_digest

DESCRIPTION_SQL = "SELECT description, description_digest FROM postings WHERE key=?"


def checked_description(row: tuple[object, ...] | None) -> str | None:
    if not row or not isinstance(row[0], str) or text_digest(row[0]) != row[1]:
        return None
    return row[0]


@dataclass
class DescriptionReader:
    """Reads cached descriptions in a worker process, on a connection of its own (one made
    before a fork must not be used after it). Any failure is a miss."""

    path: Path | None
    _db: sqlite3.Connection | None = None
    _pid: int = 0

    def description(self, key: str) -> str | None:
        if self.path is None:
            return None
        try:
            if self._db is None or self._pid != os.getpid():
                self._db = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True)
                self._pid = os.getpid()
            return checked_description(self._db.execute(DESCRIPTION_SQL, (key,)).fetchone())
        except sqlite3.Error:
            return None
