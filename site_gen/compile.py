"""Compile every posting file (parse, validate, render its markdown) on all cores, reusing the cache.

A posting whose file, path and compiling code are unchanged since a cached build is taken
from the cache without being parsed. The others are compiled by the worker processes, in
chunks, and their results come back in file order, so messages, warnings and the site
never depend on the number of workers. Descriptions go into the cache as they arrive, so
memory holds the postings' metadata, never all their bodies.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from functools import partial
from pathlib import Path
from stat import S_ISREG

from site_gen.cache import BuildCache
from site_gen.cache_descriptions import PostingRow, description_packer, posting_row
from site_gen.cache_keys import posting_key
from site_gen.cached_postings import top_lines
from site_gen.content import MAX_FILE_BYTES, file_digest, is_text_name, read_sources, relative_path
from site_gen.field_types import load_checks
from site_gen.page_packing import PagePacker
from site_gen.parallel import Workers
from site_gen.validate import CompiledPosting, compile_all


def compile_files(root: str, engine: str, paths: list[str]) -> list[Compiled]:
    """Worker side: each file's content hash and compiled posting, for a chunk of files
    (``root``, the board's folder, and ``engine`` are the same for every chunk; only
    names cross processes: the worker reads the files itself).

    All are read, then all parsed, then all compiled (``content.read_sources``,
    ``validate.compile_all``), one step at a time: libyaml's and pydantic's code, then
    comrak's, then nh3's stay in the CPU's caches through their step, which costs less CPU
    than file by file (``bench/compile_cost.py`` measures how much). What the build cache
    stores of a posting is made here too, not in the one process that receives them all.
    """
    docs = read_sources([Path(path) for path in paths], Path(root))
    packer = description_packer()
    return [
        _sent(doc.digest, result, packer)
        for doc, result in zip(docs, compile_all(docs, engine), strict=True)
    ]


# A file's content hash, its compiled posting, and (for a posting) what the build cache
# keeps of it (``BuildCache.store_posting``).
Compiled = tuple[str, CompiledPosting, PostingRow | None]


def _sent(digest: str, result: CompiledPosting, packer: PagePacker) -> Compiled:
    """What goes back to the main process, which unpickles every posting of the board in
    one process: the description only packed, in the row (the cache keeps nothing else of
    it), and the lines of top-level fields only (all that a valid posting's warnings and
    its cache entry use, as for a posting taken from the cache): fewer bytes and objects
    to unpickle. The row is all the cache keeps of the posting (its lines' JSON and its
    metadata's digest too), so this process only stores it."""
    top = top_lines(result.key_lines)
    if result.posting is None:
        return digest, CompiledPosting(result.path, None, result.problems, top), None
    row = posting_row(result.posting, top, result.description, packer)
    return digest, CompiledPosting(result.path, result.posting, (), top), row


def compile_postings(
    files: list[Path],
    root: Path,
    engine: str,
    workers: Workers,
    cache: BuildCache | None = None,
    known: Mapping[str, str] | None = None,
) -> Iterator[CompiledPosting]:
    """Every file's compiled posting, in file order (descriptions left in the cache).

    The work starts when this is called: the files the cache does not know go to the
    workers at once, and the caller may do something else before it reads the results.
    ``known`` maps files (by board-relative path) to content hashes the caller vouches for
    (the preview server knows which files did not change), so those are not read again.
    """
    # With nothing cached there is nothing to look up: let the workers read and hash the files.
    lookup = cache is not None and cache.has_postings()
    keyed: list[tuple[Path, str, str | None]] = []  # file, relative path, cache key if known
    stats: dict[str, tuple[os.stat_result, int]] = {}  # files the workers will hash
    for path in files:
        rel = relative_path(path, root)
        digest = (known or {}).get(rel)
        # A name that is not UTF-8 is not recorded: the worker reports it as an error.
        if digest is None and cache is not None and is_text_name(rel):
            digest, stat = file_hash(path, rel, cache, read=lookup)
            if digest is None and stat is not None:
                stats[rel] = stat
        keyed.append((path, rel, digest and posting_key(rel, digest, engine)))
    if cache is not None:
        cache.load_postings(key for _, _, key in keyed if key)
    results: list[CompiledPosting | str] = []  # compiled, or the file to compile
    for path, rel, key in keyed:
        hit = cache.posting(key) if cache is not None and key else None
        if hit is not None and cache is not None:
            results.append(CompiledPosting(rel, hit.posting, (), hit.key_lines))
            cache.sources[rel] = hit.posting.source.digest
        else:
            results.append(str(path))
    tasks = [item for item in results if isinstance(item, str)]
    if workers.pooled(len(tasks)):
        load_checks()  # before the pool forks its workers
    compile_chunk = partial(compile_files, str(root), engine)
    compiled = workers.map_chunks(compile_chunk, tasks, len(tasks), start_now=True)
    return _in_file_order(results, compiled, cache, stats, engine)


def _in_file_order(
    results: list[CompiledPosting | str],
    compiled: Iterator[Compiled],
    cache: BuildCache | None,
    stats: dict[str, tuple[os.stat_result, int]],
    engine: str,
) -> Iterator[CompiledPosting]:
    """The postings taken from the cache and those ``compiled`` (stored in the cache as they
    arrive), in file order."""
    for item in results:
        if isinstance(item, CompiledPosting):
            yield item
            continue
        digest, result, row = next(compiled)
        posting = result.posting
        if cache is not None:
            if digest:  # empty for a file that could not be read
                cache.note_source(result.path, digest, *stats.get(result.path, (None, 0)))
            if posting is not None and row is not None:
                key = posting_key(result.path, digest, engine)
                posting = cache.store_posting(key, posting, row)
        yield CompiledPosting(result.path, posting, result.problems, result.key_lines)


def file_hash(
    path: Path, rel: str, cache: BuildCache, *, read: bool
) -> tuple[str | None, tuple[os.stat_result, int] | None]:
    """A file's content hash: from the cache if its size, mtime and inode are as they were
    when it was last hashed (as git does), else by reading it (if ``read``). Also the
    file's stat and when it was taken, for recording a hash found later."""
    checked = time.time_ns()
    try:
        stat = os.lstat(path)
    except OSError:
        return None, None  # gone since it was listed: the worker will say so
    if not S_ISREG(stat.st_mode) or stat.st_size > MAX_FILE_BYTES:
        return None, None  # a link, a device, a huge file: the worker's checks say what
    digest = cache.source_digest(rel, stat)
    if digest is None and read:
        digest = file_digest(path.read_bytes())
    if digest is not None:
        cache.note_source(rel, digest, stat, checked)
    return digest, (stat, checked)
