"""Staging files: no file may land outside the output folder, and no two on one path."""

from pathlib import Path

import pytest

from site_gen.pages import OutputFile
from site_gen.staged_files import UnsafePath, safe_relative
from site_gen.writer import write_site
from tests.helpers import output_files


@pytest.mark.parametrize("bad", ["../x", "/etc/x", "a/../../x", "a\\..\\x", ""])
def test_paths_outside_the_output_are_refused(tmp_path: Path, bad: str):
    with pytest.raises(UnsafePath):
        write_site([OutputFile(bad, b"x")], tmp_path / "output")
    assert not (tmp_path / "output").exists()


def test_two_files_on_one_path_are_refused(tmp_path: Path):
    with pytest.raises(UnsafePath, match="two files"):
        write_site(output_files({"a": "1"}) + output_files({"a": "2"}), tmp_path / "output")


@pytest.mark.parametrize("path", ["/etc/passwd", "../x", "a/../../x", "a\\..\\x", "a\x00b", ""])
def test_unsafe_paths_are_refused(path: str) -> None:
    with pytest.raises(UnsafePath):
        safe_relative(path)
