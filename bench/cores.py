"""How busy the cores are through a build, stage by stage: where a build leaves cores idle.

A build on N cores can be no shorter than its CPU time divided by N; what it loses beyond
that is time with cores idle: start-up (one process importing), stages that run in one
process, the tail. This runs one build (cold unless ``--keep``) with ``-v``, samples the
machine's busy cores from ``/proc/stat`` every ``--step`` seconds, and places the build's
stages on that timeline (``-v`` prints each stage's time when the build ends; the moment
that line arrives is the end of the last stage). It prints, per stage, when it started, its
wall time, the cores it kept busy on average, and the core-seconds it left idle; with
``--strip``, the busy cores of every sample, one digit each (0 to 9: tenths of all cores).

The samples count every process on the machine, so run it on an otherwise idle one.

Usage: ``python bench/cores.py BOARD [--jobs N] [--step 0.05] [--keep] [--strip]``; with
``--keep`` the build uses the output and cache the board has (a warm build, or a CI build's
clone prepared beforehand). The build's clock is ``--now`` (2026-11-27 unless given, as
``ci_build.py`` and ``process_cpu.py`` build): a page showing a posting's age is the same
page only on the same day.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from measure import as_installed, clean_board, empty_trash, sitegen_env  # noqa: E402

NOW = "2026-11-27"
STAGE_LINE = re.compile(r"^  (?P<name>.+): (?P<seconds>[0-9.]+) s(?: \(.*\))?$")


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the build started
    busy: float  # cores busy since the previous sample


@dataclass(frozen=True)
class Segment:
    name: str
    start: float
    end: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("board", type=Path)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--step", type=float, default=0.05)
    parser.add_argument("--now", default=NOW, help="the build's date (sitegen build --now)")
    parser.add_argument("--keep", action="store_true", help="keep the board's output and cache")
    parser.add_argument("--strip", action="store_true", help="print every sample too")
    args = parser.parse_args()
    if not args.keep:
        clean_board(args.board)
    command = [sys.executable, "-m", "site_gen", "build", "-v", "--now", args.now]
    if args.jobs:
        command += ["--jobs", str(args.jobs)]
    env = as_installed(sitegen_env())
    samples, stages, ended, wall = timeline(command, args.board, env, args.step)
    empty_trash(args.board)
    cores = os.cpu_count() or 1
    segments = [Segment("start-up (imports, config)", 0.0, stages[0].start if stages else ended)]
    segments += stages
    segments.append(Segment("warnings, summary, exit", ended, wall))
    print(f"{args.board}: one build, {wall:.2f} s, {cores} cores, sampled every {args.step} s\n")
    print("| stage | start (s) | wall (s) | cores busy | core-seconds idle |")
    print("| --- | ---: | ---: | ---: | ---: |")
    idle_total = 0.0
    for segment in segments:
        busy = mean_busy(samples, segment.start, segment.end)
        length = segment.end - segment.start
        idle = max(0.0, (cores - busy) * length)
        idle_total += idle
        print(f"| {segment.name} | {segment.start:.2f} | {length:.2f} | {busy:.2f} | {idle:.2f} |")
    print(f"| all | | {wall:.2f} | {mean_busy(samples, 0.0, wall):.2f} | {idle_total:.2f} |")
    if args.strip:
        print()
        digits = "".join(str(min(9, int(s.busy / cores * 10))) for s in samples)
        per_line = max(1, round(5 / args.step))  # five seconds a line
        for first in range(0, len(digits), per_line):
            print(f"{first * args.step:7.2f} s  {digits[first : first + per_line]}")


def timeline(
    command: list[str], board: Path, env: dict[str, str], step: float
) -> tuple[list[Sample], list[Segment], float, float]:
    """Run the build, sampling the busy cores: the samples, the stages, when the stages
    ended and when the build did (seconds since it started)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=board, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    lines: list[tuple[float, str]] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append((time.perf_counter() - started, line.rstrip("\n")))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    samples = []
    cores = os.cpu_count() or 1
    before = cpu_ticks()
    while process.poll() is None:
        time.sleep(step)
        now = cpu_ticks()
        total, idle = now[0] - before[0], now[1] - before[1]
        busy = cores * (total - idle) / total if total else 0.0
        samples.append(Sample(time.perf_counter() - started, busy))
        before = now
    wall = time.perf_counter() - started
    reader.join()
    if process.returncode != 0:
        tail = "\n".join(line for _, line in lines[-5:])
        raise SystemExit(f"the build failed ({process.returncode}):\n{tail}")
    return samples, *stages_of(lines), wall


def stages_of(lines: list[tuple[float, str]]) -> tuple[list[Segment], float]:
    """The stages ``-v`` printed, placed back from the moment its "Stages:" line arrived."""
    heading = next((i for i, (_, line) in enumerate(lines) if line == "Stages:"), None)
    if heading is None:
        raise SystemExit('the build printed no "Stages:" (is -v still the stage timings?)')
    ended = lines[heading][0]
    timed = []
    for _, line in lines[heading + 1 :]:
        found = STAGE_LINE.match(line)
        if found is None:
            break
        timed.append((found["name"], float(found["seconds"])))
    segments = []
    start = ended - sum(seconds for _, seconds in timed)
    for name, seconds in timed:
        segments.append(Segment(name, start, start + seconds))
        start += seconds
    return segments, ended


def cpu_ticks() -> tuple[int, int]:
    """The machine's CPU time so far, all and idle (idle and waiting for I/O), in ticks."""
    with open("/proc/stat") as stat:
        fields = [int(f) for f in stat.readline().split()[1:]]
    return sum(fields), fields[3] + fields[4]


def mean_busy(samples: list[Sample], start: float, end: float) -> float:
    """The mean busy cores of the samples taken between ``start`` and ``end``."""
    inside = [s.busy for s in samples if start < s.at <= end]
    return sum(inside) / len(inside) if inside else 0.0


if __name__ == "__main__":
    main()
