"""The manifest of the output folder: the files the last build wrote, each with its SHA-256,
size, mtime and inode, kept in the build cache folder. It tells which old files are
unchanged without reading them: a file whose size, mtime and inode are still as recorded
has the recorded hash. Without a manifest, or for a file that no longer matches it, the
writer compares the old bytes instead.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_FORMAT = 1


Record = tuple[str, int, int, int] | list[Any]  # sha256, size, mtime_ns, inode (a list from JSON)


@dataclass
class Manifest:
    """What the last build wrote to ``output``: path -> (sha256, size, mtime_ns, inode)."""

    output: str
    files: dict[str, Record] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path, output: Path) -> Manifest:
        """The saved manifest for ``output``; an empty one if missing, damaged or foreign."""
        empty = cls(str(output))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data["format"] != MANIFEST_FORMAT or data["output"] != str(output):
                return empty
            files = data["files"]
        except (OSError, ValueError, KeyError, TypeError):
            return empty
        # Entries are checked one by one when used (``holds``), not all up front.
        if not isinstance(files, dict):
            return empty
        return cls(str(output), files)

    def write(self, path: Path) -> bool:
        data = {"format": MANIFEST_FORMAT, "output": self.output, "files": self.files}
        temporary = path.with_name(path.name + ".tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            os.replace(temporary, path)
        except OSError:
            return False  # without a manifest the next build compares bytes instead
        return True

    def holds(self, rel: str, digest: str) -> bool:
        """True if ``output/rel`` still has exactly the bytes with this ``digest``."""
        return holds(f"{self.output}/{rel}", digest, self.files.get(rel))


def holds(path: str, digest: str, entry: Record | None) -> bool:
    """True if the file at ``path`` is as its manifest ``entry`` records it, with ``digest``:
    its size, mtime and inode are as recorded (one ``stat``, the whole cost of a no-op
    build's check of an unchanged file)."""
    if not isinstance(entry, (list, tuple)) or len(entry) != 4 or entry[0] != digest:
        return False
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return entry[1] == stat.st_size and entry[2] == stat.st_mtime_ns and entry[3] == stat.st_ino


class ManifestFile:
    """Where the manifest of one output folder is kept, and (for a builder kept open, such as
    the preview server's) the last one loaded or saved, used again while its file is as
    this object left it: a large site's manifest is megabytes of JSON."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._kept: tuple[Record | None, Manifest] | None = None

    def load(self, output: Path) -> Manifest:
        if self.path is None:
            return Manifest(str(output))
        kept = self._kept
        if (
            kept is not None
            and kept[0] == record_of(self.path, "")
            and kept[1].output == str(output)
        ):
            return Manifest(kept[1].output, dict(kept[1].files))
        loaded = Manifest.read(self.path, output)
        self._keep(loaded)
        return Manifest(loaded.output, dict(loaded.files))

    def save(self, manifest: Manifest) -> None:
        if self.path is None:
            return
        if manifest.write(self.path):
            self._keep(Manifest(manifest.output, dict(manifest.files)))
        else:
            self._kept = None

    def _keep(self, manifest: Manifest) -> None:
        identity = record_of(self.path, "") if self.path is not None else None
        self._kept = (identity, manifest) if identity is not None else None


def record_of(path: Path | str, digest: str) -> Record | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (digest, stat.st_size, stat.st_mtime_ns, stat.st_ino)
