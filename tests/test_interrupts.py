"""held_interrupts: a real SIGINT sent to this process, in the block and out of it."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_gen.interrupts import OutputReplaced, held_interrupts

OUTPUT = Path("output")


@pytest.fixture(autouse=True)
def hears_ctrl_c() -> Iterator[None]:
    """Python's own Ctrl-C handler, as in a terminal (a suite run in the background by a
    shell starts with SIGINT ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_in_the_block_waits_for_its_end() -> None:
    finished = []
    with pytest.raises(OutputReplaced) as caught, held_interrupts(OUTPUT):
        os.kill(os.getpid(), signal.SIGINT)
        finished.append("after the signal")
    assert finished == ["after the signal"]
    assert caught.value.output == OUTPUT
    assert isinstance(caught.value, KeyboardInterrupt)  # whoever stops on Ctrl-C still does
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_no_ctrl_c_raises_nothing_and_restores_the_handler() -> None:
    with held_interrupts(OUTPUT):
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with pytest.raises(KeyboardInterrupt) as caught:
        os.kill(os.getpid(), signal.SIGINT)
    assert type(caught.value) is KeyboardInterrupt


def test_an_error_in_the_block_goes_through_and_restores_the_handler() -> None:
    with pytest.raises(ValueError), held_interrupts(OUTPUT):
        raise ValueError("a write failed")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_outside_the_main_thread_nothing_is_held() -> None:
    seen: list[object] = []

    def build() -> None:
        with held_interrupts(OUTPUT):
            seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=build)
    thread.start()
    thread.join()
    assert seen == [signal.default_int_handler]
