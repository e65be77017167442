"""Work on large, read-only data (the assembled site) in worker processes forked for it.

``Forked.start(fn, count, size, jobs)`` forks ``jobs`` processes that inherit ``fn`` and all
it refers to as it is in memory (copy-on-write), so only indexes go out and results come
back, in order, over pipes; ``Forked.here`` runs ``fn`` in this process, lazily, where
forking is not safe or not worth it (``parallel.Workers.forked`` decides).
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from multiprocessing.sharedctypes import Synchronized

R = TypeVar("R")


class Forked(Generic[R]):
    """Work handed to forked worker processes (or done here): iterate (once) for its results,
    in order; ``close`` abandons what has not started and waits for what is running. The
    workers are gone once either is done.

    Each worker takes the next chunk of indexes from a shared counter and sends its results
    back on a pipe of its own, so a worker that dies (killed, out of memory) is noticed
    instead of waited for.
    """

    def __init__(
        self,
        results: Iterator[R],
        processes: list[BaseProcess] | None = None,
        counter: Synchronized[int] | None = None,
    ) -> None:
        self._results = results
        self._processes = processes or []
        self._counter = counter
        self._readers: list[Connection] = []
        self._reader: threading.Thread | None = None

    @classmethod
    def here(cls, fn: Callable[[int], R], count: int) -> Forked[R]:
        return cls(map(fn, range(count)))

    @classmethod
    def start(cls, fn: Callable[[int], R], count: int, size: int, jobs: int) -> Forked[R]:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        counter: Synchronized[int] = context.Value("q", 0)
        chunks = -(-count // size)
        processes: list[BaseProcess] = []
        readers: list[Connection] = []
        # Ctrl-C waits until the workers are forked: arriving mid-fork, Python would
        # report it in a fork handler and then drop it.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            for _ in range(min(jobs, chunks)):
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(
                    target=_serve,
                    args=(fn, count, size, counter, writer, os.getpid(), [*readers, reader]),
                    daemon=True,
                )
                process.start()
                writer.close()  # the worker's end: closed here, so its exit reads as the end
                processes.append(process)
                readers.append(reader)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        forked = cls(iter(()), processes, counter)
        forked._readers = readers
        forked._results = forked._collect(readers, chunks)
        return forked

    def _collect(self, readers: list[Connection], chunks: int) -> Iterator[R]:
        from multiprocessing.connection import Connection
        from multiprocessing.connection import wait as connection_wait

        pending: dict[int, list[R]] = {}
        following = 0
        open_readers = list(readers)
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
                except EOFError:
                    open_readers.remove(reader)
                    continue
                if error is not None:
                    raise error
                pending[chunk] = results

    def read_meanwhile(self) -> None:
        """Read the results on a thread, into memory, while this process does something else
        (else a worker blocks once its pipe is full). For small results; the thread ends
        with the work, before anything else is forked."""
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
        if self._counter is not None:
            with self._counter.get_lock():
                self._counter.value = 1 << 62  # no more chunks for anyone
        for reader in self._readers:
            reader.close()  # a worker sending results nobody reads gets an error and ends
        self._readers = []
        for process in self._processes:
            process.join()
        self._processes = []
        if self._reader is not None:
            self._reader.join()
            self._reader = None


def _serve(
    fn: Callable[[int], R],
    count: int,
    size: int,
    counter: Synchronized[int],
    results: Connection,
    parent: int,
    others: list[Connection],
) -> None:
    """A forked worker: take chunks until none is left (or the parent is gone)."""
    for other in others:
        other.close()  # the ends the parent reads from: its own too, so EPIPE when it stops
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    while os.getppid() == parent:
        with counter.get_lock():
            chunk = counter.value
            counter.value = chunk + 1
        start = chunk * size
        if start >= count:
            break
        try:
            done = [fn(i) for i in range(start, min(count, start + size))]
        except Exception as exc:  # sent to the parent, which raises it
            _send(results, (chunk, None, _sendable(exc)))
            break
        if not _send(results, (chunk, done, None)):
            break
    results.close()


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
