"""The writer's fast paths: the manifest, patching a few files in place, finishing a killed patch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_gen import writer
from site_gen.pages import OutputFile
from site_gen.writer import JOURNAL, STAGING_TAG, Manifest, ManifestFile, write_site
from tests.helpers import tree_bytes


def site(pages: dict[str, str]) -> list[OutputFile]:
    return [OutputFile(path, text.encode()) for path, text in pages.items()]


PAGES = {f"jobs/job-{i}/index.html": f"<p>job {i}</p>" for i in range(30)} | {
    "index.html": "<p>index</p>"
}


def test_patch_and_swap_give_the_same_tree(tmp_path: Path, monkeypatch) -> None:
    changed = {**PAGES, "jobs/job-3/index.html": "<p>edited</p>", "jobs/new/index.html": "new"}
    del changed["jobs/job-7/index.html"]
    results = {}
    for limit in (0, 1000):  # 0: always swap; 1000: always patch
        monkeypatch.setattr(writer, "PATCH_LIMIT", limit)
        out = tmp_path / f"out-{limit}"
        write_site(site(PAGES), out, tmp_path / f"manifest-{limit}.json")
        report = write_site(site(changed), out, tmp_path / f"manifest-{limit}.json")
        assert (report.written, report.unchanged) == (2, len(changed) - 2)
        results[limit] = tree_bytes(out)
    assert results[0] == results[1000] == {k: v.encode() for k, v in changed.items()}
    assert not (tmp_path / "out-1000" / "jobs" / "job-7").exists()  # emptied folder removed


def test_manifest_spares_reading_unchanged_files(tmp_path: Path) -> None:
    out, manifest = tmp_path / "out", tmp_path / "manifest.json"
    first = [
        OutputFile(f.path, f.data, writer.hashlib.sha256(f.data).hexdigest()) for f in site(PAGES)
    ]
    write_site(first, out, manifest)

    class Unreadable:
        def __init__(self, file: OutputFile) -> None:
            self.path, self.digest = file.path, file.digest

        @property
        def data(self) -> bytes:
            raise AssertionError(f"{self.path}: bytes read although the output has them")

    report = write_site([Unreadable(f) for f in first], out, manifest)
    assert (report.written, report.unchanged) == (0, len(PAGES))


def test_file_changed_behind_the_manifest_is_rewritten(tmp_path: Path) -> None:
    out, manifest = tmp_path / "out", tmp_path / "manifest.json"
    files = [
        OutputFile(f.path, f.data, writer.hashlib.sha256(f.data).hexdigest()) for f in site(PAGES)
    ]
    write_site(files, out, manifest)
    (out / "index.html").write_text("<p>hand-edited, same size?</p>")
    report = write_site(files, out, manifest)
    assert report.written == 1
    assert (out / "index.html").read_text() == "<p>index</p>"


@pytest.mark.parametrize("damage", ["not json", '{"format": 99}', '{"format": 1, "files": 3}'])
def test_damaged_manifest_is_ignored(tmp_path: Path, damage: str) -> None:
    out, manifest = tmp_path / "out", tmp_path / "manifest.json"
    write_site(site(PAGES), out, manifest)
    manifest.write_text(damage)
    assert Manifest.read(manifest, out).files == {}
    report = write_site(site(PAGES), out, manifest)
    assert report.written == 0  # the bytes were compared instead


def test_killed_patch_is_finished_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(site(PAGES), out)
    staging = tmp_path / f".out{STAGING_TAG}killed"
    (staging / "jobs/job-1").mkdir(parents=True)
    (staging / "jobs/job-1/index.html").write_text("<p>new</p>")
    plan = {"written": ["jobs/job-1/index.html"], "stale": ["jobs/job-2/index.html"]}
    (staging / JOURNAL).write_text(json.dumps(plan))
    writer.clean_leftovers(out.absolute())
    assert (out / "jobs/job-1/index.html").read_text() == "<p>new</p>"
    assert not (out / "jobs/job-2").exists()
    assert not staging.exists()


def test_journal_cannot_reach_outside_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(site(PAGES), out)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    staging = tmp_path / f".out{STAGING_TAG}evil"
    staging.mkdir()
    (staging / JOURNAL).write_text(json.dumps({"written": [], "stale": ["../victim.txt"]}))
    writer.clean_leftovers(out.absolute())
    assert victim.read_text() == "keep me"


def hashed(pages: dict[str, str]) -> list[OutputFile]:
    return [
        OutputFile(f.path, f.data, writer.hashlib.sha256(f.data).hexdigest()) for f in site(pages)
    ]


def test_unchanged_manifest_is_not_written_again(tmp_path: Path) -> None:
    out, manifest = tmp_path / "out", tmp_path / "manifest.json"
    write_site(hashed(PAGES), out, manifest)
    before = manifest.stat()
    write_site(hashed(PAGES), out, manifest)  # nothing changed: neither did the manifest
    after = manifest.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    write_site(hashed({**PAGES, "index.html": "<p>new</p>"}), out, manifest)
    digest = writer.hashlib.sha256(b"<p>new</p>").hexdigest()
    assert json.loads(manifest.read_text())["files"]["index.html"][0] == digest


def test_manifest_kept_in_memory_still_notices_changed_and_deleted_files(tmp_path: Path) -> None:
    out, manifest = tmp_path / "out", ManifestFile(tmp_path / "manifest.json")
    write_site(hashed(PAGES), out, manifest)
    write_site(hashed(PAGES), out, manifest)  # ``manifest`` now holds it in memory
    (out / "index.html").write_text("<p>changed by someone else</p>")
    (out / "jobs/job-3/index.html").unlink()
    report = write_site(hashed(PAGES), out, manifest)
    assert report.written == 2
    assert tree_bytes(out) == {k: v.encode() for k, v in PAGES.items()}


def test_manifest_kept_in_memory_gives_way_to_its_file_changing(tmp_path: Path) -> None:
    out, path = tmp_path / "out", tmp_path / "manifest.json"
    manifest = ManifestFile(path)  # kept in memory after the first write
    write_site(hashed(PAGES), out, manifest)
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

    write_site([Counted(f) for f in hashed(PAGES)], out, manifest)
    assert read == ["index.html"]  # the manifest on disk was read, not the one in memory
