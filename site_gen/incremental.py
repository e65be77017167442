"""The one place where pages are cached: ``cached(context, views)``.

Every cached page is a pure function of its view (``pages.Pages.render``), so its key is
derived from the view alone, as Lektor's ``build_artifact`` derives an artifact's from its
sources: the digest of the view (``ViewDigests``), the template's name and the build's
fingerprint (sitegen's code and output libraries, the config, the theme's templates and
static files, the fingerprinted asset names). Nothing else names a page: no key is written
by hand, so a key and its page cannot drift apart.

The cache keeps each page's digest and its bytes, compressed. Every page's work is done
on every core by workers forked after the site was built (they share it copy-on-write):
each keys its views, stages a page the cache knows without reading it where the output
already holds it (one ``stat``), or with its bytes from the cache where it does not (a
fresh clone with only ``.sitegen-cache/`` restored), and renders the others; only names,
digests and the compressed bytes of new pages come back to this process.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import Protocol

from site_gen.cache import BuildCache
from site_gen.cache_keys import digest_of
from site_gen.cache_pages import PageReader
from site_gen.forked import Forked
from site_gen.page_packing import SAMPLES
from site_gen.pages import OutputFile, Pages, View
from site_gen.parallel import Workers
from site_gen.staged_files import StagedFile
from site_gen.view_digests import ViewDigests
from site_gen.writer import Staging


@dataclass(frozen=True)
class StoredFile:
    """A page the cache knows by its digest; ``load`` gives its bytes (if ever needed)."""

    path: str
    digest: str
    load: Callable[[], bytes]

    @property
    def data(self) -> bytes:
        return self.load()


BuiltFile = OutputFile | StoredFile | StagedFile


@dataclass
class BuildContext:
    """What one build renders with, passed to whatever renders: the pages' renderer, the
    cache, the workers, the staging folder, and whether cached pages may be used."""

    pages: Pages
    cache: BuildCache
    workers: Workers
    fingerprint: str  # the build's: code, config, theme, asset names
    staging: Staging | None = None
    reuse: bool = True  # False: render every page (pages are minified after rendering)
    digests: ViewDigests | None = None

    def key(self, view: View) -> str:
        if self.digests is None:
            self.digests = ViewDigests()
        return self.digests.key(self.fingerprint, view)


# A build that renders every page starts with a few pages, rendered here, just enough to
# train the cache's dictionary on (page_packing.SAMPLES): the workers of the rest pack with
# it (about 60 % of the time and a third of the size of a page packed without one). Here,
# not on workers forked for them: a round of workers for so few pages costs more in
# forking and waiting than the pages do, and the workers of the rest inherit what
# rendering them warmed (templates, the digests of the parts views share).
FIRST_CHUNK = SAMPLES


class IndexedViews(Protocol):
    """Views made when asked for by index (``views.SiteViews``), or a list of them."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> View: ...


def cached(
    context: BuildContext, views: IndexedViews, shared: Iterable[object] = ()
) -> Iterator[BuiltFile]:
    """Each view's page: from the cache where it knows the view's key, else rendered,
    staged and remembered under that key with its bytes, compressed. ``shared``: values
    that many views hold (the board's postings), digested once, here.

    All of a page's work is done on every core, by workers forked for the views (``_Page``):
    making the view, keying it, looking its key up, and then staging the page, whose bytes
    come from the cache (a fresh clone with only ``.sitegen-cache/`` restored) or are
    rendered; this process only records what they did. It never holds the views, so its
    memory grows with the board's postings, not with its pages; a worker's grows with the
    pages it renders until it retires (``forked.WORKERS_MEMORY``)."""
    cache = context.cache
    reuse = context.reuse and not cache.holds_no_pages()
    reader = cache.pages()
    first = 0 if reuse else min(FIRST_CHUNK, len(views))
    context.digests = ViewDigests()
    # Before the workers fork: each then finds a posting's digest in the memo it inherits,
    # instead of reading the posting's source, objects spread over this process's memory
    # that a worker copies as it reads them (reference counts) and retires the sooner.
    context.digests.remember(shared)
    for start, stop in ((0, first), (first, len(views))):
        if start == stop:
            continue
        page = _Page(context, views, start, reuse, reader)
        run = Forked.here if start < first else context.workers.forked
        for index, (file, key, digest, packed) in enumerate(run(page, stop - start), start):
            if packed is not None:
                cache.store_page(key, digest, packed)
            else:
                cache.page_digest(key)  # used by this build: kept by the cache's collector
            if file is not None:
                yield file
            else:  # known to the cache, and no staging folder to stage it in
                view = views[index]
                yield StoredFile(view.path, digest, partial(page.stored, key, view))
    context.digests = None


def cached_files(
    context: BuildContext, view: View, make: Callable[[], Iterable[OutputFile]], *, beside: bool
) -> MadeFiles:
    """The files of a view that makes several (the search index: its head and its shards,
    whose number the data decides): the cache keeps the list of their paths under the
    view's key, and each file under the key and its path. ``make`` makes them all at once.

    Where the files must be made and ``beside`` is true, a process forked now makes them
    (``Workers.aside``) while this process goes on with the pages; otherwise they are made
    here, when the result is read. Close the result if it is abandoned."""
    cache = context.cache
    key = None  # where the cache holds no page, keyed by whoever makes the files
    if context.reuse and not cache.holds_no_pages():
        key = context.key(view)
        listed = cache.page_data(key) if cache.page_digest(key) else None
        paths = _paths(listed) if listed is not None else None
        digests = [cache.page_digest(_part_key(key, path)) for path in paths or ()]
        if paths is not None and all(digests):
            made = _Made(make)
            stored = [
                StoredFile(path, str(digest), partial(made.stored, cache, key, path))
                for path, digest in zip(paths, digests, strict=True)
            ]
            return MadeFiles(iter(stored))
    fn = partial(_packed, make, cache.pack_page, partial(_key_of, context, view, key))
    making = context.workers.aside(fn, beside=beside)
    return MadeFiles(_stored(cache, making), making)


@dataclass
class MadeFiles:
    """The files of ``cached_files``: iterate (once) for them; ``close`` abandons them, and
    stops the process making them, if any."""

    files: Iterator[BuiltFile]
    making: Forked[tuple[str, list[tuple[OutputFile, bytes]]]] | None = None

    def __iter__(self) -> Iterator[BuiltFile]:
        return self.files

    def close(self) -> None:
        if self.making is not None:
            self.making.close()


def _key_of(context: BuildContext, view: View, known: str | None) -> str:
    return known if known is not None else context.key(view)


def _packed(
    make: Callable[[], Iterable[OutputFile]],
    pack: Callable[[bytes], bytes],
    key: Callable[[], str],
    _: int,
) -> tuple[str, list[tuple[OutputFile, bytes]]]:
    """The view's key, and every file ``make`` makes, with its digest and its bytes as the
    cache keeps them (``pack``: the cache's packer, made once, not once a file). Keyed here:
    a view of the whole board (the search index's) takes long to key, and this runs beside
    the pages where it can."""
    files = [
        (replace(file, digest=file.digest or digest_of(file.data)), pack(file.data))
        for file in make()
    ]
    return key(), files


def _stored(
    cache: BuildCache, made: Forked[tuple[str, list[tuple[OutputFile, bytes]]]]
) -> Iterator[BuiltFile]:
    """The files made, each stored in the cache under the view's key and its path, then the
    list of their paths under the view's key."""
    for key, files in made:  # one value: the view's files, made at once
        for file, packed in files:
            cache.store_page(_part_key(key, file.path), str(file.digest), packed)
            yield file
        listing = json.dumps([file.path for file, _ in files]).encode()
        cache.store_page(key, digest_of(listing), cache.pack_page(listing))


def _part_key(key: str, path: str) -> str:
    return hashlib.sha256(f"{key}\x1f{path}".encode()).hexdigest()


def _paths(listed: bytes) -> list[str] | None:
    try:
        paths = json.loads(listed)
    except ValueError:
        return None
    ok = isinstance(paths, list) and all(isinstance(path, str) for path in paths)
    return paths if ok else None


class _Made:
    """A cached file's bytes: from the cache, else all the view's files made again once."""

    def __init__(self, make: Callable[[], Iterable[OutputFile]]) -> None:
        self._make = make
        self._files: dict[str, bytes] | None = None

    def stored(self, cache: BuildCache, key: str, path: str) -> bytes:
        data = cache.page_data(_part_key(key, path))
        if data is not None:
            return data
        if self._files is None:
            self._files = {file.path: file.data for file in self._make()}
        return self._files[path]


@dataclass(frozen=True)
class _Page:
    """In a worker (or here): the ``index``-th view's page, keyed, and staged where the build
    has a staging folder. A page the cache holds (with ``reuse``) is read from it only if
    the previous output lacks it; any other is rendered and compressed for the cache.
    Returns the file (None: a cached page, not staged), its key, its digest, and its
    compressed bytes (None: the cache has them)."""

    context: BuildContext
    views: IndexedViews
    start: int  # the index of the views' first page this renders
    reuse: bool
    reader: PageReader

    def __call__(self, index: int) -> tuple[OutputFile | StagedFile | None, str, str, bytes | None]:
        context, view = self.context, self.views[self.start + index]
        key = context.key(view)
        staging = context.staging
        digest = context.cache.page_digest(key) if self.reuse else None
        if digest is not None:
            if staging is None:
                return None, key, digest, None
            load = partial(self.stored, key, view)
            staged = staging.spot.stage_stored(view.path, digest, staging.entry(view.path), load)
            return staged, key, digest, None
        data = context.pages.render(view)
        digest = digest_of(data)
        packed = context.cache.pack_page(data)  # with the cache's dictionary, once trained
        if staging is None:
            return OutputFile(view.path, data, digest), key, digest, packed
        return (
            staging.spot.stage(view.path, data, digest, staging.entry(view.path)),
            key,
            digest,
            packed,
        )

    def stored(self, key: str, view: View) -> bytes:
        """A cached page's bytes: from the cache, else rendered again (a damaged entry)."""
        data = self.reader.page(key)
        return data if data is not None else self.context.pages.render(view)
