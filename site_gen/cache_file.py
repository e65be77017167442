"""The build cache's SQLite file: opened (and started afresh when it is not a cache of this
format), read and written so that any database error in use (a file damaged after opening,
a full disk) is a miss, never an error. A connection of None (``--no-cache``) reads nothing
and drops every write.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from site_gen.cache_keys import CACHE_FORMAT

CACHE_FILE = "cache.sqlite"
BATCH_ROWS = 256  # rows queued before they are sent, one ``executemany`` per statement
# Rows sent between commits until workers read the file: a build commits before its
# workers read descriptions, with them idle; committing as it loads leaves that commit
# little to write, and costs no more in all (a transaction larger than SQLite's page cache
# spills into the log anyway). Not once they read: each commit drops their page caches.
COMMIT_ROWS = 1024

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS postings (
    key TEXT PRIMARY KEY, posting TEXT NOT NULL, key_lines TEXT NOT NULL,
    description BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, digest TEXT NOT NULL, data BLOB);
CREATE TABLE IF NOT EXISTS dictionary (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS derived (key TEXT PRIMARY KEY, digest TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ino INTEGER, digest TEXT, checked_ns INTEGER
);
"""


def open_cache_file(folder: Path | None) -> sqlite3.Connection | None:
    """The cache's SQLite file in ``folder``, created if missing and started afresh if it is
    not a cache of this format; None for no folder (``--no-cache``)."""
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# sitegen's build cache: safe to delete, never commit it\n*\n")
    path = folder / CACHE_FILE
    try:
        return _connect(str(path))
    except sqlite3.DatabaseError:
        # Not a cache of this format (corrupted, truncated, an older sitegen's, another
        # tool's): start afresh, in a new file, so that none of its space is kept.
        for stale in path.parent.glob(CACHE_FILE + "*"):
            stale.unlink(missing_ok=True)
        return _connect(str(path))


class OtherFormat(sqlite3.DatabaseError):
    """A database, but not a sitegen cache of this format."""


def _connect(target: str) -> sqlite3.Connection:
    db = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
    try:
        # A write-ahead log: the workers read descriptions while this connection
        # stores pages; with a rollback journal, pages spilled from its memory take an
        # exclusive lock and each worker's read would wait out its busy timeout. No
        # fsync: a lost write is a cache miss. Pages of 16 KiB (set before the log, for a
        # new file): a packed page or description (2 to 4 KB) wastes less of one than of
        # SQLite's 4 KiB, and the file a CI build saves is a sixth smaller.
        db.execute("PRAGMA page_size=16384")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA cache_size=-32768")  # 32 MB: the index pages stay in memory
        db.execute("PRAGMA busy_timeout=10000")
        if _has_table(db, "meta"):
            found = db.execute("SELECT value FROM meta WHERE name='format'").fetchone()
            if found is None or found[0] != CACHE_FORMAT:
                raise OtherFormat(f"not a cache of format {CACHE_FORMAT!r}")
        elif _has_table(db, None):
            raise OtherFormat("tables, but not a sitegen cache's")
        else:
            db.executescript(SCHEMA)
            db.execute("INSERT INTO meta VALUES ('format', ?)", (CACHE_FORMAT,))
        db.execute("BEGIN")
    except BaseException:
        db.close()
        raise
    return db


def _has_table(db: sqlite3.Connection, name: str | None) -> bool:
    """Whether the file holds a table of that name (None: any table)."""
    sql = "SELECT count(*) FROM sqlite_master WHERE type='table'"
    row = (
        db.execute(sql + " AND name=?", (name,)).fetchone() if name else db.execute(sql).fetchone()
    )
    return bool(row and row[0])


def commit(db: sqlite3.Connection | None) -> None:
    _quietly(db, "COMMIT", "BEGIN")


def close(db: sqlite3.Connection | None) -> None:
    """Commit, move the write-ahead log into the file, and close. Readers opened in this
    process (workers' readers, run here) may outlive this connection, and SQLite only folds
    the log in when the last connection closes: the log (a whole build's writes) would stay
    beside the file, in the folder a CI build saves and restores, and be read again when
    the cache is next opened."""
    if db is None:
        return
    _quietly(db, "COMMIT", "PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _quietly(db: sqlite3.Connection | None, *statements: str) -> None:
    if db is None:
        return
    try:
        for statement in statements:
            db.execute(statement)
    except sqlite3.Error:
        pass  # a cache that cannot be written only makes the next build slower


def read_row(db: sqlite3.Connection | None, sql: str, key: str | None) -> tuple[object, ...] | None:
    if db is None:
        return None
    try:
        row: tuple[object, ...] | None = db.execute(sql, () if key is None else (key,)).fetchone()
        return row
    except sqlite3.Error:
        return None


def read_rows(db: sqlite3.Connection | None, sql: str) -> list[tuple[object, ...]]:
    if db is None:
        return []
    try:
        return db.execute(sql).fetchall()
    except sqlite3.Error:
        return []


def write(db: sqlite3.Connection | None, sql: str, values: tuple[object, ...]) -> None:
    if db is None:
        return
    with contextlib.suppress(sqlite3.Error):
        db.execute(sql, values)


def write_many(
    db: sqlite3.Connection | None, sql: str, values: Iterable[tuple[object, ...]]
) -> None:
    if db is None:
        return
    with contextlib.suppress(sqlite3.Error):
        db.executemany(sql, values)


class Writes:
    """A connection's inserts, queued and sent a batch at a time, and committed every
    ``COMMIT_ROWS`` rows while ``as_they_go``. Reading the file sends the queue first
    (``send``); a process forked from the one that opened the connection never sends (it
    may not use it)."""

    def __init__(self, db: sqlite3.Connection | None) -> None:
        self.db = db
        self._pid = os.getpid()
        self._queued: dict[str, list[tuple[object, ...]]] = {}
        self._count = 0  # rows queued
        self._unsaved = 0  # rows sent since the last commit
        self.as_they_go = True  # commit every COMMIT_ROWS rows

    def add(self, sql: str, values: tuple[object, ...]) -> None:
        if self.db is None:
            return
        self._queued.setdefault(sql, []).append(values)
        self._count += 1
        if self._count >= BATCH_ROWS:
            self.send()

    def send(self) -> None:
        self._send()
        if self.as_they_go and self._unsaved >= COMMIT_ROWS:
            self.commit()

    def commit(self) -> None:
        if self._pid != os.getpid():
            return  # see ``_send``
        self._send()
        commit(self.db)
        self._unsaved = 0

    def _send(self) -> None:
        if not self._count or self._pid != os.getpid():
            return
        for sql, rows in self._queued.items():
            write_many(self.db, sql, rows)
        self._queued.clear()
        self._unsaved += self._count
        self._count = 0
