"""Measure the search index (head and shards) on generated boards (1,000 and 10,000 by default).

Usage::

    python bench/search_index_size.py [N ...] [--work DIR] [--runs R]

Each board is written by ``bench/generate.py`` (kept and reused while current), then run
through the build's own stages up to the index: config, content, site, ``build_index``,
``encode_index``. Prints the head's size gzipped, the number of files and the size of all of
them raw and gzipped (a search downloads only a few: see bench/search_network.py), and the
median time of ``R`` runs to compute and encode it. The same board gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import TODAY, board_is_current, generate_board

from site_gen.build import start_loading
from site_gen.config import load_config
from site_gen.search_index import build_index, encode_index
from site_gen.site import assemble_site

NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)


def measure(n: int, work: Path, runs: int) -> str:
    board = work / f"board-{n}"
    if not board_is_current(board, n):
        generate_board(n, board)
    config = load_config(board / "sitegen.toml")
    content = start_loading(board, config).content(NOW.date(), strict=False)
    site = assemble_site(config, content, NOW)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        files = encode_index(build_index(site))
        timings.append(time.perf_counter() - started)
    raw = sum(len(f.data) for f in files)
    packed = sum(len(gzip.compress(f.data, compresslevel=6, mtime=0)) for f in files)
    head = len(gzip.compress(files[0].data, compresslevel=6, mtime=0))
    count = len(site.published)
    return (
        f"| {n:,} | {count:,} | {head / 1e3:.1f} KB | {len(files):,} | {raw / 1e6:.2f} MB "
        f"| {packed / 1e6:.2f} MB | {statistics.median(timings) * 1000:,.0f} ms |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print("| generated | published | head gzipped | files | all files | gzipped | build + encode |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in args.sizes:
        print(measure(n, args.work, args.runs), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
