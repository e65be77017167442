"""Progress of a build: the narrow interface the pipeline reports to, and the terminal's view.

The build only calls ``progress.stage(name, total)`` when a stage starts and
``progress.advance(n)`` as items of it are done; it never knows whether anyone is looking.
``SILENT`` (the default) ignores both. The command line passes a ``TerminalProgress``: a
bar with counts on stderr when stderr is a terminal (drawn by rich, and gone once the build
ends), and, when asked, each stage's time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TextIO, TypeVar

if TYPE_CHECKING:  # rich is imported only to draw a bar (see ``terminal_progress``)
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

T = TypeVar("T")
REDRAW_SECONDS = 0.1  # counts reach the display at most this often: a build has 100,000 files


class Progress(Protocol):
    """What the build tells about its progress."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A stage starts (the previous one, if any, is over); ``total``: items, if known."""

    def advance(self, n: int = 1) -> None:
        """``n`` more items of the current stage are done."""


class Silent:
    """Progress nobody watches."""

    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


SILENT: Progress = Silent()


def counted(items: Iterable[T], progress: Progress) -> Iterator[T]:
    """``items``, advancing ``progress`` by one for each."""
    for item in items:
        yield item
        progress.advance()


@dataclass
class StageTime:
    name: str
    started: float
    items: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        items = f" ({self.items:,} items)" if self.items else ""
        return f"  {self.name}: {self.seconds:.2f} s{items}"


@dataclass
class TerminalProgress:
    """Progress for a person: a live bar on a terminal (``bar``), each stage's time
    printed at the end (``timings``), both to ``stream``. Use it in a ``with`` block."""

    stream: TextIO
    bar: bool
    timings: bool
    stages: list[StageTime] = field(default_factory=list)
    _display: RichProgress | None = None
    _task: TaskID | None = None
    _pending: int = 0
    _drawn: float = 0.0

    def __enter__(self) -> TerminalProgress:
        if self.bar:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as RichProgress

            self._display = RichProgress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=True,  # the summary line takes its place
            )
            self._display.start()
        return self

    def stage(self, name: str, total: int | None = None) -> None:
        now = time.perf_counter()
        self._end_stage(now)
        self.stages.append(StageTime(name, now))
        if self._display is not None:
            if self._task is not None:
                self._display.remove_task(self._task)
            self._task = self._display.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self.stages:
            self.stages[-1].items += n
        self._pending += n
        now = time.perf_counter()
        if now - self._drawn >= REDRAW_SECONDS:
            self._draw(now)

    def _draw(self, now: float) -> None:
        if self._display is not None and self._task is not None and self._pending:
            self._display.advance(self._task, self._pending)
        self._pending = 0
        self._drawn = now

    def _end_stage(self, now: float) -> None:
        self._draw(now)
        if self.stages:
            self.stages[-1].seconds = now - self.stages[-1].started

    def __exit__(self, *exc: object) -> None:
        self._end_stage(time.perf_counter())
        if self._display is not None:
            self._display.stop()
            self._display = None
        if self.timings and self.stages:
            print("Stages:", file=self.stream)
            for stage in self.stages:
                print(stage.line(), file=self.stream)
            self.stages.clear()


def terminal_progress(stream: TextIO, *, quiet: bool, verbose: bool) -> TerminalProgress:
    """The progress the command line shows on ``stream``: a bar only on a terminal and
    not with ``quiet``; stage timings with ``verbose``."""
    return TerminalProgress(stream, bar=not quiet and on_terminal(stream), timings=verbose)


def on_terminal(stream: TextIO) -> bool:
    """Whether rich would draw on ``stream``. Rich is slow to import, and a build in a pipe
    (CI, a script) draws nothing: a stream that is no terminal, without the variables that
    make rich treat it as one anyway, is answered without importing rich."""
    if not _isatty(stream) and not {"FORCE_COLOR", "TTY_COMPATIBLE"} & os.environ.keys():
        return False
    from rich.console import Console

    console = Console(file=stream)
    return console.is_terminal and not console.is_dumb_terminal


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method; a closed file
        return False
