"""Write the rendered site atomically: stage what changed, then put it in place at once.

Files are staged in a sibling folder; nothing under ``output/`` is touched until every file
of the build was rendered and staged, so a failed build leaves the previous output exactly
as it was. Files whose bytes did not change are not written again. Then one of two ways:

* **swap** (the default): unchanged files are hard-linked from the previous output into the
  staging folder, which then replaces ``output/`` in one atomic exchange where the OS offers
  one. Leftovers of a killed build are cleaned up next time.
* **patch** (a few files changed in a large site, e.g. one edited posting): the staged files
  are moved into ``output/`` one ``rename`` each, and files the build no longer makes are
  deleted. A journal naming them is written first, so a build killed halfway is finished by
  the next one. Every file is replaced atomically; the whole set within milliseconds,
  instead of relinking thousands of unchanged files. The files to delete are found in the
  manifest, so a file that something else put into ``output/`` stays until the next swap.

A manifest of the files last written (SHA-256, size, mtime, inode), kept in the build cache
folder, tells which old files are unchanged without reading them: a file whose size, mtime
and inode are still as recorded has the recorded hash. Without a manifest, or for a file
that no longer matches it, the old bytes are compared.

Staging folders carry their build's process id, so that a build never deletes the staging
folder of another build that is still running (the preview server's, say).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from site_gen.errors import SitegenError

STAGING_TAG = ".staging-"
OLD_TAG = ".old-"
JOURNAL = ".sitegen-patch.json"
MANIFEST_FORMAT = 1
PATCH_LIMIT = 200  # more changed files than this: stage the whole site and swap it in
_RENAME_EXCHANGE = 2

Record = tuple[str, int, int, int] | list[Any]  # sha256, size, mtime_ns, inode (a list from JSON)


class FileToWrite(Protocol):
    """A file of the site, such as pages.OutputFile or StoredFile: its path and bytes."""

    @property
    def path(self) -> str: ...

    @property
    def data(self) -> bytes: ...


@dataclass(frozen=True)
class WriteReport:
    changed: tuple[str, ...]  # the files written: new, or with bytes other than before
    unchanged: int

    @property
    def written(self) -> int:
        return len(self.changed)

    @property
    def total(self) -> int:
        return self.written + self.unchanged


class UnsafePath(SitegenError):
    """A rendered file would land outside the output folder."""


class WriteError(SitegenError):
    """The file system refused a write (disk full, no permission); nothing was swapped in."""


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
        return _holds(f"{self.output}/{rel}", digest, self.files.get(rel))


def _holds(path: str, digest: str, entry: Record | None) -> bool:
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
        if kept is not None and kept[0] == _record(self.path, "") and kept[1].output == str(output):
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
        identity = _record(self.path, "") if self.path is not None else None
        self._kept = (identity, manifest) if identity is not None else None


@dataclass
class Staged:
    """The outcome of staging: which files were written, which are unchanged, their records."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    records: dict[str, Record] = field(default_factory=dict)


def write_site(
    files: Iterable[FileToWrite | StagedFile],
    output: Path,
    manifest: ManifestFile | Path | None = None,
) -> WriteReport:
    """Stage ``files`` (objects with ``path`` and ``data``) and put them in place as ``output``.

    A file may also have a ``digest`` (SHA-256 of its data); if the manifest at ``manifest``
    shows the output already holds those bytes, ``data`` is never read. A ``StagedFile`` is
    a file a worker process already staged (see ``Staging``).
    """
    with Staging(output, manifest) as staging:
        return staging.finish(files)


class Staging:
    """One build's staging folder beside ``output``, and the previous output's manifest.

    Opened before rendering, so that worker processes can stage the pages they render
    themselves (``spot``): the bytes of a page then never travel back to this process.
    ``finish`` stages the rest and puts the whole set in place; leaving the ``with`` block
    without finishing (an error) deletes the staging folder and leaves ``output`` alone.
    """

    def __init__(self, output: Path, manifest: ManifestFile | Path | None = None) -> None:
        # A symbolic link as the output (output -> /var/www/board) stays; its target is replaced.
        self.output = Path(os.path.realpath(output))
        self.manifest = manifest if isinstance(manifest, ManifestFile) else ManifestFile(manifest)
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            clean_leftovers(self.output)
            self.previous = self.manifest.load(self.output)
            prefix = f".{self.output.name}{STAGING_TAG}{os.getpid()}-"
            self.folder = Path(tempfile.mkdtemp(prefix=prefix, dir=self.output.parent))
        except OSError as exc:
            raise _write_error(self.output, exc) from None
        self.spot = StagingSpot(str(self.folder), str(self.output))

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.folder.exists():  # not finished: an error on the way
            shutil.rmtree(self.folder, ignore_errors=True)

    def entry(self, rel: str) -> Record | None:
        """What the previous output's manifest says of ``rel`` (for a worker's ``stage``)."""
        return self.previous.files.get(rel)

    def finish(self, files: Iterable[FileToWrite | StagedFile]) -> WriteReport:
        """Stage ``files`` and put the staged site in place of ``output``."""
        output, staging = self.output, self.folder
        try:
            staged = stage_files(files, staging, output, self.previous, self.spot)
            stale = patch_plan(output, staged, self.previous)
            if stale is not None:
                patch_in(staging, output, staged.written, stale)
            else:
                link_unchanged(output, staging, staged)
                swap_in(staging, output)
        except BaseException as exc:
            close = getattr(files, "close", None)
            if close is not None:
                close()  # stop the render first: its workers may still be staging pages
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise _write_error(output, exc) from None
            raise
        if staged.records != self.previous.files:
            self.manifest.save(Manifest(str(output), staged.records))  # else as saved
        return WriteReport(tuple(staged.written), len(staged.unchanged))


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
        if entry is not None and _holds(old, digest, entry):
            return StagedFile(rel, digest, entry, written=False)
        if _same_bytes(old, data):
            return StagedFile(rel, digest, _record(old, digest) or ("", -1, -1, -1), written=False)
        stat = _create(f"{self.folder}/{rel}", data, self.made)
        return StagedFile(rel, digest, (digest, stat.st_size, stat.st_mtime_ns, stat.st_ino), True)


def check_output_folder(output: Path, root: Path) -> None:
    """Refuse an output folder whose replacement would delete the board's own files.

    The swap replaces the whole output folder, so ``--output .`` or ``output_dir =
    "content/jobs"`` would otherwise replace the postings with the built site.
    """
    target = Path(os.path.realpath(output))
    board = Path(os.path.realpath(root))
    if target == board or target in board.parents:
        raise SitegenError(f"{output}: cannot build into the board's own folder; choose another")
    for name in ("content", "templates", "static", "themes", "sitegen.toml"):
        kept = board / name
        if target == kept or target in kept.parents or kept in target.parents:
            raise SitegenError(
                f"{output}: cannot build into the board's {name}; choose another output folder"
            )


def _write_error(output: Path, exc: OSError) -> WriteError:
    reason = exc.strerror or str(exc)
    return WriteError(
        f"{output}: could not write the site ({reason}); the previous output was left as it was"
    )


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


def _record(path: Path | str, digest: str) -> Record | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (digest, stat.st_size, stat.st_mtime_ns, stat.st_ino)


def patch_plan(output: Path, staged: Staged, previous: Manifest | None = None) -> list[str] | None:
    """The files to delete if patching ``output`` in place is right, else None (swap).

    The files now in ``output`` are the previous build's, as its manifest lists them (no
    need to walk thousands of folders); without a manifest, the folder is walked.
    """
    if len(staged.written) > PATCH_LIMIT or not output.is_dir():
        return None
    existing = previous.files.keys() if previous and previous.files else existing_files(output)
    stale = sorted(set(existing) - staged.records.keys())
    if len(staged.written) + len(stale) > PATCH_LIMIT:
        return None
    if any(not _fits(output, rel) for rel in staged.written):
        return None
    return stale


def existing_files(output: Path) -> Iterable[str]:
    """Every file below ``output``, as a relative POSIX path."""
    skip = len(str(output)) + 1
    for folder, _, names in os.walk(output):
        base = folder[skip:].replace(os.sep, "/")
        for name in names:
            yield f"{base}/{name}" if base else name


def _fits(output: Path, rel: str) -> bool:
    """A file can be renamed to ``output/rel``: no folder there, no file where a folder goes."""
    target = output / rel
    if target.is_dir():
        return False
    parent = target.parent
    while parent != output:
        if parent.exists() and not parent.is_dir():
            return False
        parent = parent.parent
    return True


def patch_in(staging: Path, output: Path, written: list[str], stale: list[str]) -> None:
    """Move the staged files into ``output`` and delete the stale ones, journal first."""
    (staging / JOURNAL).write_text(json.dumps({"written": written, "stale": stale}))
    apply_patch(staging, output, written, stale)
    shutil.rmtree(staging)


def apply_patch(staging: Path, output: Path, written: list[str], stale: list[str]) -> None:
    """Idempotent, so that a killed patch can be finished by running it again."""
    for rel in map(safe_relative, written):
        source = staging / rel
        if source.exists():
            (output / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, output / rel)
    for rel in map(safe_relative, stale):
        target = output / rel
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != output and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def link_unchanged(output: Path, staging: Path, staged: Staged) -> None:
    """Hard-link the unchanged files from the previous output into the staging folder."""
    for rel in staged.unchanged:
        source, target = f"{output}/{rel}", f"{staging}/{rel}"
        try:
            _link(source, target)
        except OSError:  # no hard links here (another file system): copy instead
            shutil.copy2(source, target)
            digest = str(staged.records[rel][0])
            staged.records[rel] = _record(target, digest) or ("", -1, -1, -1)


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except FileNotFoundError:
        if not os.path.exists(source):
            raise
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(source, target)


def swap_in(staging: Path, output: Path) -> None:
    """Make ``staging`` the new ``output`` and remove the old one."""
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging)
        return
    old = output.parent / f".{output.name}{OLD_TAG}{os.getpid()}"
    os.rename(output, old)
    os.rename(staging, output)
    shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux ``renameat2``; False where unavailable."""
    import ctypes.util  # here: only a build that replaces a whole output folder needs it

    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result: int = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def clean_leftovers(output: Path) -> None:
    """Undo what a killed build left: restore a moved-away output, finish a journalled patch,
    delete stale staging folders.

    Folders of a build whose process still runs are left alone: that build is not dead,
    only concurrent, and will finish (or clean up) by itself.
    """
    parent = output.parent
    olds = sorted(p for p in parent.glob(f".{output.name}{OLD_TAG}*") if not _owner_alive(p))
    if olds and not output.exists():
        os.rename(olds[0], output)
        olds = olds[1:]
    staged = [p for p in parent.glob(f".{output.name}{STAGING_TAG}*") if not _owner_alive(p)]
    for staging in staged:
        journal = staging / JOURNAL
        if journal.exists() and output.is_dir():
            try:
                plan = json.loads(journal.read_text())
                apply_patch(staging, output, plan["written"], plan["stale"])
            except (OSError, ValueError, KeyError, TypeError, UnsafePath):
                pass
    for stale in [*olds, *staged]:
        shutil.rmtree(stale, ignore_errors=True)


_OWNER = re.compile(rf"(?:{re.escape(STAGING_TAG)}|{re.escape(OLD_TAG)})(\d+)(?:-|$)")


def _owner_alive(folder: Path) -> bool:
    """Whether the build process named in a staging or old folder's name still runs."""
    found = _OWNER.search(folder.name)
    if not found:
        return False  # no process id in the name: an older sitegen's leftover
    try:
        os.kill(int(found.group(1)), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
