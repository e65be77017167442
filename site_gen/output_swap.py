"""Put a staged site in place of the output folder, one of two ways:

* **swap** (the default): unchanged files are hard-linked from the previous output into the
  staging folder, which then replaces ``output/`` in one atomic exchange where the OS offers
  one. Leftovers of a killed build are cleaned up next time.
* **patch** (a few files changed in a large site, e.g. one edited posting): the staged files
  are moved into ``output/`` one ``rename`` each, and files the build no longer makes are
  deleted. A journal naming them is written first, so a build killed halfway is finished by
  the next one. Every file is replaced atomically; the whole set within milliseconds,
  instead of relinking thousands of unchanged files. The files to delete are found in the
  manifest, so a file that something else put into ``output/`` stays until the next swap.

Staging folders carry their build's process id, so that a build never deletes the staging
folder of another build that is still running (the preview server's, say).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from site_gen.output_manifest import Manifest, record_of
from site_gen.staged_files import Staged, UnsafePath, safe_relative

STAGING_TAG = ".staging-"


OLD_TAG = ".old-"


JOURNAL = ".sitegen-patch.json"


PATCH_LIMIT = 200  # more changed files than this: stage the whole site and swap it in


_RENAME_EXCHANGE = 2


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
            staged.records[rel] = record_of(target, digest) or ("", -1, -1, -1)


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
