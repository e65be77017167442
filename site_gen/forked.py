"""Work on large, read-only data (the assembled site) in worker processes forked for it.

``Forked.start(fn, count, size, jobs)`` forks ``jobs`` processes that inherit ``fn`` and all
it refers to as it is in memory (copy-on-write), so only indexes go out and results come
back, in order, over pipes; ``Forked.here`` runs ``fn`` in this process, lazily, where
forking is not safe or not worth it (``parallel.Workers.forked`` decides).
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from multiprocessing.sharedctypes import Synchronized

R = TypeVar("R")

# What the workers of one ``Forked`` may make their own together (pages of the parent they
# write to, copying them, and new ones): each retires past its share, this divided by their
# number, and hands over to a fresh fork. A worker writes to every object it reads
# (CPython's reference counts), so without a bound each worker would in time copy all of a
# large board's memory; with it, the tree's memory is the parent's plus this, whatever the
# number of workers up to four. A share is never below WORKER_MEMORY_LEAST: a fresh fork
# makes much of that its own on its first pages (the templates, the code it runs), and
# below it workers would do little but hand over to the next.
WORKERS_MEMORY = 192 << 20
WORKER_MEMORY_LEAST = 48 << 20


def worker_share(jobs: int) -> int:
    """What each of ``jobs`` workers may make its own before it retires."""
    return max(WORKER_MEMORY_LEAST, WORKERS_MEMORY // jobs)


RETIRED = -1  # a worker's last message when it retires: fork another


class Forked(Generic[R]):
    """Work handed to forked worker processes (or done here): iterate (once) for its results,
    in order; ``close`` abandons what has not started and waits for what is running. The
    workers are gone once either is done.

    Each worker takes the next chunk of indexes from a shared counter and sends its results
    back on a pipe of its own, so a worker that dies (killed, out of memory) is noticed
    instead of waited for. A worker that has made its share of ``WORKERS_MEMORY`` its own
    retires between chunks, and a fresh fork takes its place.
    """

    def __init__(self, results: Iterator[R]) -> None:
        self._results = results
        self._readers: list[Connection] = []  # the pipes of the workers not yet done
        self._process_of: dict[Connection, BaseProcess] = {}  # every worker, by its pipe
        self._reader: threading.Thread | None = None
        self._work: _Work[R] | None = None  # what each worker is forked with

    @property
    def _processes(self) -> list[BaseProcess]:
        return list(self._process_of.values())

    @classmethod
    def here(cls, fn: Callable[[int], R], count: int) -> Forked[R]:
        return cls(map(fn, range(count)))

    @classmethod
    def start(
        cls,
        fn: Callable[[int], R],
        count: int,
        size: int,
        jobs: int,
        *,
        retire_above: int | None = None,
    ) -> Forked[R]:
        """Fork ``min(jobs, chunks)`` workers. A worker that has made more than
        ``retire_above`` bytes of memory its own retires, and this process forks a fresh one
        when it reads the news, so it must be the one reading the results (not a thread);
        None: workers never retire."""
        import multiprocessing

        context = multiprocessing.get_context("fork")
        counter: Synchronized[int] = context.Value("q", 0)
        chunks = -(-count // size)
        forked = cls(iter(()))
        forked._work = _Work(fn, count, size, counter, os.getpid(), retire_above)
        for _ in range(min(jobs, chunks)):
            forked._fork_worker()
        forked._results = forked._collect(chunks)
        return forked

    def _fork_worker(self) -> None:
        import multiprocessing

        assert self._work is not None

        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        # Ctrl-C waits until the worker is forked: arriving mid-fork, Python would report
        # it in a fork handler and then drop it.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            process = context.Process(
                target=_serve,
                args=(self._work, writer, [*self._readers, reader]),
                daemon=True,
            )
            process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        writer.close()  # the worker's end: closed here, so its exit reads as the end
        self._readers.append(reader)
        self._process_of[reader] = process

    def _collect(self, chunks: int) -> Iterator[R]:
        from multiprocessing.connection import Connection
        from multiprocessing.connection import wait as connection_wait

        pending: dict[int, list[R]] = {}
        following = 0
        open_readers = list(self._readers)
        while following < chunks:
            if following in pending:
                yield from pending.pop(following)
                following += 1
                continue
            if not open_readers:
                raise RuntimeError("a worker process ended without finishing its work")
            for reader in connection_wait(open_readers):
                assert isinstance(reader, Connection)
                try:
                    chunk, results, error = reader.recv()
                except EOFError:  # a worker done, retired or dead
                    open_readers.remove(reader)
                    self._readers.remove(reader)
                    reader.close()
                    continue
                if error is not None:
                    raise error
                if chunk == RETIRED:
                    if self._work is not None and self._work.unclaimed():
                        # Gone first, its memory with it: else the tree holds both at once.
                        self._process_of[reader].join()
                        self._fork_worker()
                        open_readers.append(self._readers[-1])
                    continue
                pending[chunk] = results

    def read_meanwhile(self) -> None:
        """Read the results on a thread, into memory, while this process does something else
        (else a worker blocks once its pipe is full). For small results; the thread ends
        with the work, before anything else is forked. Only for workers that never retire: a
        thread may not fork."""
        if self._work is not None and self._work.retire_above is not None:
            raise ValueError("read_meanwhile: the workers may retire, and a thread may not fork")
        results: list[R] = []
        failed: list[BaseException] = []

        def read() -> None:
            try:
                results.extend(self._results)
            except BaseException as exc:  # raised to whoever iterates
                failed.append(exc)

        reader = threading.Thread(target=read, name="sitegen-results", daemon=True)
        reader.start()
        self._reader = reader

        def collected() -> Iterator[R]:
            reader.join()
            if failed:
                raise failed[0]
            yield from results

        self._results = collected()

    def __iter__(self) -> Iterator[R]:
        try:
            yield from self._results
        finally:
            self.close()

    def close(self) -> None:
        self._results = iter(())  # abandoned: nothing more to read
        if self._work is not None:
            with self._work.counter.get_lock():
                self._work.counter.value = 1 << 62  # no more chunks for anyone
        for reader in self._readers:
            reader.close()  # a worker sending results nobody reads gets an error and ends
        self._readers = []
        for process in self._processes:
            process.join()
        self._process_of.clear()
        if self._reader is not None:
            self._reader.join()
            self._reader = None


@dataclass(frozen=True)
class _Work(Generic[R]):
    """What every worker of one ``Forked`` is forked with: ``fn`` of each index below
    ``count``, taken ``size`` at a time by the shared ``counter``."""

    fn: Callable[[int], R]
    count: int
    size: int
    counter: Synchronized[int]
    parent: int  # the process that forked the workers: they stop when it is gone
    retire_above: int | None

    def claim(self) -> range:
        """The next chunk's indexes (empty once none is left), and its number."""
        with self.counter.get_lock():
            chunk = self.counter.value
            self.counter.value = chunk + 1
        return range(min(self.count, chunk * self.size), min(self.count, (chunk + 1) * self.size))

    def unclaimed(self) -> bool:
        return self.counter.value * self.size < self.count


def _serve(work: _Work[R], results: Connection, others: list[Connection]) -> None:
    """A forked worker: take chunks until none is left (or the parent is gone), or until it
    has made ``retire_above`` bytes of memory its own, when it tells the parent it retires."""
    for other in others:
        other.close()  # the ends the parent reads from: its own too, so EPIPE when it stops
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    while os.getppid() == work.parent:
        indexes = work.claim()
        if not indexes:
            break
        chunk = indexes.start // work.size
        try:
            done = [work.fn(i) for i in indexes]
        except Exception as exc:  # sent to the parent, which raises it
            _send(results, (chunk, None, _sendable(exc)))
            break
        if not _send(results, (chunk, done, None)):
            break
        limit = work.retire_above
        if limit is not None and _own_memory() > limit and work.unclaimed():
            _send(results, (RETIRED, None, None))
            break
    results.close()


def _own_memory() -> int:
    """Bytes of memory this process has made its own since it was forked: one minor page
    fault per page it wrote to (a copy of the parent's, or a new one). Faults, because they
    cost a system call to count where the kernel's own tally (smaps) walks every page."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt * resource.getpagesize()


def _send(results: Connection, message: object) -> bool:
    """Send to the parent; False if it stopped reading (an error, Ctrl-C)."""
    try:
        results.send(message)
    except OSError:
        return False
    return True


def _sendable(exc: Exception) -> Exception:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
