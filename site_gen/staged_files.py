"""Stage the files of a build, one at a time, in the staging folder beside the output: only
those whose bytes changed are written; the others are noted as unchanged (by the manifest,
or by comparing bytes). Worker processes stage the pages they render with a ``StagingSpot``.
No file may land outside the output folder.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from site_gen.errors import SitegenError
from site_gen.output_manifest import Manifest, Record, holds, record_of


class FileToWrite(Protocol):
    """A file of the site, such as pages.OutputFile or StoredFile: its path and bytes."""

    @property
    def path(self) -> str: ...

    @property
    def data(self) -> bytes: ...


class UnsafePath(SitegenError):
    """A rendered file would land outside the output folder."""


@dataclass
class Staged:
    """The outcome of staging: which files were written, which are unchanged, their records."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    records: dict[str, Record] = field(default_factory=dict)


@dataclass(frozen=True)
class StagedFile:
    """A file already staged (by a worker process): where, its digest, and its record."""

    path: str
    digest: str
    record: Record
    written: bool  # False: the previous output holds these bytes already


@dataclass(frozen=True)
class StagingSpot:
    """Where to stage files: small and picklable, so that a worker process can stage too."""

    folder: str
    output: str
    made: set[str] = field(default_factory=set, compare=False)  # folders made here, by this process

    def stage(self, rel: str, data: bytes, digest: str, entry: Record | None) -> StagedFile:
        """Write ``data`` to the staging folder unless the output already holds it.

        ``entry`` is the previous output's manifest record for ``rel``, if any.
        """
        rel = safe_relative(rel)
        old = f"{self.output}/{rel}"  # strings, not Paths: thousands of them, cheaper and smaller
        if entry is not None and holds(old, digest, entry):
            return StagedFile(rel, digest, entry, written=False)
        if _same_bytes(old, data):
            return StagedFile(
                rel, digest, record_of(old, digest) or ("", -1, -1, -1), written=False
            )
        stat = _create(f"{self.folder}/{rel}", data, self.made)
        return StagedFile(rel, digest, (digest, stat.st_size, stat.st_mtime_ns, stat.st_ino), True)

    def stage_stored(
        self, rel: str, digest: str, entry: Record | None, load: Callable[[], bytes]
    ) -> StagedFile:
        """``stage`` for a page the cache holds: its bytes are loaded (``load``) only if the
        previous output does not hold them already."""
        if entry is not None and holds(f"{self.output}/{safe_relative(rel)}", digest, entry):
            return StagedFile(safe_relative(rel), digest, entry, written=False)
        return self.stage(rel, load(), digest, entry)


def stage_files(
    files: Iterable[FileToWrite | StagedFile],
    staging: Path,
    previous: Path,
    manifest: Manifest | None = None,
    spot: StagingSpot | None = None,
) -> Staged:
    """Write the files that changed into ``staging``; note the ones ``previous`` already has."""
    manifest = manifest or Manifest(str(previous))
    spot = spot or StagingSpot(str(staging), str(previous))
    staged = Staged()
    for file in files:
        rel = safe_relative(file.path)
        if rel in staged.records:
            raise UnsafePath(f"two files of the build would be written to {rel}")
        if isinstance(file, StagedFile):
            done = file
        else:
            known: str | None = getattr(file, "digest", None)
            if known is not None and manifest.holds(rel, known):
                staged.unchanged.append(rel)
                staged.records[rel] = manifest.files[rel]
                continue
            data = file.data
            digest = known or hashlib.sha256(data).hexdigest()
            done = spot.stage(rel, data, digest, manifest.files.get(rel))
        (staged.written if done.written else staged.unchanged).append(rel)
        staged.records[rel] = done.record
    return staged


def safe_relative(path: str) -> str:
    """Refuse absolute paths and ``..``: no rendered file may escape the output folder."""
    wrapped = f"/{path}/"
    plain = "//" not in wrapped and "/./" not in wrapped and "/../" not in wrapped
    if plain and "\\" not in path and "\0" not in path:
        return path  # already a plain relative path: the common case, checked cheaply
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or "\0" in path or not pure.parts:
        raise UnsafePath(f"refusing to write outside the output folder: {path!r}")
    return pure.as_posix()


def _create(target: str, data: bytes, made_dirs: set[str]) -> os.stat_result:
    """Write a new file, making its folder first if needed; its stat once written."""
    folder = target.rpartition("/")[0]
    if folder not in made_dirs:
        try:
            os.mkdir(folder)  # most pages have a folder of their own, whose parent exists
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        made_dirs.add(folder)
    Path(target).write_bytes(data)
    return os.stat(target)


def _same_bytes(old: str, data: bytes) -> bool:
    try:
        if os.stat(old).st_size != len(data):
            return False
        with open(old, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False
