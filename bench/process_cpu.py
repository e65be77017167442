"""CPU time of a cold build, process by process: which of its processes spends what.

``measure.py`` and ``/usr/bin/time`` give a build's CPU summed over every process it ran;
py-spy, on a machine with fewer cores than processes, counts a process waiting for a core
as busy. This runs the build with ``os._exit`` wrapped (every process of a build ends
with it: the command line's and each worker's) so that each process records its own
``resource.getrusage`` as it ends, and names it by what it ran: ``main``, the compiling pool
(``_process_worker``) or the function a forked worker served (``_Page``, ``_packed``,
``every_build_files``...). Prints, per role, the processes, user and system CPU, minor page
faults and the largest RSS, medians over ``--runs`` cold builds.

Usage: ``python bench/process_cpu.py BOARD [--jobs N] [--runs 3]`` (the board's output and
cache are set aside before each run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from types import FrameType
from typing import NoReturn

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from measure import as_installed, clean_board, empty_trash, sitegen_env  # noqa: E402

RECORD = "--record"
FIELDS = ("processes", "user", "system", "faults", "max_rss")
WHAT = {  # the roles a build has now, by the code names ``role`` finds
    "main": "the command line's process",
    "_process_worker": "compiling the postings (the pool)",
    "_serve:_Page": "posting and listing pages, facet feeds",
    "_serve:_packed": "the search index, beside the pages",
    "_serve:every_build_files": "content pages, static files, feeds, sitemap",
    "_serve:start_cards.<locals>.rendered": "cards, ahead of the pages",
    "_serve:start_cards.<locals>.placed.<locals>.<lambda>": "cards onto the shelf (large boards)",
    "_serve:_encoded_similar": "the similar postings, beside",
}


def main() -> None:
    if sys.argv[1:2] == [RECORD]:  # in the build: process_cpu.py --record FILE SITEGEN-ARGS
        record_and_build(Path(sys.argv[2]), sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("board", type=Path)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.board, args.jobs) for _ in range(args.runs)]
    empty_trash(args.board)
    names = sorted({name for run in runs for name in run}, key=lambda n: -median(runs, n, "user"))
    print(f"{args.board}: --jobs {args.jobs or 'default'}, medians of {args.runs} cold builds\n")
    print(
        "| process | doing | processes | user (s) | system (s) | minor faults | largest RSS (MiB) |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name in names:
        print(
            f"| `{name}` | {WHAT.get(name, '')} | {median(runs, name, 'processes'):.0f}"
            f" | {median(runs, name, 'user'):.2f}"
            f" | {median(runs, name, 'system'):.2f} | {median(runs, name, 'faults'):,.0f}"
            f" | {median(runs, name, 'max_rss') / 1024:.0f} |"
        )
    user = statistics.median(sum(run[n]["user"] for n in run) for run in runs)
    system = statistics.median(sum(run[n]["system"] for n in run) for run in runs)
    print(f"| all | | | {user:.2f} | {system:.2f} | | |")


def one_run(board: Path, jobs: int | None) -> dict[str, dict[str, float]]:
    """One cold build: per role, the sums of its processes' figures (largest RSS: the max)."""
    clean_board(board)
    with tempfile.TemporaryDirectory() as folder:
        record = Path(folder) / "processes.tsv"
        command = [sys.executable, __file__, RECORD, str(record)]
        command += ["build", "--now", "2026-11-27", "--quiet"]
        if jobs:
            command += ["--jobs", str(jobs)]
        env = sitegen_env()
        subprocess.run(command, cwd=board, env=as_installed(env), check=True, capture_output=True)
        lines = record.read_text().splitlines()
    roles: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0.0))
    for line in lines:
        name, user, system, faults, rss = line.split("\t")
        sums = roles[name]
        sums["processes"] += 1
        sums["user"] += float(user)
        sums["system"] += float(system)
        sums["faults"] += int(faults)
        sums["max_rss"] = max(sums["max_rss"], int(rss))
    return roles


def median(runs: list[dict[str, dict[str, float]]], name: str, field: str) -> float:
    return statistics.median(run[name][field] if name in run else 0.0 for run in runs)


def record_and_build(record: Path, arguments: list[str]) -> None:
    """In the build's process: run ``sitegen ARGUMENTS`` with ``os._exit`` recording each
    process's figures (the forked workers inherit the wrapper)."""
    import resource
    import runpy

    real_exit = os._exit

    def recording_exit(status: int) -> NoReturn:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        line = f"{role(sys._getframe(1))}\t{usage.ru_utime}\t{usage.ru_stime}\t"
        line += f"{usage.ru_minflt}\t{usage.ru_maxrss}\n"
        with open(record, "a") as sink:  # one short write each: the lines do not interleave
            sink.write(line)
        real_exit(status)

    os._exit = recording_exit
    sys.argv = ["sitegen", *arguments]
    runpy.run_module("site_gen", run_name="__main__")


def role(frame: FrameType | None) -> str:
    """What the exiting process ran: the target of the multiprocessing process object in
    its stack (and the function a forked worker served), else ``main``."""
    while frame is not None:
        process = frame.f_locals.get("process_obj")
        if process is not None:
            target = getattr(process, "_target", None)
            name = getattr(target, "__qualname__", type(target).__name__)
            args = getattr(process, "_args", ())
            served = getattr(args[0], "fn", None) if args else None
            if served is not None:
                served = getattr(served, "func", served)  # a functools.partial's function
                name += ":" + getattr(served, "__qualname__", type(served).__name__)
            return name
        frame = frame.f_back
    return "main"


if __name__ == "__main__":
    main()
