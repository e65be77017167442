"""Build progress: a bar on a terminal (a real pseudo-terminal), nothing in a pipe or with
--quiet, stage times with --verbose; and what the pipeline tells a ``Progress``."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from site_gen.progress import TerminalProgress, counted, terminal_progress
from tests.conftest import run_build

STAGES = ("Reading postings", "Assembling the site", "Rendering and writing files")
EPOCH = "1795780800"  # 2026-11-27 12:00 UTC, the fixture board's day (tests.helpers.NOW)
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def sitegen_in_pty(board: Path, *args: str) -> tuple[bytes, bytes]:
    """``sitegen build ARGS`` with stderr on a pseudo-terminal: (terminal bytes, stdout)."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "site_gen", "build", *args],
        cwd=board,
        env=env,
        stdout=subprocess.PIPE,
        stderr=terminal,
        stdin=subprocess.DEVNULL,
    )
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.stdout.read() if process.stdout else b""
    assert process.wait(timeout=60) == 0, seen.decode(errors="replace")
    os.close(controller)
    return seen, stdout


def test_a_terminal_shows_stages_and_counts(board: Path) -> None:
    seen, stdout = sitegen_in_pty(board)
    text = ANSI.sub(b"", seen).decode()
    for stage in STAGES:
        assert stage in text
    assert re.search(r"Reading postings .*\b[0-2]/2\b", text)  # a count of the two postings
    assert ANSI.search(seen)  # drawn with the terminal's control codes (by rich)
    assert stdout.startswith(b"Built 2 postings")
    assert b"Stages:" not in seen


def test_quiet_silences_the_terminal(board: Path) -> None:
    seen, stdout = sitegen_in_pty(board, "--quiet")
    assert not any(stage.encode() in seen for stage in STAGES)
    assert stdout == b""


def test_verbose_prints_each_stage_time(board: Path) -> None:
    seen, _ = sitegen_in_pty(board, "-v")
    lines = ANSI.sub(b"", seen).decode().replace("\r", "\n").splitlines()
    start = lines.index("Stages:")
    timed = [line for line in lines[start + 1 :] if re.fullmatch(r"  .+: \d+\.\d\d s.*", line)]
    names = [line.strip().split(":")[0] for line in timed]
    assert names == [*STAGES, "Saving the build cache"]


def test_a_pipe_gets_no_progress(board: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "site_gen", "build"],
        cwd=board,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        capture_output=True,
        check=True,
    )
    assert result.stderr == b""
    assert result.stdout.startswith(b"Built 2 postings")


def test_verbose_in_a_pipe_prints_times_without_a_bar(board: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "site_gen", "check", "--verbose"],
        cwd=board,
        capture_output=True,
        check=True,
        text=True,
    )
    assert result.stderr.startswith("Stages:\n  Reading postings: ")
    assert "(2 items)" in result.stderr
    assert "\x1b" not in result.stderr


@dataclass
class Recorder:
    """A ``Progress`` that writes down what it is told."""

    events: list[tuple[str, int | None]] = field(default_factory=list)

    def stage(self, name: str, total: int | None = None) -> None:
        self.events.append((name, total))

    def advance(self, n: int = 1) -> None:
        name, count = self.events[-1]
        if name == "+":
            self.events[-1] = ("+", (count or 0) + n)
        else:
            self.events.append(("+", n))


def test_the_build_reports_its_stages_and_items(board: Path) -> None:
    recorder = Recorder()
    report = run_build(board, progress=recorder)
    assert recorder.events == [
        ("Reading postings", 2),
        ("+", 2),
        ("Assembling the site", None),
        ("Rendering and writing files", None),
        ("+", report.written.total),
        ("Saving the build cache", None),
    ]


def test_counted_advances_once_per_item() -> None:
    recorder = Recorder([("stage", 3)])
    assert list(counted("abc", recorder)) == ["a", "b", "c"]
    assert recorder.events == [("stage", 3), ("+", 3)]


def test_a_string_buffer_is_not_a_terminal() -> None:
    progress = terminal_progress(io.StringIO(), quiet=False, verbose=False)
    assert progress == TerminalProgress(progress.stream, bar=False, timings=False)
