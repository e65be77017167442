"""Staging files: no file may land outside the output folder, and no two on one path."""

from pathlib import Path

import pytest

from site_gen.cache_keys import digest_of
from site_gen.output_manifest import record_of
from site_gen.pages import OutputFile
from site_gen.staged_files import StagingSpot, UnsafePath, safe_relative
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


def test_a_stored_page_is_read_only_if_the_output_lacks_it(tmp_path: Path) -> None:
    (tmp_path / "output").mkdir()
    (tmp_path / "staging").mkdir()
    (tmp_path / "output" / "kept.html").write_bytes(b"kept")
    spot = StagingSpot(str(tmp_path / "staging"), str(tmp_path / "output"))
    loaded: list[str] = []

    def load(name: str) -> bytes:
        loaded.append(name)
        return name.encode()

    digest = digest_of(b"kept")
    entry = record_of(str(tmp_path / "output" / "kept.html"), digest)
    kept = spot.stage_stored("kept.html", digest, entry, lambda: load("kept"))
    new = spot.stage_stored("new/index.html", digest_of(b"new"), None, lambda: load("new"))
    assert (kept.written, new.written) == (False, True)
    assert loaded == ["new"]
    assert (tmp_path / "staging" / "new" / "index.html").read_bytes() == b"new"
