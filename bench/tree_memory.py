"""Peak memory of a whole process tree: a build and every worker it forks.

``measure.py`` reports the largest single process's peak RSS (``ru_maxrss``); with forked
workers the tree's memory is what the machine must have. This samples every process of the
command's session every 20 ms and reports the peak of the sum of their RSS (pages shared
copy-on-write counted once per process: an upper bound) and of their PSS (shared pages
split between the processes sharing them: what the tree really uses), with when the PSS
peaked and each process's share of it then.

Usage: ``python bench/tree_memory.py BOARD [--jobs N] [--cold]`` (runs ``python -m site_gen
build --now 2026-11-27`` in BOARD; ``--cold`` sets ``output/`` and the cache aside first).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from measure import as_installed, clean_board, empty_trash, sitegen_env  # noqa: E402


def session_members(session: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getsid(int(entry)) == session:
                    members.append(int(entry))
            except OSError:
                continue
    return members


def rollup(pid: int) -> tuple[int, int]:
    """RSS and PSS of one process, in KiB (0, 0 if it is gone)."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("board", type=Path)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args()
    if args.cold:
        clean_board(args.board)
    cmd = [sys.executable, "-m", "site_gen", "build", "--now", "2026-11-27"]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    env = as_installed(sitegen_env())
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=args.board, env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )
    peak_rss = peak_pss = most = 0
    at = ""  # when the PSS peaked, and each process's share then, by process id (the build first)
    while proc.poll() is None:
        members = sorted(session_members(proc.pid))
        sizes = [rollup(pid) for pid in members]
        peak_rss = max(peak_rss, sum(s[0] for s in sizes))
        pss = sum(s[1] for s in sizes)
        if pss > peak_pss:
            shares = " + ".join(f"{s[1] / 1024:.0f}" for s in sizes)
            peak_pss, at = pss, f"{time.perf_counter() - start:.1f} s in, {shares} MiB"
        most = max(most, len(members))
        time.sleep(0.02)
    wall = time.perf_counter() - start
    empty_trash(args.board)
    print(
        f"{args.board}: --jobs {args.jobs or 'default'}: exit {proc.returncode}, {wall:.1f} s, "
        f"up to {most} processes; peak of the tree: RSS {peak_rss / 1024:.0f} MiB, "
        f"PSS {peak_pss / 1024:.0f} MiB ({at})"
    )


if __name__ == "__main__":
    main()
