"""The source watcher: settled batches, replaced config files, folders that appear."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_gen.theme_paths import PACKAGE_THEMES
from site_gen.watch import SourceWatcher, board_targets

DEBOUNCE = 0.05


class Batches:
    """Runs a watcher in a thread and hands its batches over a queue."""

    def __init__(self, root: Path, debounce: float = DEBOUNCE) -> None:
        self.stop = threading.Event()
        self.queue: queue.Queue[frozenset[Path]] = queue.Queue()
        watcher = SourceWatcher(root, root / "sitegen.toml", debounce=debounce, stop=self.stop)
        self.thread = threading.Thread(target=lambda: self._run(watcher), daemon=True)
        self.thread.start()
        assert self.next() == frozenset()  # the watch is in place

    def _run(self, watcher: SourceWatcher) -> None:
        for batch in watcher.batches():
            self.queue.put(batch)

    def next(self, timeout: float = 10) -> frozenset[Path]:
        return self.queue.get(timeout=timeout)

    def none_within(self, seconds: float) -> bool:
        try:
            self.queue.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


@pytest.fixture
def batches(board: Path) -> Iterator[Batches]:
    watching = Batches(board)
    yield watching
    watching.close()


def test_targets_are_the_sources_a_build_reads(board: Path) -> None:
    (board / "templates").mkdir()
    targets = board_targets(board, board / "sitegen.toml")
    assert targets.folders == (
        (board / "content").resolve(),
        (board / "templates").resolve(),
        (PACKAGE_THEMES / "default").resolve(),
    )
    assert targets.files == ((board / "sitegen.toml").absolute(),)


def test_rapid_writes_make_one_batch(board: Path) -> None:
    jobs = board / "content" / "jobs"
    debounce = 0.3
    batches = Batches(board, debounce)
    try:
        (jobs / "backend-engineer.md").write_text("one")
        time.sleep(debounce / 10)
        (jobs / "backend-engineer.md").write_text("two")
        (jobs / "third.md").write_text("three")
        assert batches.next() == {jobs / "backend-engineer.md", jobs / "third.md"}
        assert batches.none_within(debounce * 3)
    finally:
        batches.close()


def test_a_config_file_replaced_on_every_save_is_seen_every_time(
    board: Path, batches: Batches
) -> None:
    config = board / "sitegen.toml"
    for title in ("One", "Two"):
        (board / "sitegen.new").write_text(f'title = "{title}"\n')
        os.replace(board / "sitegen.new", config)  # how many editors save
        assert config.absolute() in batches.next()


def test_a_folder_that_appears_is_watched(board: Path, batches: Batches) -> None:
    (board / "static").mkdir()
    assert board / "static" in batches.next()
    follow_up = batches.next()  # after the watch restarts, covering files made meanwhile
    assert (board / "static").resolve() in follow_up
    time.sleep(DEBOUNCE)
    (board / "static" / "site.css").write_text("p {}")
    assert batches.next() == {(board / "static" / "site.css").resolve()}
