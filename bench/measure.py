"""Time a command in child processes: wall time, CPU time and peak RSS.

``measure(cmd, cwd)`` runs ``cmd`` several times. Before each run an optional
``prepare`` callable runs untimed (delete the output, edit a posting...). Each
run is a fresh subprocess reaped with ``os.wait4``, whose resource usage covers
the child and every descendant it waited for (worker processes included):

* wall time: ``time.perf_counter`` around start-to-reap;
* CPU time: ``ru_utime + ru_stime``;
* peak RSS: ``ru_maxrss`` (KiB on Linux), the largest single process in the
  tree, not the sum over parallel workers.

A run that exits non-zero or times out stops the measurement and is reported
as a failure instead of raising.
"""

from __future__ import annotations

import compileall
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LOG_TAIL_CHARS = 4000
ERROR_LINES = 3
TRASH = Path(__file__).resolve().parent / ".trash"


def set_aside(path: Path) -> None:
    """Move ``path`` out of the way (untimed, before a cold build) instead of deleting it.

    Deleting a large output right before a build is measured would slow the build down on
    this machine, for any tool: its ext4 file system has no journal, and then the kernel
    skips every inode deleted in the last few minutes when it allocates a new one (perf
    shows ``recently_deleted`` taking most of a ``mkdir``), so creating 16,000 files right
    after deleting 16,000 others costs seconds more. A fresh checkout (a CI or Netlify
    build) deletes nothing first. ``empty_trash`` deletes what was set aside, at the end.
    A path on another file system (a board in /dev/shm) goes to a trash folder at that
    file system's root: a rename cannot cross file systems.
    """
    if not path.exists():
        return
    trash = trash_for(path)
    trash.mkdir(exist_ok=True)
    path.rename(Path(tempfile.mkdtemp(dir=trash)) / path.name)


def clean_board(board: Path) -> None:
    """Set the board's output and cache aside (before a cold build)."""
    set_aside(board / "output")
    set_aside(board / ".sitegen-cache")


def trash_for(path: Path) -> Path:
    """The trash folder on ``path``'s file system: ``TRASH``, or one at its mount point."""
    if path.stat().st_dev == TRASH.parent.stat().st_dev:
        return TRASH
    mount = path.resolve()
    while not mount.is_mount():
        mount = mount.parent
    return mount / ".sitegen-bench-trash"


def empty_trash(*elsewhere: Path) -> None:
    """Delete everything ``set_aside`` moved (after the last measurement); ``elsewhere``:
    paths on other file systems whose things were set aside too."""
    shutil.rmtree(TRASH, ignore_errors=True)
    for path in elsewhere:
        if path.exists():
            shutil.rmtree(trash_for(path), ignore_errors=True)


@dataclass
class Run:
    """One timed run."""

    wall: float
    cpu: float
    max_rss_kib: int
    returncode: int
    timed_out: bool = False


@dataclass
class Result:
    """All runs of one command, with medians and a printable table row."""

    label: str
    cmd: list[str]
    runs: list[Run] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when every run succeeded and there was at least one."""
        return bool(self.runs) and not self.error

    @property
    def wall(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(run.wall for run in self.runs)

    @property
    def wall_min(self) -> float:
        """Fastest run's wall time in seconds (least disturbed by other load)."""
        return min(run.wall for run in self.runs)

    @property
    def cpu(self) -> float:
        """Median CPU time (user + sys) in seconds."""
        return statistics.median(run.cpu for run in self.runs)

    @property
    def peak_rss_mib(self) -> float:
        """Largest ru_maxrss over all runs, in MiB."""
        return max(run.max_rss_kib for run in self.runs) / 1024

    @staticmethod
    def header() -> str:
        """Markdown table header matching ``row()``."""
        return (
            "| what | runs | wall median (s) | wall min (s) | CPU median (s) "
            "| peak RSS (MiB) | status |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |"
        )

    def cells(self) -> list[str]:
        """runs, wall median and min, CPU and RSS cells (dashes when nothing succeeded)."""
        if not self.ok:
            return [str(len(self.runs)), "-", "-", "-", "-"]
        return [
            str(len(self.runs)),
            f"{self.wall:.2f}",
            f"{self.wall_min:.2f}",
            f"{self.cpu:.2f}",
            f"{self.peak_rss_mib:.0f}",
        ]

    def status(self) -> str:
        """'ok', 'skipped: ...' or a one-line failure description safe in a table cell."""
        if self.ok:
            return "ok"
        text = (" ".join(self.error.split()) or "no runs").replace("|", "\\|")[:300]
        return text if text.startswith("skipped") else "FAILED: " + text

    def row(self) -> str:
        """This result as a markdown table row."""
        return "| " + " | ".join([self.label, *self.cells(), self.status()]) + " |"

    def __str__(self) -> str:
        return self.row()


def rusage_cpu(usage: os.struct_rusage) -> float:  # type: ignore[name-defined]
    """User plus system time of a reaped child."""
    return usage.ru_utime + usage.ru_stime


def kill_group(pid: int, fired: threading.Event) -> None:
    """Kill the process group we started for one run (on timeout)."""
    fired.set()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def as_installed(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment an installed sitegen runs in: its modules' bytecode compiled once and
    reused, as pip does. (Some shells, such as this project's CI sandbox, set
    PYTHONDONTWRITEBYTECODE, which would make every timed run compile sitegen's source
    again: about 60 ms of CPU a run.)"""
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "site_gen", quiet=1)
    installed = dict(env if env is not None else os.environ)
    installed.pop("PYTHONDONTWRITEBYTECODE", None)
    return installed


def sitegen_env() -> dict[str, str]:
    """This environment with the repository first on PYTHONPATH, so that ``-m site_gen``
    imports this checkout's code."""
    env = dict(os.environ)
    repo = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [repo, env.get("PYTHONPATH")]))
    return env


def run_once(
    cmd: Sequence[str],
    cwd: Path,
    env: Mapping[str, str] | None,
    timeout: float | None,
    log: Path,
    *,
    installed: bool = True,
) -> Run:
    """Start ``cmd`` (with sitegen's bytecode: ``as_installed``; ``installed`` false: with
    ``env`` as it is, for a run without bytecode), wait for it with ``os.wait4`` and return
    its figures."""
    run_env = as_installed(env) if installed else dict(env if env is not None else os.environ)
    with open(log, "wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            cwd=cwd,
            env=run_env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        fired = threading.Event()
        timer = threading.Timer(timeout, kill_group, [proc.pid, fired]) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    return Run(
        wall=wall,
        cpu=rusage_cpu(usage),
        max_rss_kib=usage.ru_maxrss,
        returncode=proc.returncode,
        timed_out=fired.is_set(),
    )


def log_tail(log: Path) -> str:
    """The last few non-empty lines of a run's combined output (where errors end up)."""
    try:
        text = log.read_bytes()[-LOG_TAIL_CHARS:].decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " / ".join(lines[-ERROR_LINES:])


def describe_failure(run: Run, log: Path, timeout: float | None) -> str:
    """Why a run failed, with the end of its output."""
    reason = f"timed out after {timeout:.0f}s" if run.timed_out else f"exit {run.returncode}"
    tail = log_tail(log)
    return f"{reason}: {tail}" if tail else reason


def measure(
    cmd: Sequence[str],
    cwd: str | Path,
    runs: int = 5,
    env: Mapping[str, str] | None = None,
    prepare: Callable[[], object] | None = None,
    *,
    label: str = "",
    warmup: int = 0,
    timeout: float | None = None,
) -> Result:
    """Run ``cmd`` ``runs`` times (after ``warmup`` untimed runs) and collect figures.

    ``prepare`` runs before every run, warm-ups included, and is not timed.
    ``timeout`` (seconds) kills a run's whole process group. The first failing
    run ends the measurement; the result then carries the error text.
    """
    result = Result(label=label or " ".join(cmd), cmd=list(cmd))
    workdir = Path(cwd)
    with tempfile.TemporaryDirectory(prefix="bench-log-") as tmp:
        log = Path(tmp) / "run.log"
        for index in range(warmup + runs):
            try:
                if prepare is not None:
                    prepare()
            except Exception as exc:
                result.error = f"prepare step failed: {exc!r}"
                return result
            try:
                run = run_once(cmd, workdir, env, timeout, log)
            except OSError as exc:  # command not found, bad cwd...
                result.error = f"could not run: {exc}"
                return result
            if run.returncode != 0 or run.timed_out:
                result.error = describe_failure(run, log, timeout)
                return result
            if index >= warmup:
                result.runs.append(run)
    return result
