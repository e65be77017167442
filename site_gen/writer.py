"""Write the rendered site atomically: stage everything, then swap it into place.

The new site is written into a sibling staging folder. Files whose bytes did not change are
hard-linked from the previous output instead of written, so a second build rewrites nothing.
Only when every file is staged does the staging folder replace ``output/`` (an atomic
exchange where the OS offers one), so a failed, interrupted or killed build leaves the
previous output exactly as it was; leftovers of a killed build are cleaned up next time.
Staging folders carry their build's process id, so that a build never deletes the staging
folder of another build that is still running (the preview server's, say).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from site_gen.errors import SitegenError

STAGING_TAG = ".staging-"
OLD_TAG = ".old-"
_RENAME_EXCHANGE = 2


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.written + self.unchanged


class UnsafePath(SitegenError):
    """A rendered file would land outside the output folder."""


class WriteError(SitegenError):
    """The file system refused a write (disk full, no permission); nothing was swapped in."""


def write_site(files: Iterable[object], output: Path) -> WriteReport:
    """Stage ``files`` (objects with ``path`` and ``data``) and swap them in as ``output``."""
    # A symbolic link as the output (output -> /var/www/board) stays; its target is replaced.
    output = Path(os.path.realpath(output))
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(output)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{output.name}{STAGING_TAG}{os.getpid()}-", dir=output.parent)
        )
    except OSError as exc:
        raise _write_error(output, exc) from None
    try:
        report = stage_files(files, staging, output)
        swap_in(staging, output)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_error(output, exc) from None
        raise
    return report


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


def stage_files(files: Iterable[object], staging: Path, previous: Path) -> WriteReport:
    written = unchanged = 0
    made_dirs: set[Path] = set()
    for file in files:
        relative = safe_relative(file.path)  # type: ignore[attr-defined]
        data: bytes = file.data  # type: ignore[attr-defined]
        target = staging / relative
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        if target.exists():
            raise UnsafePath(f"two files of the build would be written to {relative}")
        old = previous / relative
        if _same_bytes(old, data) and _link(old, target):
            unchanged += 1
        else:
            target.write_bytes(data)
            written += 1
    return WriteReport(written, unchanged)


def safe_relative(path: str) -> str:
    """Refuse absolute paths and ``..``: no rendered file may escape the output folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or "\0" in path or not pure.parts:
        raise UnsafePath(f"refusing to write outside the output folder: {path!r}")
    return pure.as_posix()


def _same_bytes(old: Path, data: bytes) -> bool:
    try:
        if old.stat().st_size != len(data):
            return False
        return old.read_bytes() == data
    except OSError:
        return False


def _link(old: Path, target: Path) -> bool:
    try:
        os.link(old, target)
        return True
    except OSError:
        return False


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
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def clean_leftovers(output: Path) -> None:
    """Undo what a killed build left: restore a moved-away output, delete stale staging.

    Folders of a build whose process still runs are left alone: that build is not dead,
    only concurrent, and will finish (or clean up) by itself.
    """
    parent = output.parent
    olds = sorted(p for p in parent.glob(f".{output.name}{OLD_TAG}*") if not _owner_alive(p))
    if olds and not output.exists():
        os.rename(olds[0], output)
        olds = olds[1:]
    staged = [p for p in parent.glob(f".{output.name}{STAGING_TAG}*") if not _owner_alive(p)]
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
