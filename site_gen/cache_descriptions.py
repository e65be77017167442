"""Descriptions in the build cache: packed as pages are (Zstandard, without a dictionary:
a description is mostly the employer's own text), by the worker that compiled the posting
(``PostingRow``), and read back by the build and by its worker processes (each on a
connection of its own), used only if they match their digest.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from site_gen.cache_keys import digest_of, text_digest
from site_gen.cached_postings import lines_json, metadata_digest
from site_gen.models import Posting
from site_gen.page_packing import PagePacker

DESCRIPTION_SQL = "SELECT description, description_digest FROM postings WHERE key=?"


class PostingRow(NamedTuple):
    """What the cache keeps of a compiled posting, made by the worker that compiled it
    rather than by the one process that receives them all."""

    posting_json: str
    key_lines_json: str  # ``cached_postings.lines_json``
    metadata_digest: str  # ``cached_postings.metadata_digest``
    description: bytes  # packed
    description_digest: str


def posting_row(
    posting: Posting, key_lines: dict[str, int], description: str, packer: PagePacker
) -> PostingRow:
    posting_json = posting.model_dump_json()
    data = description.encode("utf-8")  # once, for packing and for its digest
    return PostingRow(
        posting_json,
        lines_json(key_lines),
        metadata_digest(posting, posting_json),
        packer.pack(data),
        digest_of(data),  # ``text_digest``'s bytes
    )


def checked_description(row: tuple[object, ...] | None, packer: PagePacker) -> str | None:
    """The description in a row of ``DESCRIPTION_SQL``; None if damaged or not matching."""
    if not row or not isinstance(row[0], bytes):
        return None
    data = packer.unpack(row[0])
    if data is None:
        return None
    try:
        text = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
    return text if text_digest(text) == row[1] else None


@dataclass
class DescriptionReader:
    """Reads cached descriptions in a worker process, on a connection of its own (one made
    before a fork must not be used after it). Any failure is a miss."""

    path: Path | None
    _db: sqlite3.Connection | None = None
    _pid: int = 0
    _packer: PagePacker = field(default_factory=PagePacker)

    def description(self, key: str) -> str | None:
        if self.path is None:
            return None
        try:
            if self._db is None or self._pid != os.getpid():
                self._db = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True)
                self._pid = os.getpid()
            row = self._db.execute(DESCRIPTION_SQL, (key,)).fetchone()
            return checked_description(row, self._packer)
        except sqlite3.Error:
            return None
