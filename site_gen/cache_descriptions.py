"""Descriptions in the build cache: packed as pages are (Zstandard, without a dictionary:
a description is mostly the employer's own text), by the worker that compiled the posting
(``PostingRow``), and read back by the build and by its worker processes (each on a
connection of its own), used only if they match their frame's checksum.

Every posting page reads its description back, on every cold build: a checksum that
Zstandard verifies as it unpacks costs far less than a SHA-256 of the text, and catches the
same damage (a row's bytes changed after they were written; a digest in the row would be
rewritten with it), so the cache keeps no digest of a description.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from site_gen.cached_postings import lines_json, metadata_digest
from site_gen.models import Posting
from site_gen.page_packing import PagePacker

DESCRIPTION_SQL = "SELECT description FROM postings WHERE key=?"


def description_packer() -> PagePacker:
    """How descriptions are packed and unpacked: each frame with its content's checksum."""
    return PagePacker(checksum=True)


class PostingRow(NamedTuple):
    """What the cache keeps of a compiled posting, made by the worker that compiled it
    rather than by the one process that receives them all."""

    posting_json: str
    key_lines_json: str  # ``cached_postings.lines_json``
    metadata_digest: str  # ``cached_postings.metadata_digest``
    description: bytes  # packed by a ``description_packer``


def posting_row(
    posting: Posting, key_lines: dict[str, int], description: str, packer: PagePacker
) -> PostingRow:
    posting_json = posting.model_dump_json()
    return PostingRow(
        posting_json,
        lines_json(key_lines),
        metadata_digest(posting, posting_json),
        packer.pack(description.encode("utf-8")),
    )


def checked_description(row: tuple[object, ...] | None, packer: PagePacker) -> str | None:
    """The description in a row of ``DESCRIPTION_SQL`` (``packer``: a
    ``description_packer``); None if damaged or not matching its checksum."""
    if not row or not isinstance(row[0], bytes):
        return None
    data = packer.unpack(row[0])
    if data is None:
        return None
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None


@dataclass
class DescriptionReader:
    """Reads cached descriptions in a worker process, on a connection of its own (one made
    before a fork must not be used after it). Any failure is a miss."""

    path: Path | None
    _db: sqlite3.Connection | None = None
    _pid: int = 0
    _packer: PagePacker = field(default_factory=description_packer)

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
