"""What the search index adds to a cold build: paired builds with and without it.

Usage::

    python bench/search_build_cost.py [N] [--work DIR] [--pairs P]

The board of ``N`` postings (10,000 by default) is written by ``bench/generate.py`` into
``DIR/board-N`` (kept and reused). Each pair runs two cold builds (no output folder, no
build cache), each in a fresh Python process, in alternating order: one as ``sitegen build``
does, one with the index's files left out (``render.index_files`` returning none). Prints
each pair's wall and CPU times (CPU: the build's process and its workers, which a busy
machine disturbs less than wall time) and the medians of the differences, as a share of the
build without.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import TODAY, board_is_current, generate_board
from measure import as_installed

BUILD = """
import sys
from datetime import datetime, UTC
from pathlib import Path
import site_gen.build, site_gen.search_index
from site_gen.build import BuildOptions, build
if sys.argv[3] == "without":
    site_gen.search_index.index_files = lambda site: []
    site_gen.build.search_index_summary = lambda path, postings, cache: ""
now = datetime.fromisoformat(sys.argv[4]).replace(tzinfo=UTC)
build(BuildOptions(root=Path(sys.argv[1]), output=Path(sys.argv[2]), now=now, cache=False))
"""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold_build(board: Path, variant: str) -> tuple[float, float]:
    """Wall and CPU seconds (the build's process and its workers) of one cold build."""
    with tempfile.TemporaryDirectory(prefix="search-cost-") as tmp:
        output = Path(tmp) / "out"
        cpu = children_cpu()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", BUILD, str(board), str(output), variant, TODAY.isoformat()],
            check=True,
            env=as_installed(),
        )
        seconds = time.perf_counter() - started
        cpu = children_cpu() - cpu
        shutil.rmtree(output, ignore_errors=True)
    return seconds, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench"))
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)
    board = args.work / f"board-{args.n}"
    if not board_is_current(board, args.n):
        generate_board(args.n, board)
    print(f"{args.n:,} postings, cold builds (no output, no cache), each in a fresh process")
    print("| pair | wall with the index | without | difference | CPU with | without | difference |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    walls, cpus = [], []
    for pair in range(args.pairs):
        order = ("with", "without") if pair % 2 == 0 else ("without", "with")
        times = {variant: cold_build(board, variant) for variant in order}
        (wall, cpu), (wall0, cpu0) = times["with"], times["without"]
        walls.append((wall - wall0) / wall0)
        cpus.append((cpu - cpu0) / cpu0)
        print(
            f"| {pair + 1} | {wall:.2f} s | {wall0:.2f} s | {walls[-1]:+.1%} "
            f"| {cpu:.2f} s | {cpu0:.2f} s | {cpus[-1]:+.1%} |",
            flush=True,
        )
    print(
        f"the index adds {statistics.median(walls):+.1%} wall time and "
        f"{statistics.median(cpus):+.1%} CPU time (medians of the pairs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
