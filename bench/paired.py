"""Cold builds of sitegen and Hugo, paired and alternating: sitegen, Hugo, sitegen, Hugo...

On a shared machine the load changes from minute to minute; runs that alternate see the
same load on average, so the ratio of the medians stays fair even when the times do not.
Before each run its output (and sitegen's cache) is set aside, untimed.

``--work DIR`` puts the boards and both tools' outputs in DIR instead of bench/ (a tmpfs such
as /dev/shm: both tools then write to memory, and the disk's speed, which varies several
times over within the hour here, drops out of the comparison).

``--python PY`` runs sitegen (this checkout's code) with the interpreter PY, whose
environment has sitegen's dependencies installed; given more than once, each interpreter
takes its turn before Hugo's (sitegen on A, on B, Hugo, sitegen on A...), so that Python
builds made differently (with or without profile-guided optimisation) are compared in the
same run. Default: the interpreter running this script.

Usage: ``python bench/paired.py --sizes 1,1000,10000 --runs 5 [--jobs N] [--work DIR]
[--python PY ...]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from competitors import build_hugo  # noqa: E402
from generate import board_is_current, generate_board  # noqa: E402
from measure import Run, clean_board, empty_trash, run_once, set_aside, sitegen_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--work", type=Path, default=BENCH, help="where boards and outputs go")
    parser.add_argument(
        "--python", action="append", help="the interpreter that runs sitegen (repeatable)"
    )
    args = parser.parse_args()
    work = args.work.resolve()
    env = sitegen_env()
    # absolute() keeps a virtualenv's link: resolved, it would be the base interpreter's
    pythons = [str(Path(p).absolute()) for p in args.python or [sys.executable]]
    build_args = ["-m", "site_gen", "build", "--now", "2026-11-27"]
    if args.jobs:
        build_args += ["--jobs", str(args.jobs)]
    log = BENCH / "out" / "paired.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    for python in pythons:
        print(f"sitegen on {python}: {interpreter(python)}")
        compile_bytecode(python)
    print(
        "| postings | python | sitegen wall (s) | sitegen CPU (s) | Hugo wall (s) | Hugo CPU (s)"
        " | ratio | load |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in (int(s) for s in args.sizes.split(",")):
        board = work / "boards" / str(size)
        if not board_is_current(board, size):
            generate_board(size, board)
        hugo = None if args.no_hugo else build_hugo(board, work / "out" / "site" / f"hugo-{size}")
        ours: dict[str, list[Run]] = {python: [] for python in pythons}
        theirs: list[Run] = []
        for _ in range(args.runs):
            for python in pythons:
                clean_board(board)
                run = run_once([python, *build_args], board, env, None, log)
                ours[python].append(checked(run, log))
            if hugo is not None:
                set_aside(hugo.output)
                theirs.append(checked(run_once(hugo.cmd, hugo.cwd, hugo.env, None, log), log))
        load = os.getloadavg()[0]
        hugo_wall = statistics.median(r.wall for r in theirs) if theirs else None
        them = (
            f"{hugo_wall:.2f} | {statistics.median(r.cpu for r in theirs):.2f}" if theirs else " | "
        )
        for python, runs in ours.items():
            wall = statistics.median(r.wall for r in runs)
            cpu = statistics.median(r.cpu for r in runs)
            ratio = f"{wall / hugo_wall:.2f}" if hugo_wall else ""
            row = (
                f"| {size:,} | {python} | {wall:.2f} | {cpu:.2f} | {them} | {ratio} | {load:.1f} |"
            )
            print(row, flush=True)
    empty_trash(work)


def interpreter(python: str) -> str:
    """Which interpreter ``python`` is: its version, the file it runs from, and its build."""
    code = "import os, sys; print(os.path.realpath(sys.executable), sys.version)"
    found = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    return found.stdout.strip()


def compile_bytecode(python: str) -> None:
    """Compile sitegen's bytecode with ``python`` now, untimed: each Python version keeps
    its own, and the first timed run on another interpreter would otherwise write it."""
    sources = BENCH.parent / "site_gen"
    subprocess.run([python, "-m", "compileall", "-q", str(sources)], check=True)


def checked(run: Run, log: Path) -> Run:
    if run.returncode != 0:
        raise SystemExit(log.read_text()[-2000:])
    return run


if __name__ == "__main__":
    main()
