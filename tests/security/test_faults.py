"""Fault tests: a build that is killed, interrupted, runs out of disk or hits a template
error leaves the previous output byte for byte, and the next build leaves no stray folders.

Kills and Ctrl-C go to a real ``sitegen build`` subprocess, timed from the moment its
staging folder appears (the write has begun). The full disk is a real one where the test
may mount a small tmpfs (as root), and a simulated ``ENOSPC`` everywhere.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_gen.cache import CACHE_DIR
from site_gen.cli import main
from site_gen.errors import SitegenError
from site_gen.theme_paths import PACKAGE_THEMES
from tests.conftest import run_build
from tests.helpers import posting_text, tree_bytes, write_board

NOW = "2026-11-27T12:00:00Z"
POSTINGS = 150
BODY = ("Some text about the job. " * 80 + "\n\n") * 5


def write_postings(root: Path, word: str) -> None:
    """Content A ("Job n") or B ("Role n"): every posting page and listing differs."""
    for n in range(POSTINGS):
        text = posting_text(BODY, title=f"{word} {n}")
        (root / "content" / "jobs" / f"p-{n:03d}.md").write_text(text, encoding="utf-8")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".staging-" in p.name or ".old-" in p.name)


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    """A board with content A built into output/, and the bytes of both builds."""
    root = write_board(tmp_path_factory.mktemp("faults") / "board")
    write_postings(root, "Role")
    run_build(root, output=root.parent / "expected-b")
    site_b = tree_bytes(root.parent / "expected-b")
    write_postings(root, "Job")
    run_build(root)
    return root, tree_bytes(root / "output"), site_b


@pytest.fixture
def board(two_sites: tuple[Path, dict, dict]) -> Iterator[tuple[Path, dict, dict]]:
    """The board with content B on disk and site A in output/, as a build is about to start."""
    root, site_a, site_b = two_sites
    write_postings(root, "Job")
    if tree_bytes(root / "output") != site_a:
        run_build(root)
    write_postings(root, "Role")
    yield root, site_a, site_b


# ``python -m site_gen`` hearing Ctrl-C as it does in a terminal: a shell that runs this
# suite in the background (``nohup``, ``&``) starts its processes with SIGINT ignored, and
# Python then leaves it ignored.
HEARS_CTRL_C = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('site_gen', run_name='__main__')"
)


def start_build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", HEARS_CTRL_C, "build", "--now", NOW],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_staging(process: subprocess.Popen[bytes], root: Path) -> float:
    """Block until the build's staging folder exists (its write has begun); return when."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if leftovers(root):
            return time.monotonic()
        assert process.poll() is None, process.communicate()
        time.sleep(0.0005)
    raise AssertionError("the build never started writing")


def write_window(root: Path) -> float:
    """How long a build of this board spends writing: from its staging folder appearing to
    the swap (the output folder's inode changes)."""
    before = (root / "output").stat().st_ino
    process = start_build(root)
    began = wait_for_staging(process, root)
    while (root / "output").stat().st_ino == before:
        assert process.poll() is None, process.communicate()
        time.sleep(0.0005)
    window = time.monotonic() - began
    process.wait()
    return window


def restore(root: Path, saved: Path) -> None:
    shutil.rmtree(root / "output")
    shutil.copytree(saved, root / "output")


def test_sigkill_during_the_write_leaves_the_previous_output(
    board: tuple[Path, dict, dict],
) -> None:
    root, site_a, site_b = board
    saved = root.parent / "saved-a"
    shutil.copytree(root / "output", saved, dirs_exist_ok=True)
    window = write_window(root)
    assert tree_bytes(root / "output") == site_b
    rng = random.Random(6)
    outcomes = []
    for fraction in (0.05, 0.2, 0.35, 0.5, 0.65, 0.8):
        restore(root, saved)
        process = start_build(root)
        began = wait_for_staging(process, root)
        delay = fraction * window * rng.uniform(0.8, 1.2)
        time.sleep(max(0.0, began + delay - time.monotonic()))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = tree_bytes(root / "output")
        assert after in (site_a, site_b), "a killed build left a mixed output"
        outcomes.append((round(delay, 3), after == site_a, leftovers(root)))
    killed_mid_write = [o for o in outcomes if o[1] and o[2]]
    assert len(killed_mid_write) >= 3, (window, outcomes)

    # The next build cleans up what the killed ones left and lands the new site.
    assert main(["build", "--config", str(root / "sitegen.toml"), "--now", NOW]) == 0
    assert leftovers(root) == []
    assert tree_bytes(root / "output") == site_b


def test_ctrl_c_during_the_write_leaves_the_previous_output(
    board: tuple[Path, dict, dict],
) -> None:
    root, site_a, _ = board
    # A third of the way through this board's write, however fast the build has become
    # (a fixed delay let the swap finish first once builds got faster).
    saved = root.parent / "saved-a-interrupted"
    shutil.copytree(root / "output", saved, dirs_exist_ok=True)
    window = write_window(root)
    restore(root, saved)
    process = start_build(root)
    began = wait_for_staging(process, root)
    time.sleep(max(0.0, began + window / 3 - time.monotonic()))
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate()
    assert process.returncode == 130, stderr
    assert stderr.decode().splitlines()[-1] == (
        "Interrupted; the previous output was left as it was."
    )
    assert tree_bytes(root / "output") == site_a
    assert leftovers(root) == [], "an interrupted build cleans up after itself"


def test_ctrl_c_once_the_new_site_is_in_place_says_so(
    board: tuple[Path, dict, dict],
) -> None:
    """Ctrl-C just after the swap: the build ends as it would have, and says the new site
    is in place (not that the previous output was kept)."""
    root, _, site_b = board
    before = (root / "output").stat().st_ino
    process = start_build(root)
    while (root / "output").stat().st_ino == before:
        assert process.poll() is None, process.communicate()
        time.sleep(0.0005)
    if process.poll() is not None:
        pytest.skip("the build ended before the signal could be sent")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate()
    assert process.returncode == 130, stderr
    assert stderr.decode().splitlines()[-1] == (
        "Interrupted; the new site was already going in: "
        f"{(root / 'output').resolve()} holds it, complete."
    )
    assert tree_bytes(root / "output") == site_b
    assert leftovers(root) == []
    # The cache was closed with the site: the next build writes nothing.
    again = subprocess.run(
        [sys.executable, "-m", "site_gen", "build", "--now", NOW],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "(0 written," in again.stdout, again.stdout


@pytest.mark.parametrize("after_files", [0, 40, 140])
def test_disk_full_leaves_the_previous_output(
    board: tuple[Path, dict, dict],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    after_files: int,
) -> None:
    """A write that fails with ENOSPC after some files: the build stops with one line."""
    root, site_a, _ = board
    # One process (--jobs 1): a patch of os.write reaches forked workers but not spawned
    # ones (spawned when another test left threads running). Workers meeting a really full
    # disk are tested below, on a real tmpfs.
    written = 0
    real_write = os.write

    def write_until_full(fd: int, data: bytes) -> int:
        nonlocal written
        if written >= after_files:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written += 1
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write_until_full)
    code = main(["build", "--config", str(root / "sitegen.toml"), "--now", NOW, "--jobs", "1"])
    monkeypatch.undo()

    assert code == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"error: {(root / 'output').resolve()}: could not write the site "
        "(No space left on device); the previous output was left as it was"
    )
    assert tree_bytes(root / "output") == site_a
    assert leftovers(root) == []


def mount_tmpfs(folder: Path, size: int) -> None:
    """A real file system of ``size`` bytes at ``folder`` (a tmpfs: needs root)."""
    folder.mkdir(exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")


def used_bytes(folder: Path) -> int:
    stats = os.statvfs(folder)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


def test_a_really_full_disk_leaves_the_previous_output(
    board: tuple[Path, dict, dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _, _ = board
    build = ["build", "--config", str(root / "sitegen.toml"), "--now", NOW, "--output"]
    disk = tmp_path / "disk"
    mount_tmpfs(disk, 64 << 20)
    try:
        output = disk / "output"
        write_postings(root, "Job")
        assert main([*build, str(output)]) == 0
        previous = tree_bytes(output)
        # Shrink the disk to half as much again as the site: no room for a second one.
        size = used_bytes(disk) * 3 // 2
        subprocess.run(["mount", "-o", f"remount,size={size}", str(disk)], check=True)
        write_postings(root, "Role")
        capsys.readouterr()

        assert main([*build, str(output)]) == 1
        assert capsys.readouterr().err.splitlines() == [
            f"error: {output}: could not write the site (No space left on device); "
            "the previous output was left as it was"
        ]
        assert tree_bytes(output) == previous
        assert leftovers(disk) == []

        # With room again the same build lands, and leaves nothing behind.
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        assert main([*build, str(output)]) == 0
        assert tree_bytes(output) != previous
        assert leftovers(disk) == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_template_error_midway_leaves_the_previous_output(
    board: tuple[Path, dict, dict], capsys: pytest.CaptureFixture[str]
) -> None:
    root, site_a, _ = board
    theme = (PACKAGE_THEMES / "default" / "templates" / "posting.html").read_text()
    broken = theme.replace(
        "{% block content %}",
        "{% block content %}{% if posting.slug == 'p-100' %}{{ posting.nope.deeper }}{% endif %}",
    )
    (root / "templates").mkdir()
    (root / "templates" / "posting.html").write_text(broken, encoding="utf-8")
    try:
        code = main(["build", "--config", str(root / "sitegen.toml"), "--now", NOW])
    finally:
        shutil.rmtree(root / "templates")
    (line,) = capsys.readouterr().err.splitlines()[-1:]
    assert code == 1
    assert line.startswith("error: ") and "posting.html" in line and "nope" in line, line
    assert tree_bytes(root / "output") == site_a
    assert leftovers(root) == []


def test_a_running_builds_staging_folder_is_left_alone(tmp_path: Path) -> None:
    """Two builds of one board at once (the preview server's and a manual one): neither
    deletes the other's staging folder; a dead build's folder goes."""
    root = write_board(tmp_path / "board", postings={"job": posting_text()})
    alive = subprocess.Popen(["sleep", "60"])
    dead = subprocess.Popen(["true"])
    dead.wait()
    try:
        for pid in (alive.pid, dead.pid):
            (root / f".output.staging-{pid}-abc123").mkdir()
            (root / f".output.staging-{pid}-abc123" / "index.html").write_text("x")
        (root / ".output.staging-legacy").mkdir()
        run_build(root)
        assert leftovers(root) == [f".output.staging-{alive.pid}-abc123"]
    finally:
        alive.kill()
        alive.wait()
    run_build(root)
    assert leftovers(root) == []


def test_the_board_itself_is_never_the_output(tmp_path: Path) -> None:
    root = write_board(tmp_path / "board", postings={"job": posting_text()})
    before = tree_bytes(root)
    for output in (root, root / "content", root / "content" / "jobs", tmp_path):
        with pytest.raises(SitegenError, match="cannot build into the board"):
            run_build(root, output=output)
    after = {k: v for k, v in tree_bytes(root).items() if not k.startswith(f"{CACHE_DIR}/")}
    assert after == before  # the build cache may appear; nothing else
