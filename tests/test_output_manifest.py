"""The output's manifest: unchanged files are known without reading them, and a manifest that
no longer matches the files (damaged, edited behind it) is not trusted."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from site_gen.output_manifest import Manifest, ManifestFile
from site_gen.pages import OutputFile
from site_gen.writer import write_site
from tests.helpers import OUTPUT_PAGES, output_files, tree_bytes


def hashed(pages: dict[str, str]) -> list[OutputFile]:
    return [
        OutputFile(f.path, f.data, hashlib.sha256(f.data).hexdigest()) for f in output_files(pages)
    ]


def test_manifest_spares_reading_unchanged_files(tmp_path: Path) -> None:
    out, manifest = tmp_path / "out", tmp_path / "manifest.json"
    first = hashed(OUTPUT_PAGES)
    write_site(first, out, manifest)

    class Unreadable:
        def __init__(self, file: OutputFile) -> None:
            self.path, self.digest = file.path, file.digest

        @property
        def data(self) -> bytes:
            raise AssertionError(f"{self.path}: bytes read although the output has them")

    report = write_site([Unreadable(f) for f in first], out, manifest)
    assert (report.written, report.unchanged) == (0, len(OUTPUT_PAGES))


def test_file_changed_behind_the_manifest_is_rewritten(tmp_path: Path) -> None:
    out, manifest = tmp_path / "out", tmp_path / "manifest.json"
    files = hashed(OUTPUT_PAGES)
    write_site(files, out, manifest)
    (out / "index.html").write_text("<p>hand-edited, same size?</p>")
    report = write_site(files, out, manifest)
    assert report.written == 1
    assert (out / "index.html").read_text() == "<p>index</p>"


@pytest.mark.parametrize("damage", ["not json", '{"format": 99}', '{"format": 1, "files": 3}'])
def test_damaged_manifest_is_ignored(tmp_path: Path, damage: str) -> None:
    out, manifest = tmp_path / "out", tmp_path / "manifest.json"
    write_site(output_files(OUTPUT_PAGES), out, manifest)
    manifest.write_text(damage)
    assert Manifest.read(manifest, out).files == {}
    report = write_site(output_files(OUTPUT_PAGES), out, manifest)
    assert report.written == 0  # the bytes were compared instead


def test_unchanged_manifest_is_not_written_again(tmp_path: Path) -> None:
    out, manifest = tmp_path / "out", tmp_path / "manifest.json"
    write_site(hashed(OUTPUT_PAGES), out, manifest)
    before = manifest.stat()
    write_site(hashed(OUTPUT_PAGES), out, manifest)  # nothing changed: neither did the manifest
    after = manifest.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    write_site(hashed({**OUTPUT_PAGES, "index.html": "<p>new</p>"}), out, manifest)
    digest = hashlib.sha256(b"<p>new</p>").hexdigest()
    assert json.loads(manifest.read_text())["files"]["index.html"][0] == digest


def test_manifest_kept_in_memory_still_notices_changed_and_deleted_files(tmp_path: Path) -> None:
    out, manifest = tmp_path / "out", ManifestFile(tmp_path / "manifest.json")
    write_site(hashed(OUTPUT_PAGES), out, manifest)
    write_site(hashed(OUTPUT_PAGES), out, manifest)  # ``manifest`` now holds it in memory
    (out / "index.html").write_text("<p>changed by someone else</p>")
    (out / "jobs/job-3/index.html").unlink()
    report = write_site(hashed(OUTPUT_PAGES), out, manifest)
    assert report.written == 2
    assert tree_bytes(out) == {k: v.encode() for k, v in OUTPUT_PAGES.items()}


def test_manifest_kept_in_memory_gives_way_to_its_file_changing(tmp_path: Path) -> None:
    out, path = tmp_path / "out", tmp_path / "manifest.json"
    manifest = ManifestFile(path)  # kept in memory after the first write
    write_site(hashed(OUTPUT_PAGES), out, manifest)
    data = json.loads(path.read_text())
    del data["files"]["index.html"]  # another process's build, say, wrote a different one
    path.write_text(json.dumps(data))
    read: list[str] = []

    class Counted:
        def __init__(self, file: OutputFile) -> None:
            self.path, self.digest, self._data = file.path, file.digest, file.data

        @property
        def data(self) -> bytes:
            read.append(self.path)
            return self._data

    write_site([Counted(f) for f in hashed(OUTPUT_PAGES)], out, manifest)
    assert read == ["index.html"]  # the manifest on disk was read, not the one in memory
