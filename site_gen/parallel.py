"""Run per-posting work on every core: a process pool fed in chunks, results in input order.

``Workers.map(fn, items, count)`` is the built-in ``map`` spread over processes (``map_chunks``
hands ``fn`` a whole chunk, for work done a stage at a time). Items go out in
chunks, so sending them costs little next to the work; at most a few chunks are in flight,
so results stream back instead of piling up in memory; and they come back in input order,
so the output never depends on the number of workers. With one job, or too few items to be
worth a process, the work runs here, in this process: the same function, the same results.

The pool is started on first use and kept until ``close``, so the preview server's rebuilds
reuse it. Workers are forked where that is safe (cheap: they inherit the imported modules),
else spawned (a process with other threads, such as the preview server); ``fn`` must be a
module-level function and items must pickle.

``Workers.forked(fn, count)`` is for work on large, read-only data such as the assembled
site: it forks workers (``forked.Forked``) that inherit it as it is in memory, so only
indexes and results cross processes. A command-line build uses it for every page; the
pool's own threads would make the fork unsafe, so the pool is closed first.
``Workers.aside(fn)`` forks one process for one piece of such work (the search index)
that runs beside the others.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, wait
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from site_gen.forked import Forked, worker_share

# The process machinery is imported where processes start: a small board starts none,
# and importing it costs a noticeable share of such a build.
if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C")

MAX_CHUNK = 64  # items per task: large enough that pickling and IPC stay a small share
CHUNKS_PER_WORKER = 4  # smaller chunks than items/workers, so the cores finish together
IN_FLIGHT_PER_WORKER = 4  # bounded read-ahead: results stream, memory stays flat
MIN_FORKED = 128  # fewer items than this: forking workers costs more than it gains
# Fewer items than this go to no pool: starting it and sending the results back cost more
# than compiling them here (measured in pairs with 2 jobs: the pool lost up to 300
# postings and won at 1,000).
MIN_POOLED = 256


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def chunk_size(count: int, jobs: int) -> int:
    return max(1, min(MAX_CHUNK, count // (jobs * CHUNKS_PER_WORKER) or 1))


def _run_chunk(payload: bytes) -> list[R]:
    fn, chunk = pickle.loads(payload)
    results: list[R] = fn(chunk)
    return results


def _each(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


class Workers:
    """A lazily started process pool; ``jobs=1`` runs everything in this process."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs if jobs and jobs > 0 else default_jobs()
        self._pool: ProcessPoolExecutor | None = None
        self._forked = False  # the pool was forked from a single-threaded process

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map(self, fn: Callable[[T], R], items: Iterable[T], count: int) -> Iterator[R]:
        """``fn`` over the ``count`` ``items``, in order; parallel when there is enough work.

        ``items`` is consumed lazily, a chunk at a time, so it may be a generator that reads
        each item's data just before it is sent.
        """
        size = chunk_size(count, self.jobs)
        if self._here(count, size):
            yield from map(fn, items)
            return
        yield from self._pooled(partial(_each, fn), items, size)

    def map_chunks(
        self,
        fn: Callable[[list[T]], list[R]],
        items: Iterable[T],
        count: int,
        *,
        start_now: bool = False,
    ) -> Iterator[R]:
        """Like ``map``, but ``fn`` takes a chunk of items and returns their results in order:
        for work that costs less done one stage at a time over several items. With
        ``start_now``, the first chunks go to the pool before this returns (``map`` waits
        for the first result to be asked for), so that the workers are busy while the
        caller does something else before reading the results."""
        size = chunk_size(count, self.jobs)
        if self._here(count, size):
            return _chunks_here(fn, items, size)
        return self._pooled(fn, items, size, start_now=start_now)

    def pooled(self, count: int) -> bool:
        """Whether ``map`` or ``map_chunks`` of ``count`` items would send them to the pool."""
        return not self._here(count, chunk_size(count, self.jobs))

    def _here(self, count: int, size: int) -> bool:
        """Whether the work is better done in this process than sent to the pool."""
        return self.jobs == 1 or count < max(MIN_POOLED, 2 * size)

    def _pooled(
        self,
        fn: Callable[[list[T]], list[R]],
        items: Iterable[T],
        size: int,
        *,
        start_now: bool = False,
    ) -> Iterator[R]:
        pool = self._start()
        source = iter(items)

        def submitted() -> Iterator[Future[list[R]]]:
            while chunk := list(islice(source, size)):
                # Pickled here, not in the pool's feeder thread: an item that cannot be
                # pickled raises in the caller instead of wedging the pool.
                payload = pickle.dumps((fn, chunk), protocol=pickle.HIGHEST_PROTOCOL)
                yield pool.submit(_run_chunk, payload)

        limit = self.jobs * IN_FLIGHT_PER_WORKER
        chunks = submitted()
        return _in_order(chunks, deque(islice(chunks, limit) if start_now else ()), limit)

    def can_fork(self) -> bool:
        """Whether workers may be forked now: more than one job, and no thread but this one
        (or this object's pool's, which a fork closes)."""
        if self.jobs == 1 or not _fork_available():
            return False
        if self._pool is not None:
            return self._forked  # then its threads are the only others, and it gets closed
        return threading.active_count() == 1

    def will_fork(self, count: int) -> bool:
        """Whether ``forked(fn, count)`` would fork workers now (else it runs ``fn`` here)."""
        return self.jobs != 1 and count >= MIN_FORKED and self.can_fork()

    def map_inherited(self, fn: Callable[[C, int], R], context: C, count: int) -> Iterator[R]:
        """``fn(context, i)`` for ``i`` in ``range(count)``, in order, on forked workers that
        inherit ``context`` as it is in memory (see ``forked``)."""
        started = self.forked(partial(fn, context), count)
        try:
            yield from started
        finally:
            started.close()

    def start_inherited(self, fn: Callable[[C, int], R], context: C, count: int) -> Forked[R]:
        """Like ``map_inherited``, but the workers start now, so that this process can do
        something else meanwhile; read the results later, or ``close`` to abandon them."""
        return self.forked(partial(fn, context), count, meanwhile=True)

    def forked(self, fn: Callable[[int], R], count: int, *, meanwhile: bool = False) -> Forked[R]:
        """``fn(i)`` for ``i`` in ``range(count)``: iterate the result for them, in order.

        The work runs in processes forked now, which inherit ``fn`` and all it refers to as
        it is in memory (the assembled site, copy-on-write): nothing is pickled but the
        results. Where forking is not safe (no ``fork``, or other threads running, as in
        the preview server), or for too little work to gain from a process, ``fn`` runs
        here, lazily, as the results are read.
        """
        size = chunk_size(count, self.jobs)
        if not self.will_fork(count) or not self._release_for_fork():
            return Forked.here(fn, count)
        # Read on a thread (meanwhile), the workers may not retire: a thread may not fork.
        retire_above = None if meanwhile else worker_share(self.jobs)
        forked = Forked.start(fn, count, size, self.jobs, retire_above=retire_above)
        if meanwhile:
            forked.read_meanwhile()
        return forked

    def aside(self, fn: Callable[[int], R], *, beside: bool = True) -> Forked[R]:
        """``fn(0)`` in one process forked now, beside this one and the workers it forks
        next: iterate the result for its one value. Where forking is not safe, with one
        job, or where the caller judges the work not worth a process of its own
        (``beside`` false), it runs here, lazily, when the result is read."""
        if not beside or self.jobs == 1 or not self._release_for_fork():
            return Forked.here(fn, 1)
        return Forked.start(fn, 1, 1, 1)

    def _release_for_fork(self) -> bool:
        """Close this object's pool if its threads are the only others; whether forking is
        safe now."""
        if self._pool is not None and self._forked:
            self.close()
        return _can_fork()

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # Fork only a single-threaded process: a fork taken while another thread holds
            # a lock (a server's, a browser driver's) can leave the pool waiting forever.
            self._forked = _can_fork()
            context = multiprocessing.get_context("fork" if self._forked else "spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)
        return self._pool


def _can_fork() -> bool:
    return _fork_available() and threading.active_count() == 1


def _fork_available() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _chunks_here(fn: Callable[[list[T]], list[R]], items: Iterable[T], size: int) -> Iterator[R]:
    source = iter(items)
    while chunk := list(islice(source, size)):
        yield from fn(chunk)


def _in_order(
    submitted: Iterator[Future[list[R]]], pending: deque[Future[list[R]]], limit: int
) -> Iterator[R]:
    """The results of the chunks in ``pending`` (submitted already), then of those
    ``submitted`` yields, in order; ``submitted`` is drawn from only while fewer than
    ``limit`` chunks are in flight, so results stream."""
    try:
        for future in submitted:
            pending.append(future)
            if len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        _settle(pending)


def _settle(pending: Iterable[Future[Any]]) -> None:
    """Cancel what has not started and wait for what has: when a map is abandoned (an error,
    Ctrl-C), nothing it started may still be running (writing files) once it returns."""
    for future in pending:
        future.cancel()
    wait(list(pending))
