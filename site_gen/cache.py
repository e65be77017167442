"""The build cache: what earlier builds computed, so that unchanged postings cost nothing.

It lives in ``<board>/.sitegen-cache/`` (ignored by git; safe to delete at any time) as one
SQLite file holding three kinds of entry:

* a compiled posting (the validated ``Posting``, its key lines and its description HTML),
  keyed by the file's path and content hash and by the code that compiles it;
* a rendered page (posting or listing), keyed by everything its template sees, plus the
  config and theme fingerprint;
* a derived value of the whole board (the facets, the similar-postings map), keyed by a
  digest of its inputs: the postings' metadata, in order, and the config;
* nothing else: the writer keeps its own manifest of the output folder beside it.

Keys include a fingerprint of the sitegen code itself and of the libraries that shape the
output, so a new version never reads an old version's entries. The cache is never trusted
blindly: a file that is not a sitegen cache of this format (corrupted, truncated, foreign)
is deleted and rebuilt; a posting is re-validated by its model when it is read back (JSON,
never pickle); a page's or derived value's bytes are checked against their SHA-256 before
use, and a derived value is decoded by a checking decoder. A failed check is a cache miss,
never an error.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar, cast

from pydantic import ValidationError

from site_gen import __version__
from site_gen.config import SiteConfig
from site_gen.models import Posting
from site_gen.theme import i18n_dirs, static_dirs, template_dirs

T = TypeVar("T")

CACHE_DIR = ".sitegen-cache"
CACHE_FILE = "cache.sqlite"
CACHE_FORMAT = "sitegen-cache 6"
PACKAGE_DIR = Path(__file__).resolve().parent
# Libraries whose version can change the bytes of a page.
OUTPUT_LIBRARIES = ("jinja2", "comrak", "markdown", "nh3", "babel", "pydantic", "pyyaml")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS postings (
    key TEXT PRIMARY KEY, posting TEXT NOT NULL, key_lines TEXT NOT NULL,
    description TEXT NOT NULL, description_digest TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, digest TEXT NOT NULL, data BLOB);
CREATE TABLE IF NOT EXISTS derived (key TEXT PRIMARY KEY, digest TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ino INTEGER, digest TEXT, checked_ns INTEGER
);
"""
# A file modified within this long of being hashed might change again within the same mtime
# tick: its size and mtime are not trusted to name its content (git's "racy clean" rule).
RACY_NS = 2_000_000_000


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pack_page(data: bytes) -> bytes:
    """A page's bytes as the cache stores them: zlib's fastest level, a fifth of the size
    at a seventh of the default level's time."""
    return zlib.compress(data, 1)


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@cache
def code_fingerprint() -> str:
    """sitegen's own code and the output-shaping libraries: any change invalidates the cache."""
    from importlib import metadata  # slow to import; a build asks once

    parts = [CACHE_FORMAT, __version__, f"{sys.version_info[0]}.{sys.version_info[1]}"]
    for name in OUTPUT_LIBRARIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=?")
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        parts.append(f"{path.name}={digest_of(path.read_bytes())}")
    return _key(*parts)


def theme_fingerprint(config: SiteConfig, root: Path) -> str:
    """Config, templates, static files and translations: what every page may depend on."""
    parts = [code_fingerprint(), config.model_dump_json()]
    dirs = [*template_dirs(config, root), *static_dirs(config, root), *i18n_dirs(config, root)]
    for number, folder in enumerate(dirs):
        # Named by its place in the search path, not where it is: a fresh clone elsewhere
        # (a CI build) has the same pages.
        parts.append(f"dir={number}")
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                parts.append(
                    f"{path.relative_to(folder).as_posix()}={digest_of(path.read_bytes())}"
                )
    return _key(*parts)


@lru_cache(maxsize=1 << 15)  # asked for each posting three times a build (compile, site, render)
def posting_key(path: str, digest: str, engine: str) -> str:
    """A compiled posting depends on its file (path and bytes), the engine and the code."""
    return _key(code_fingerprint(), engine, path, digest)


def page_key(fingerprint: str, *inputs: str) -> str:
    """A rendered page depends on the theme fingerprint and on the inputs its template sees."""
    return _key(fingerprint, *inputs)


def derived_key(name: str, *inputs: str) -> str:
    """A value derived from the whole board depends on its inputs and on the code."""
    return _key(code_fingerprint(), name, *inputs)


class SharedParts:
    """One object for equal parts of many postings, to keep a large board's metadata small.

    A board of 100,000 postings has a few thousand companies and places: each posting that
    names them points to one shared value instead of a copy. The field sets pydantic keeps
    per model are shared too (postings are frozen, so nothing changes them in place).
    About a third less memory per posting; the postings compare equal to the originals.
    """

    def __init__(self) -> None:
        self._values: dict[object, object] = {}
        self._field_sets: dict[frozenset[str], set[str]] = {}

    def posting(self, posting: Posting) -> Posting:
        """``posting``, its parts swapped for shared equal ones in place (cheaper than a new
        model by far): only for a posting just made, that nothing else holds yet."""
        values = posting.__dict__
        for name in ("company", "salary", "employment_type", "applicant_locations"):
            values[name] = self._one(values[name])
        values["location"] = tuple(self._one(place) for place in values["location"])
        values["tags"] = tuple(sys.intern(tag) for tag in values["tags"])
        fields = posting.model_fields_set
        shared = self._field_sets.setdefault(frozenset(fields), set(fields))
        object.__setattr__(posting, "__pydantic_fields_set__", shared)
        return posting

    def _one(self, value: object) -> object:
        return self._values.setdefault(value, value)


@dataclass(frozen=True)
class CachedPosting:
    posting: Posting
    key_lines_json: str  # kept as text: a third of the memory of the dict, read rarely
    metadata_digest: str  # of the posting without its description: what listings show

    @property
    def key_lines(self) -> dict[str, int]:
        """Decoded on use (every build); damaged lines only cost a message its line number."""
        return dict(_decoded_lines(self.key_lines_json))


@lru_cache(maxsize=4096)  # postings laid out alike have the same lines: decoded once
def _decoded_lines(text: str) -> tuple[tuple[str, int], ...]:
    try:
        lines = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(lines, dict):
        return ()
    return tuple((str(k), v) for k, v in lines.items() if isinstance(v, int))


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
        self._db = self._open()
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

    @classmethod
    def for_board(cls, root: Path) -> BuildCache:
        return cls(root / CACHE_DIR)

    def _open(self) -> sqlite3.Connection | None:
        if self.folder is None:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# sitegen's build cache: safe to delete, never commit it\n*\n")
        path = self.folder / CACHE_FILE
        try:
            return self._connect(str(path))
        except sqlite3.DatabaseError:
            # Not a cache we wrote (corrupted, truncated, another format): start afresh.
            for stale in path.parent.glob(CACHE_FILE + "*"):
                stale.unlink(missing_ok=True)
            return self._connect(str(path))

    @staticmethod
    def _connect(target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        try:
            # A write-ahead log: the workers read descriptions while this connection
            # stores pages; with a rollback journal, pages spilled from its memory take an
            # exclusive lock and each worker's read would wait out its busy timeout. No
            # fsync: a lost write is a cache miss.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("PRAGMA cache_size=-32768")  # 32 MB: the index pages stay in memory
            db.execute("PRAGMA busy_timeout=10000")
            found = (
                db.execute("SELECT value FROM meta WHERE name='format'").fetchone()
                if _has_meta(db)
                else None
            )
            if found is None or found[0] != CACHE_FORMAT:
                db.executescript(
                    "DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS postings;"
                    "DROP TABLE IF EXISTS pages; DROP TABLE IF EXISTS files;"
                    "DROP TABLE IF EXISTS derived;" + SCHEMA
                )
                db.execute("INSERT INTO meta VALUES ('format', ?)", (CACHE_FORMAT,))
            db.execute("BEGIN")
        except BaseException:
            db.close()
            raise
        return db

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
            rows = self._rows("SELECT path, size, mtime_ns, ino, digest, checked_ns FROM files")
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
        return (
            bool(self._postings) or self._read("SELECT 1 FROM postings LIMIT 1", None) is not None
        )

    def load_postings(self, keys: Iterable[str]) -> None:
        """Read the stored postings among ``keys`` into memory, in one pass over the table."""
        wanted = set(keys) - self._postings.keys()
        if not wanted:
            return
        if self._db is None:
            return
        stored: set[str] = set()
        try:
            with collections_paused():  # thousands of objects, all kept
                for key, posting_json, lines_json in self._db.execute(
                    "SELECT key, posting, key_lines FROM postings"
                ):
                    stored.add(key)
                    if key in wanted:
                        found = _load_posting((posting_json, lines_json))
                        if found is not None:
                            compact = self._shared.posting(found.posting)
                            self._postings[key] = replace(found, posting=compact)
        except sqlite3.Error:
            return
        self._posting_keys = stored

    def store_posting(
        self, key: str, posting: Posting, key_lines: dict[str, int], description: str
    ) -> Posting:
        """Remember a compiled posting; returns it in the compact form kept in memory."""
        # Lines of top-level fields only: a valid posting's messages (warnings) name no
        # nested field, and the nested ones (location.0.city...) are most of the lines.
        top = {field: line for field, line in key_lines.items() if "." not in field}
        lines = json.dumps(top, separators=(",", ":"))
        compact = self._shared.posting(posting)
        posting_json = posting.model_dump_json()
        self._postings[key] = CachedPosting(compact, lines, _metadata_digest(posting, posting_json))
        self._used_postings.add(key)
        if self._posting_keys is not None:
            self._posting_keys.add(key)
        self._write(
            "INSERT OR REPLACE INTO postings VALUES (?, ?, ?, ?, ?)",
            (key, posting_json, lines, description, _text_digest(description)),
        )
        return compact

    def metadata_digest(self, key: str) -> str | None:
        """The digest of a compiled posting's metadata (all of it but the description)."""
        found = self._postings.get(key)
        return found.metadata_digest if found is not None else None

    def description(self, key: str) -> str | None:
        """A posting's description HTML, or None if missing or not matching its digest."""
        row = self._read(DESCRIPTION_SQL, key)
        return _checked_description(row)

    def descriptions(self) -> DescriptionReader:
        """For worker processes, which may not use this connection: a reader of the
        descriptions committed so far (``commit`` first), opened in the worker."""
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
            rows = self._rows("SELECT key, digest FROM pages")
            self._pages = {str(k): str(d) for k, d in rows}
        return self._pages

    def page_data(self, key: str) -> bytes | None:
        """A cached page's bytes, or None if not kept or not matching their digest."""
        row = self._read("SELECT digest, data FROM pages WHERE key=?", key)
        if not row or not isinstance(row[1], bytes):
            return None
        try:
            data = zlib.decompress(row[1])
        except zlib.error:
            return None
        return data if digest_of(data) == row[0] else None

    def holds_no_pages(self) -> bool:
        """True for a new (or just reset) cache: every page would have to be rendered."""
        return not self._page_index()

    def store_page(self, key: str, digest: str, packed: bytes | None = None) -> str:
        """Remember a rendered page by the hash of its bytes, and its bytes as ``packed``
        (``pack_page``: compressed, by the worker that rendered the page)."""
        self._page_index()[key] = digest
        self._used_pages.add(key)
        self._write("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", (key, digest, packed))
        return digest

    # -- values derived from the whole board ----------------------------------------------

    def derived(self, key: str, decode: Callable[[bytes], T | None]) -> T | None:
        """The value stored under ``key``, decoded by ``decode`` (which returns None for
        anything it does not accept); None if missing, damaged or refused."""
        found = self._derived.get(key)
        if found is None:
            row = self._read("SELECT digest, data FROM derived WHERE key=?", key)
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
        self._write("INSERT OR REPLACE INTO derived VALUES (?, ?, ?)", (key, digest_of(data), data))

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
        self._used_postings.clear()
        self._used_pages.clear()
        self._used_derived.clear()
        self.sources.clear()

    def collect_garbage(self) -> None:
        """Forget every entry the build since ``start_build`` did not use."""
        self.forget_missing_sources()
        for table, used, memory, stored in (
            ("postings", self._used_postings, self._postings, self._posting_keys),
            ("pages", self._used_pages, self._pages or {}, self._pages),
            ("derived", self._used_derived, self._derived, None),
        ):
            # The keys on disk: known in memory once the table was read whole, else read.
            if stored is None:
                stored = {str(row[0]) for row in self._rows(f"SELECT key FROM {table}")}
            unused = set(stored) - used
            self._write_many(f"DELETE FROM {table} WHERE key=?", ((k,) for k in unused))
            for key in set(memory) - used:
                del memory[key]
        if self._posting_keys is not None:
            self._posting_keys &= self._used_postings

    def forget_missing_sources(self) -> None:
        """Drop the records of files this build did not see (deleted or renamed)."""
        if self._files is None:
            return
        gone = [(rel,) for rel in self._files if rel not in self.sources]
        self._write_many("DELETE FROM files WHERE path=?", gone)
        for (rel,) in gone:
            del self._files[rel]

    def commit(self) -> None:
        if self._db is None:
            return
        try:
            self._db.execute("COMMIT")
            self._db.execute("BEGIN")
        except sqlite3.Error:
            pass  # a cache that cannot be written only makes the next build slower

    def close(self) -> None:
        self.commit()
        if self._db is not None:
            self._db.close()

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Any database error in use (a file damaged after opening, a full disk) is a miss.

    def _read(self, sql: str, key: str | None) -> tuple[object, ...] | None:
        if self._db is None:
            return None
        try:
            row: tuple[object, ...] | None = self._db.execute(
                sql, () if key is None else (key,)
            ).fetchone()
            return row
        except sqlite3.Error:
            return None

    def _rows(self, sql: str) -> list[tuple[object, ...]]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql).fetchall()
        except sqlite3.Error:
            return []

    def _write(self, sql: str, values: tuple[object, ...]) -> None:
        if self._db is None:
            return
        with contextlib.suppress(sqlite3.Error):
            self._db.execute(sql, values)

    def _write_many(self, sql: str, values: Iterable[tuple[object, ...]]) -> None:
        if self._db is None:
            return
        with contextlib.suppress(sqlite3.Error):
            self._db.executemany(sql, values)


DESCRIPTION_SQL = "SELECT description, description_digest FROM postings WHERE key=?"


def _checked_description(row: tuple[object, ...] | None) -> str | None:
    if not row or not isinstance(row[0], str) or _text_digest(row[0]) != row[1]:
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
            return _checked_description(self._db.execute(DESCRIPTION_SQL, (key,)).fetchone())
        except sqlite3.Error:
            return None


@contextlib.contextmanager
def collections_paused() -> Iterator[None]:
    """No cyclic garbage collection while making many objects that all stay (and no fork)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def at_positions(items: Sequence[T], positions: object) -> tuple[T, ...]:
    """``items`` at ``positions``, a decoded JSON list of indices: checking that it is one
    (``TypeError``, ``IndexError`` if not). In C, a list of thousands at a time."""
    if not isinstance(positions, list):
        raise TypeError("expected a list of positions")
    if not positions:
        return ()
    if set(map(type, positions)) != {int}:  # not bool, not float
        raise TypeError("expected a list of positions")
    if min(positions) < 0 or max(positions) >= len(items):
        raise IndexError("not a position in the list")
    return tuple(map(items.__getitem__, positions))


def _metadata_digest(posting: Posting, posting_json: str) -> str:
    """What the posting shows outside its own page: its JSON without the file's hash and the
    digest of what its page shows (both change with an edit to the description alone)."""
    source = posting.source
    return _text_digest(posting_json.replace(source.digest, "").replace(source.shown_digest, ""))


def _text_digest(text: str) -> str:
    return digest_of(text.encode("utf-8"))


def _has_meta(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT count(*) FROM sqlite_master WHERE name='meta'").fetchone()
    return bool(row and row[0])


def _load_posting(row: tuple[object, ...]) -> CachedPosting | None:
    """A stored posting, validated again by its model; None if it does not pass."""
    posting_json, lines_json = row
    if not isinstance(posting_json, str) or not isinstance(lines_json, str):
        return None
    try:
        posting = Posting.model_validate_json(posting_json)
    except ValidationError:
        return None
    return CachedPosting(posting, lines_json, _metadata_digest(posting, posting_json))
