"""The least time any tool needs to write a built site on this machine: its files, read into
memory first (untimed), written again into a fresh folder by ``--jobs`` processes at once,
each making the folders and files of its share, and nothing else done.

It is the floor under a CI build that must write every page (a fresh output folder), however
little it renders: compare it with a tenth of Hugo's cold build (issue 12).

Usage: ``python bench/write_floor.py OUTPUT_FOLDER [--jobs 2] [--runs 3] [--work DIR]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="a built site's folder")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=BENCH / "out", help="where to write")
    args = parser.parse_args()
    files = site_files(args.output)
    size = sum(len(data) for _, data in files)
    print(f"{args.output}: {len(files):,} files, {size / 2**20:,.1f} MiB, {args.jobs} processes")
    args.work.mkdir(parents=True, exist_ok=True)
    walls, written = [], []
    try:
        for run in range(args.runs):
            written.append(Path(tempfile.mkdtemp(prefix="write-floor-", dir=args.work)))
            os.sync()  # the previous run's writes are not this one's to pay for
            walls.append(write_all(files, written[-1], args.jobs))
            print(f"run {run + 1}: {walls[-1]:.2f} s")
    finally:
        # Deleted after the runs, not between them: on this machine's disk (mounted with
        # ``discard``) a deletion slows the writes that follow it for seconds.
        for folder in written:
            shutil.rmtree(folder)
    print(f"median {statistics.median(walls):.2f} s")


def site_files(folder: Path) -> list[tuple[str, bytes]]:
    """Every file below ``folder``: its path relative to it, and its bytes."""
    found = []
    for parent, _, names in os.walk(folder):
        for name in names:
            path = Path(parent, name)
            found.append((str(path.relative_to(folder)), path.read_bytes()))
    return found


def write_all(files: list[tuple[str, bytes]], target: Path, jobs: int) -> float:
    """Seconds for ``jobs`` forked processes to write ``files`` below ``target``, each
    taking every ``jobs``-th file."""
    started = time.perf_counter()
    children = []
    for job in range(jobs):
        pid = os.fork()
        if pid == 0:
            try:
                write_share(files[job::jobs], str(target))
            finally:
                os._exit(0)
        children.append(pid)
    failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
    if failed:
        sys.exit(f"a writer failed: {failed}")
    return time.perf_counter() - started


def write_share(files: list[tuple[str, bytes]], target: str) -> None:
    for rel, data in files:
        path = f"{target}/{rel}"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(data)


if __name__ == "__main__":
    main()
