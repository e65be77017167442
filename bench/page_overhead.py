"""CPU time of a page's work around its rendering, in one process, part by part.

Builds a copy of the board cold (filling a build cache: descriptions, pages, the pages'
dictionary), renders every page ``incremental.cached`` renders once (untimed), then times,
over every page and in each round: making its view (``SiteViews[i]``), keying it
(``ViewDigests``, fresh each round as each build's), the SHA-256 of its bytes, packing them
for the cache, staging them in a fresh staging folder, and for posting pages reading the
description back from the cache (on a fresh reader, as a worker does); then all of
``incremental._Page`` but the rendering (its renderer answering with the bytes rendered
beforehand). The collector is off, as in ``sitegen build``. Prints each part's median
process time over ``--rounds``, and the cache's size.

``--code DIR`` imports ``site_gen`` from another checkout (e.g. ``git archive main`` unpacked
in DIR), for a before/after in the same session: run both, alternating.

Usage: ``python bench/page_overhead.py bench/boards/1000 [--code DIR] [--rounds 5]``
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

NOW = datetime(2026, 11, 27, tzinfo=UTC)


@dataclass(frozen=True)
class Rendered:
    """A renderer that answers with the bytes rendered beforehand: ``_Page`` without rendering."""

    env: Any
    data: dict[str, bytes]  # by path

    def render(self, view: Any) -> bytes:
        return self.data[view.path]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("board", type=Path)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", type=Path, default=None, help="where to build (e.g. /dev/shm)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    gc.disable()
    with tempfile.TemporaryDirectory(dir=args.work) as work:
        board = Path(work) / "board"
        board.mkdir()
        shutil.copytree(args.board / "content", board / "content")
        shutil.copy(args.board / "sitegen.toml", board / "sitegen.toml")
        times = measure(board, args.rounds)
        cache_size = sum(p.stat().st_size for p in (board / ".sitegen-cache").rglob("*"))
    print(f"{args.board} ({args.code}): median process time of {args.rounds} rounds")
    for part, spent in times.items():
        shown = " ".join(f"{t * 1000:.0f}" for t in spent)
        print(f"{part:34} {statistics.median(spent) * 1000:8.1f} ms  ({shown})")
    print(f"{'build cache':34} {cache_size / (1 << 20):8.2f} MiB")


def measure(board: Path, rounds: int) -> dict[str, list[float]]:
    from site_gen.build import BuildOptions, IncrementalBuilder
    from site_gen.theme import translations_of
    from site_gen.views import SiteViews

    builder = IncrementalBuilder(BuildOptions(root=board, now=NOW, jobs=1))
    times: dict[str, list[float]] = {}
    with builder:
        builder.build()  # cold: fills the cache
        assert builder._last is not None
        site, pages, _ = builder._last
        env, fingerprint = builder.environment(site.config, board, site.urls)
        views = SiteViews(site, translations_of(env))
        data = {view.path: pages.render(view) for view in views}
        for number in range(rounds):
            spent = one_round(builder, views, data, (env, fingerprint), board / f"out-{number}")
            for part, seconds in spent.items():
                times.setdefault(part, []).append(seconds)
    return times


def one_round(
    builder: Any, views: Any, data: dict[str, bytes], environment: tuple[Any, str], out: Path
) -> dict[str, float]:
    """Each part's process time over every page, then ``_Page``'s without rendering."""
    from site_gen.cache_keys import digest_of
    from site_gen.incremental import _Page
    from site_gen.view_digests import ViewDigests
    from site_gen.views import PostingView
    from site_gen.writer import Staging

    env, fingerprint = environment
    count, cache, site = len(views), builder.cache, builder._last[0]
    spent: dict[str, float] = {}
    with Staging(out) as staging, Staging(out) as whole:
        context = builder.context(site, env, builder.options.root, fingerprint, staging)
        made = timed(
            spent, f"views ({count} pages)", lambda: list(map(views.__getitem__, range(count)))
        )
        keys = ViewDigests()
        timed(spent, "key (ViewDigests)", lambda: [keys.key(fingerprint, v) for v in made])
        rendered = [data[view.path] for view in made]
        digests = timed(
            spent, "digest_of (SHA-256 of the bytes)", lambda: list(map(digest_of, rendered))
        )
        timed(spent, "pack_page", lambda: list(map(cache.pack_page, rendered)))
        timed(
            spent,
            "stage (fresh staging folder)",
            lambda: [
                staging.spot.stage(v.path, d, h, staging.entry(v.path))
                for v, d, h in zip(made, rendered, digests, strict=True)
            ],
        )
        postings = [view.posting for view in made if isinstance(view, PostingView)]
        described = lambda: list(map(context.pages.description, postings))  # noqa: E731
        timed(spent, f"description ({len(postings)} postings)", described)
        without = replace(context, pages=Rendered(env, data), staging=whole, digests=None)
        page = _Page(without, views, 0, False, cache.pages())
        timed(spent, "_Page without rendering", lambda: list(map(page, range(count))))
    return spent


def timed(spent: dict[str, float], part: str, run: Callable[[], list[T]]) -> list[T]:
    started = time.process_time()
    result = run()
    spent[part] = time.process_time() - started
    return result


if __name__ == "__main__":
    main()
