"""Write the rendered site atomically: stage what changed, then put it in place at once.

Files are staged in a sibling folder (``staged_files``); nothing under ``output/`` is touched
until every file of the build was rendered and staged, so a failed build leaves the previous
output exactly as it was. Files whose bytes did not change are not written again (the
output's manifest, ``output_manifest``, tells which without reading them). Then the staged
site is swapped in whole, or a few changed files are patched in (``output_swap``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from site_gen.errors import SitegenError
from site_gen.interrupts import held_interrupts
from site_gen.output_manifest import Manifest, ManifestFile, Record
from site_gen.output_swap import (
    STAGING_TAG,
    clean_leftovers,
    link_unchanged,
    patch_in,
    patch_plan,
    swap_in,
)
from site_gen.staged_files import FileToWrite, StagedFile, StagingSpot, stage_files


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


class WriteError(SitegenError):
    """The file system refused a write (disk full, no permission); nothing was swapped in."""


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
            # No output folder (a fresh clone with the cache restored): no file to compare
            # with, so not one lookup per file to find that out, whatever a manifest says.
            fresh = not self.output.is_dir()
            self.previous = Manifest(str(self.output)) if fresh else self.manifest.load(self.output)
            prefix = f".{self.output.name}{STAGING_TAG}{os.getpid()}-"
            self.folder = Path(tempfile.mkdtemp(prefix=prefix, dir=self.output.parent))
        except OSError as exc:
            raise _write_error(self.output, exc) from None
        self.spot = StagingSpot(str(self.folder), str(self.output), fresh)

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
            if stale is None:
                link_unchanged(output, staging, staged)
            with held_interrupts(output):  # from here on the new site goes in, whole
                if stale is not None:
                    patch_in(staging, output, staged.written, stale)
                else:
                    swap_in(staging, output)
                if staged.records != self.previous.files:
                    self.manifest.save(Manifest(str(output), staged.records))  # else as saved
        except BaseException as exc:
            close = getattr(files, "close", None)
            if close is not None:
                close()  # stop the render first: its workers may still be staging pages
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise _write_error(output, exc) from None
            raise
        return WriteReport(tuple(staged.written), len(staged.unchanged))


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
