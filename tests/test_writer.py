"""Atomic output: staged, swapped in, unchanged files untouched, failures leave no trace."""

from pathlib import Path

import pytest

from site_gen.render import OutputFile
from site_gen.writer import UnsafePath, write_site


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


@pytest.mark.parametrize("bad", ["../x", "/etc/x", "a/../../x", "a\\..\\x", ""])
def test_paths_outside_the_output_are_refused(tmp_path: Path, bad: str):
    with pytest.raises(UnsafePath):
        write_site([OutputFile(bad, b"x")], tmp_path / "output")
    assert not (tmp_path / "output").exists()


def test_two_files_on_one_path_are_refused(tmp_path: Path):
    with pytest.raises(UnsafePath, match="two files"):
        write_site(files(a="1") + files(a="2"), tmp_path / "output")


def test_leftovers_of_a_killed_build_are_cleaned(tmp_path: Path):
    out = tmp_path / "output"
    write_site(files(a="1"), out)
    (tmp_path / ".output.staging-stale").mkdir()
    write_site(files(a="2"), out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
