"""CPU time of rendering each kind of page, in one process, without writing anything.

Builds the board once (to get its site), then makes the templates' environment and compiles
the page templates (as a build on a cold cache does: every template parsed, the build's
constants folded, the code generated and compiled), then renders every posting, listing and
facet-feed view with ``Pages.render``, each kind in a fresh templates' environment per
round, so that templates are compiled and cards and pay formatted as in a cold build;
descriptions are rendered beforehand (the build cache supplies them in a real build).
Prints the lowest process time of ``--rounds`` per kind: steadier than a whole build's on a
busy machine.

``--code DIR`` imports ``site_gen`` from another checkout (e.g. ``git archive main`` unpacked
in DIR), for a before/after in the same session.

Usage: ``python bench/render_cpu.py bench/boards/1000 [--code DIR] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

NOW = datetime(2026, 11, 27)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("board", type=Path)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    from site_gen.build import BuildOptions, build
    from site_gen.pages import Pages
    from site_gen.theme import CARD_TEMPLATE, make_environment, translations_of
    from site_gen.views import PAGE_TEMPLATES, feed_views, listing_views, posting_views

    root = args.board.resolve()
    with tempfile.TemporaryDirectory() as output:
        options = BuildOptions(root=root, now=NOW, output=Path(output), cache=False, jobs=1)
        site = build(options).site
    described: dict[str, str] = {}

    def pages() -> Any:
        made = Pages(make_environment(site.config, root, site.urls), site, root, _get(described))
        return made

    templates = []
    for _ in range(args.rounds):
        started = time.process_time()
        env = make_environment(site.config, root, site.urls)
        for name in (CARD_TEMPLATE, *PAGE_TEMPLATES):
            env.get_template(name)
        templates.append(time.process_time() - started)
    shown = " ".join(f"{t:.3f}" for t in templates)
    print(
        f"{'templates':14} {len(PAGE_TEMPLATES) + 1:5} made   min {min(templates):.3f} s CPU  ({shown})"
    )
    first = pages()
    for posting in (*site.published, *site.expired):
        described[posting.slug] = first.description_html(posting)
    kinds: dict[str, Callable[[Any], Iterable[Any]]] = {
        "posting pages": lambda p: posting_views(site),
        "listing pages": lambda p: listing_views(site),
        "facet feeds": lambda p: feed_views(site, translations_of(p.env)),
    }
    for kind, views_of in kinds.items():
        times = []
        for _ in range(args.rounds):
            renderer = pages()
            views = list(views_of(renderer))
            started = time.process_time()
            for view in views:
                renderer.render(view)
            times.append(time.process_time() - started)
        shown = " ".join(f"{t:.3f}" for t in times)
        print(f"{kind:14} {len(views):5} views  min {min(times):.3f} s CPU  ({shown})")


def _get(described: dict[str, str]) -> Callable[[Any], str | None]:
    return lambda posting: described.get(posting.slug)


if __name__ == "__main__":
    main()
