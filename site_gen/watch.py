"""Watch a board's sources and report what changed, one settled batch at a time.

The preview server rebuilds once per batch. A batch is handed over only when the sources have
been quiet for ``debounce`` seconds, so an editor that writes a file twice (or a ``git
checkout`` that touches fifty) causes one rebuild, not several.

Folders (``content/``, ``templates/``, ``static/``, the active theme) are watched with the
operating system's file events through ``watchfiles``: a board of 10,000 postings costs
nothing while idle. The config file is watched by comparing its ``stat`` between batches,
because editors save by replacing the file and an event watch on the old file would go
deaf after the first save. A watched folder that appears or disappears is noticed the same
way and the watch is restarted with the new set.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from site_gen.config import load_config
from site_gen.errors import SitegenError
from site_gen.theme_paths import theme_dir

POLL_SECONDS = 0.05  # how often the config file is compared while waiting for events


@dataclass(frozen=True)
class WatchTargets:
    """What to watch: folders (recursively, by events) and single files (by stat)."""

    folders: tuple[Path, ...]
    files: tuple[Path, ...]


def board_targets(root: Path, config_path: Path) -> WatchTargets:
    """The sources a build reads: content, templates, static files, the theme and the config."""
    folders = [root / "content", root / "templates", root / "static"]
    try:
        folders.append(theme_dir(load_config(config_path), root))
    except SitegenError:
        folders.append(root / "themes")  # a broken config: watch every local theme
    existing = tuple(dict.fromkeys(f.resolve() for f in folders if f.is_dir()))
    return WatchTargets(folders=existing, files=(config_path.absolute(),))


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class SourceWatcher:
    """Yields settled batches of changed paths until ``stop`` is set."""

    def __init__(
        self, root: Path, config_path: Path, *, debounce: float, stop: threading.Event
    ) -> None:
        self.root = root
        self.config_path = config_path
        self.debounce = debounce
        self.stop = stop
        self._targets = board_targets(root, config_path)
        self._marks = self._stat_marks()

    def batches(self) -> Iterator[frozenset[Path]]:
        """Settled batches of changed paths; the first is empty and means "the watch is on"."""
        pending: set[Path] = set()
        announced = False
        while not self.stop.is_set():
            with closing(self._rounds()) as rounds:
                for changed in rounds:
                    if not announced:  # a round has passed, so the watch is in place
                        announced = True
                        yield frozenset()
                    if changed:
                        pending |= changed  # not settled yet: wait for a quiet round
                        continue
                    if not pending:
                        continue
                    yield frozenset(pending)
                    pending.clear()
                    if self._retarget():
                        # Files may have landed in the new folders before their watch began:
                        # one more batch, after the first round of the new watch, covers them.
                        pending.update(self._targets.folders)
                        break

    def _rounds(self) -> Generator[set[Path]]:
        """The paths changed in each round; an empty set is a quiet round."""
        folders = self._targets.folders
        if not folders:
            yield set()
            while not self.stop.wait(max(self.debounce, POLL_SECONDS)):
                yield self._stat_changes()
            return
        events = watchfiles.watch(
            *folders,
            step=max(1, round(self.debounce * 1000)),
            rust_timeout=max(1, round(POLL_SECONDS * 1000)),
            yield_on_timeout=True,
            stop_event=self.stop,
            raise_interrupt=False,
        )
        with closing(events):
            for batch in events:
                yield {Path(path) for _, path in batch} | self._stat_changes()

    def _stat_marks(self) -> dict[Path, object]:
        """The config file's stat, and whether each folder a board may have exists."""
        marks: dict[Path, object] = {path: _signature(path) for path in self._targets.files}
        for name in ("content", "templates", "static", "themes"):
            marks[self.root / name] = (self.root / name).is_dir()
        return marks

    def _stat_changes(self) -> set[Path]:
        now = self._stat_marks()
        changed = {path for path, mark in now.items() if self._marks.get(path) != mark}
        self._marks = now
        return changed

    def _retarget(self) -> bool:
        """After a batch: True (restart the watch) if the folders to watch are not the same."""
        targets = board_targets(self.root, self.config_path)
        if targets == self._targets:
            return False
        self._targets = targets
        return True
