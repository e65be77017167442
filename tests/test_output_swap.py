"""Putting the staged site in place: patch and swap give the same tree; what a killed build
left is finished or cleaned up, never what a running build is using."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from site_gen import output_swap
from site_gen.output_swap import JOURNAL, STAGING_TAG, clean_leftovers
from site_gen.writer import write_site
from tests.helpers import OUTPUT_PAGES, output_files, tree_bytes


def test_patch_and_swap_give_the_same_tree(tmp_path: Path, monkeypatch) -> None:
    changed = {
        **OUTPUT_PAGES,
        "jobs/job-3/index.html": "<p>edited</p>",
        "jobs/new/index.html": "new",
    }
    del changed["jobs/job-7/index.html"]
    results = {}
    for limit in (0, 1000):  # 0: always swap; 1000: always patch
        monkeypatch.setattr(output_swap, "PATCH_LIMIT", limit)
        out = tmp_path / f"out-{limit}"
        write_site(output_files(OUTPUT_PAGES), out, tmp_path / f"manifest-{limit}.json")
        report = write_site(output_files(changed), out, tmp_path / f"manifest-{limit}.json")
        assert (report.written, report.unchanged) == (2, len(changed) - 2)
        results[limit] = tree_bytes(out)
    assert results[0] == results[1000] == {k: v.encode() for k, v in changed.items()}
    assert not (tmp_path / "out-1000" / "jobs" / "job-7").exists()  # emptied folder removed


def test_killed_patch_is_finished_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(output_files(OUTPUT_PAGES), out)
    staging = tmp_path / f".out{STAGING_TAG}killed"
    (staging / "jobs/job-1").mkdir(parents=True)
    (staging / "jobs/job-1/index.html").write_text("<p>new</p>")
    plan = {"written": ["jobs/job-1/index.html"], "stale": ["jobs/job-2/index.html"]}
    (staging / JOURNAL).write_text(json.dumps(plan))
    clean_leftovers(out.absolute())
    assert (out / "jobs/job-1/index.html").read_text() == "<p>new</p>"
    assert not (out / "jobs/job-2").exists()
    assert not staging.exists()


def test_journal_cannot_reach_outside_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(output_files(OUTPUT_PAGES), out)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    staging = tmp_path / f".out{STAGING_TAG}evil"
    staging.mkdir()
    (staging / JOURNAL).write_text(json.dumps({"written": [], "stale": ["../victim.txt"]}))
    clean_leftovers(out.absolute())
    assert victim.read_text() == "keep me"


def test_leftovers_of_a_killed_build_are_cleaned(tmp_path: Path):
    out = tmp_path / "output"
    write_site(output_files({"a": "1"}), out)
    (tmp_path / ".output.staging-stale").mkdir()
    write_site(output_files({"a": "2"}), out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_clean_leftovers_spares_running_builds(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    alive = subprocess.Popen(["sleep", "30"])
    try:
        names = [
            f".output.staging-{alive.pid}-a",
            f".output.staging-{dead_pid()}-b",
            ".output.staging-xyz",  # an older sitegen's name, without a process id
            f".output.old-{alive.pid}",
            f".output.old-{dead_pid()}",
        ]
        for name in names:
            (tmp_path / name).mkdir()
        clean_leftovers(output)
        left = sorted(p.name for p in tmp_path.iterdir())
        assert left == sorted(["output", names[0], names[3]])
    finally:
        alive.kill()
        alive.wait()


def test_clean_leftovers_restores_an_output_moved_away_by_a_killed_build(tmp_path: Path) -> None:
    old = tmp_path / f".output.old-{dead_pid()}"
    old.mkdir()
    (old / "index.html").write_text("previous")
    clean_leftovers(tmp_path / "output")
    assert (tmp_path / "output" / "index.html").read_text() == "previous"
