"""Atomic output: staged, swapped in, unchanged files untouched, failures leave no trace."""

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from site_gen.errors import SitegenError
from site_gen.output_manifest import ManifestFile
from site_gen.pages import OutputFile
from site_gen.writer import WriteError, check_output_folder, write_site


def files(**contents: str) -> list[OutputFile]:
    return [OutputFile(name.replace("__", "/"), text.encode()) for name, text in contents.items()]


def test_writes_and_replaces_the_whole_tree(tmp_path: Path):
    out = tmp_path / "output"
    write_site(files(a="1", sub__b="2"), out)
    report = write_site(files(a="1", c="3"), out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "a",
        "c",
    ]
    assert (report.written, report.unchanged) == (1, 1)


def test_unchanged_files_keep_their_inode_and_mtime(tmp_path: Path):
    out = tmp_path / "output"
    write_site(files(a="1"), out)
    before = (out / "a").stat()
    write_site(files(a="1"), out)
    after = (out / "a").stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_a_missing_output_is_written_whole_without_a_lookup_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh clone with the cache restored: the manifest names files that are not there."""
    out, manifest = tmp_path / "output", ManifestFile(tmp_path / "manifest.json")
    write_site(files(a="1", sub__b="2"), out, manifest)
    out.rename(tmp_path / "elsewhere")
    inside = os.path.realpath(out) + "/"
    looked: list[str] = []
    real_stat = os.stat

    def spy(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if str(path).startswith(inside):
            looked.append(str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", spy)
    report = write_site(files(a="1", sub__b="2"), out, manifest)
    monkeypatch.undo()
    assert (report.written, report.unchanged) == (2, 0)
    assert looked == []
    assert (out / "sub" / "b").read_text() == "2"
    # The manifest saved describes the new files: the next build finds them unchanged.
    assert write_site(files(a="1", sub__b="2"), out, manifest).unchanged == 2


def test_a_failure_midway_leaves_the_previous_output_and_no_staging(tmp_path: Path):
    out = tmp_path / "output"
    write_site(files(a="old"), out)

    def broken():
        yield OutputFile("a", b"new")
        raise RuntimeError("template blew up")

    with pytest.raises(RuntimeError):
        write_site(broken(), out)
    assert (out / "a").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_staging_folders_carry_the_process_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real_open = os.open

    def spy(path: str, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if flags & os.O_CREAT:
            seen.append(Path(path).parent.name)
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    write_site([OutputFile("index.html", b"x")], tmp_path / "output")
    assert seen[0].startswith(f".output.staging-{os.getpid()}-")


def test_a_write_error_is_one_line_and_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    write_site([OutputFile("index.html", b"old")], output)

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(WriteError) as caught:
        write_site([OutputFile("index.html", b"new")], output)
    assert str(caught.value) == (
        f"{output}: could not write the site (No space left on device); "
        "the previous output was left as it was"
    )
    assert (output / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_an_output_that_is_a_link_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "output").symlink_to(tmp_path / "real")
    write_site([OutputFile("index.html", b"one")], tmp_path / "output")
    write_site([OutputFile("index.html", b"two")], tmp_path / "output")
    assert (tmp_path / "output").is_symlink()
    assert (tmp_path / "real" / "index.html").read_bytes() == b"two"


@pytest.mark.parametrize(
    "output",
    [".", "..", "content", "content/jobs", "content/new", "templates", "static/x", "themes"],
)
def test_the_board_is_never_the_output(tmp_path: Path, output: str) -> None:
    root = tmp_path / "board"
    (root / "content" / "jobs").mkdir(parents=True)
    with pytest.raises(SitegenError, match="cannot build into the board"):
        check_output_folder(root / output, root)


@pytest.mark.parametrize("output", ["output", "public/site", "../elsewhere"])
def test_other_folders_may_be_the_output(tmp_path: Path, output: str) -> None:
    root = tmp_path / "board"
    (root / "content").mkdir(parents=True)
    check_output_folder(root / output, root)
