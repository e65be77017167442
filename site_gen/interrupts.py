"""Ctrl-C once the new output is being put in place: the build finishes, then says so.

Until the swap, Ctrl-C stops a build and the previous output stays as it was. From the
swap on, stopping halfway would leave the user guessing which site ``output/`` holds, so
``held_interrupts`` lets the block run to its end and only then raises ``OutputReplaced``,
which the command line reports as such.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType


class OutputReplaced(KeyboardInterrupt):
    """Ctrl-C came while the new output was put in place: it was, and is complete."""

    def __init__(self, output: Path) -> None:
        super().__init__(str(output))
        self.output = output


@contextmanager
def held_interrupts(output: Path) -> Iterator[None]:
    """Run the block to its end despite Ctrl-C; then raise ``OutputReplaced`` if it came.

    Python runs signal handlers in the main thread only, whichever thread the signal
    reaches, so swapping the handler holds Ctrl-C back for the whole process. Elsewhere (a
    build in another thread, or a SIGINT handler that is not Python's own) nothing is
    held."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or (
        previous is not signal.default_int_handler
    ):
        yield
        return
    came: list[int] = []

    def note(number: int, frame: FrameType | None) -> None:
        came.append(number)

    signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if came:
        raise OutputReplaced(output)
