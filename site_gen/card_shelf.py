"""Pre-rendered cards kept on disk, for boards with more cards than a process's memo holds.

Below ``theme.MAX_CARDS`` every card is rendered once and kept in memory, where the forked
page workers inherit it. Above it (two cards a posting: 25,000 postings), keeping them all
in memory would grow every process by a few hundred MiB, and without them each page worker
renders again every card its pages show. So the card workers write the cards to files of
their own (one each, in a temporary folder) and send back only where each card lies; the
page workers read a card with one ``pread`` of a file descriptor they inherit. The files
are unlinked as soon as they are open: nothing is left behind, and the operating system's
file cache, not the processes, holds the bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from site_gen.models import Posting


@dataclass
class CardWriter:
    """In a card worker (or here): appends a posting's cards, one per heading level, to this
    process's own file in ``folder``; returns the file's name, where they start, and their
    lengths in bytes."""

    folder: str
    _fd: int | None = None
    _name: str = ""
    _end: int = 0

    def write(self, texts: Sequence[str]) -> tuple[str, int, list[int]]:
        if self._fd is None or self._name != str(os.getpid()):  # a fork starts a file
            self._name = str(os.getpid())
            self._fd = os.open(f"{self.folder}/{self._name}", os.O_WRONLY | os.O_CREAT, 0o600)
            self._end = 0
        data = [text.encode("utf-8", "surrogatepass") for text in texts]
        start = self._end
        os.pwrite(self._fd, b"".join(data), start)
        self._end += sum(map(len, data))
        return self._name, start, [len(part) for part in data]

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@dataclass
class CardShelf:
    """Where each posting's cards lie: read with ``card``. ``close`` drops the files."""

    postings: Sequence[Posting]
    levels: Sequence[int]
    _numbers: dict[str, int] = field(default_factory=dict)  # a file's name -> its number
    _fds: list[int] = field(default_factory=list)
    _files: array[int] = field(default_factory=lambda: array("i"))
    _starts: array[int] = field(default_factory=lambda: array("q"))
    _lengths: array[int] = field(default_factory=lambda: array("i"))
    # Each posting's place, by its identity: a page worker looks a card up without reading
    # the posting's slug, an object of the parent's memory that it would copy by reading it
    # (reference counts); ``card`` checks that the place holds this very posting.
    _position: dict[int, int] = field(default_factory=dict)

    @classmethod
    def made(
        cls,
        postings: Sequence[Posting],
        levels: Sequence[int],
        placed: Callable[[CardWriter], list[tuple[str, int, list[int]]]],
    ) -> CardShelf:
        """The shelf of ``postings``' cards: ``placed`` has every posting's cards written
        (by workers, each with its own copy of the writer) and returns where, in order."""
        folder = tempfile.mkdtemp(prefix="sitegen-cards-")
        writer = CardWriter(folder)
        shelf = cls(postings, levels)
        try:
            for name, start, lengths in placed(writer):
                shelf._add(folder, name, start, lengths)
        except BaseException:
            shelf.close()
            raise
        finally:
            writer.close()
            shutil.rmtree(folder, ignore_errors=True)  # the open files live on, unlinked
        shelf._position = {id(posting): i for i, posting in enumerate(postings)}
        return shelf

    def _add(self, folder: str, name: str, start: int, lengths: list[int]) -> None:
        number = self._numbers.get(name)
        if number is None:
            number = self._numbers[name] = len(self._fds)
            self._fds.append(os.open(f"{folder}/{name}", os.O_RDONLY))
        for length in lengths or [0] * len(self.levels):  # none: the card failed to render
            self._files.append(number)
            self._starts.append(start)
            self._lengths.append(length)
            start += length

    def card(self, posting: Posting, level: int) -> Markup | None:
        """The posting's card at this heading level, if shelved (for this very posting)."""
        position = self._position.get(id(posting))
        if position is None or self.postings[position] is not posting or level not in self.levels:
            return None
        at = position * len(self.levels) + self.levels.index(level)
        length = self._lengths[at]
        if not length:
            return None
        data = os.pread(self._fds[self._files[at]], length, self._starts[at])
        return Markup(data.decode("utf-8", "surrogatepass"))

    def close(self) -> None:
        for fd in self._fds:
            os.close(fd)
        self._fds.clear()
        self._numbers.clear()
        self._position.clear()
