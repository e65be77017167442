"""Where a cold build's time goes: wall and CPU time of each pipeline stage, in one process.

Runs ``build.build`` on a board (after setting its output and cache aside) with a timer
around each stage: loading (read, validate, compile markdown: on the workers), assembling
the site (facets, similar postings, listings), pages (posting and listing pages and facet
feeds, rendered and staged by the workers), board feeds, discovery files (sitemap...);
"write and the rest" is what is left (the templates, made while the workers compile the
postings, waiting for the search index, made beside the pages by a process of its own, the
writer putting the staged folder in place, the cache's commit). CPU is split into this
process's and its workers'; a worker's CPU is counted when it is reaped, so the compile
workers' shows under a later stage. Medians over ``--runs``.

Usage: ``python bench/stages.py bench/boards/10000 [--runs 3] [--jobs N]``
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_gen import build as build_module
from site_gen import outputs as outputs_module
from site_gen.build import BuildOptions, build

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import clean_board, empty_trash

NOW = datetime(2026, 11, 27, tzinfo=UTC)
LOAD = "load (read, validate, markdown)"
STAGES = {  # module (or class), function, label
    ("build", "start_loading"): LOAD,  # the cache's postings looked up, the rest sent out
    ("Loading", "content"): LOAD,  # the compiled postings received and validated
    ("build", "assemble_site"): "assemble (facets, similar, listings)",
    ("outputs", "cached"): "pages and facet feeds (incremental.cached)",
    ("outputs", "board_feeds"): "board feeds",
    ("outputs", "crawler_files"): "sitemap, robots, redirects",
}
GENERATORS = {"cached", "board_feeds", "crawler_files"}  # timed item by item
Sample = tuple[float, float, float]  # wall, own CPU, workers' CPU


def clock() -> Sample:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (
        time.perf_counter(),
        own.ru_utime + own.ru_stime,
        workers.ru_utime + workers.ru_stime,
    )


def since(start: Sample) -> Sample:
    now = clock()
    return (now[0] - start[0], now[1] - start[1], now[2] - start[2])


class Timers:
    """Accumulates each stage's time; wraps the stage functions in their modules."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}

    def add(self, label: str, sample: Sample) -> None:
        total = self.spent.setdefault(label, [0.0, 0.0, 0.0])
        for i, value in enumerate(sample):
            total[i] += value

    def wrap(self, module: Any, name: str, label: str) -> None:
        original = getattr(module, name)
        if name in GENERATORS:
            setattr(module, name, self._generator(original, label))
        else:
            setattr(module, name, self._function(original, label))

    def _function(self, fn: Callable[..., Any], label: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add(label, since(start))

        return timed

    def _generator(self, fn: Callable[..., Iterator[Any]], label: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            # Only the time spent producing items counts, not the writer's between them.
            items = fn(*args, **kwargs)
            while True:
                start = clock()
                try:
                    item = next(items)
                except StopIteration:
                    self.add(label, since(start))
                    return
                self.add(label, since(start))
                yield item

        return timed


def one_run(board: Path, jobs: int | None) -> dict[str, list[float]]:
    clean_board(board)  # not deleted: see measure.set_aside
    timers = Timers()
    modules = {"build": build_module, "Loading": build_module.Loading, "outputs": outputs_module}
    originals = {key: getattr(modules[key[0]], key[1]) for key in STAGES}
    for (module, name), label in STAGES.items():
        timers.wrap(modules[module], name, label)
    try:
        start = clock()
        build(BuildOptions(root=board, now=NOW, jobs=jobs))
        total = since(start)
    finally:
        for (module, name), fn in originals.items():
            setattr(modules[module], name, fn)
    counted = [sum(v[i] for v in timers.spent.values()) for i in range(3)]
    timers.spent["write and the rest"] = [total[i] - counted[i] for i in range(3)]
    timers.spent["total"] = list(total)
    return timers.spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("board", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    try:
        runs = [one_run(args.board, args.jobs) for _ in range(args.runs)]
    finally:
        empty_trash(args.board)
    print(f"{args.board}: median of {args.runs} cold builds, --jobs {args.jobs or 'default'}\n")
    print("| stage | wall (s) | CPU here (s) | CPU of workers (s) |")
    print("| --- | ---: | ---: | ---: |")
    for label in runs[0]:
        values = [statistics.median(run[label][i] for run in runs) for i in range(3)]
        print(f"| {label} | {values[0]:.2f} | {values[1]:.2f} | {values[2]:.2f} |")


if __name__ == "__main__":
    main()
