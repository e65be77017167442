"""The CI build: a fresh clone with only ``.sitegen-cache/`` restored, against Hugo's cold build.

What a Netlify or GitHub Actions build does when it restores the cache folder: the board's
sources are checked out anew (new files, new modification times, no ``output/``), the
cache of the previous deploy is put back, and the commit being built added some postings
and edited others. Each timed sitegen run gets such a clone (prepared untimed): the base
board with ``--added`` new postings and ``--edited`` postings changed, and the cache a cold
build of the base board left. Hugo builds the same base board cold; runs alternate
(sitegen, Hugo, sitegen, ...) so both see the same machine load.

Usage: ``python bench/ci_build.py --size 10000 --runs 3 [--added 10 --edited 5]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from competitors import build_hugo  # noqa: E402
from generate import board_is_current, generate_board  # noqa: E402
from measure import Run, empty_trash, run_once, set_aside, sitegen_env  # noqa: E402

NOW = "2026-11-27"


def prepare_clone(base: Path, cache: Path, clone: Path, added: int, edited: int, seed: int) -> None:
    """A fresh checkout of ``base`` with the cache restored, ``added`` postings more and
    ``edited`` postings changed."""
    set_aside(clone)  # not deleted: see measure.set_aside
    shutil.copytree(base / "content", clone / "content")
    shutil.copy2(base / "sitegen.toml", clone / "sitegen.toml")
    shutil.copytree(cache, clone / ".sitegen-cache")
    jobs = clone / "content" / "jobs"
    with tempfile.TemporaryDirectory() as extra:
        generate_board(added, extra, seed=1000 + seed)
        for number, path in enumerate(sorted((Path(extra) / "content" / "jobs").glob("*.md"))):
            shutil.copy2(path, jobs / f"new-{seed}-{number}-{path.name}")
    for path in sorted(jobs.glob("*.md"))[:edited]:
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(f"{text}\n\n_Edited for CI run {seed}._\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--added", type=int, default=10)
    parser.add_argument("--edited", type=int, default=5)
    parser.add_argument("--work", type=Path, default=BENCH / "out" / "ci")
    args = parser.parse_args()

    base = BENCH / "boards" / str(args.size)
    if not board_is_current(base, args.size):
        generate_board(args.size, base)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    sitegen = [sys.executable, "-m", "site_gen", "build", "--now", NOW]
    env = sitegen_env()

    # The cache a deploy of the base board leaves behind.
    seeded = work / "seed"
    if seeded.exists():
        shutil.rmtree(seeded)
    shutil.copytree(base / "content", seeded / "content")
    shutil.copy2(base / "sitegen.toml", seeded / "sitegen.toml")
    log = work / "seed.log"
    first = run_once(sitegen, seeded, env, None, log)
    if first.returncode != 0:
        raise SystemExit(f"seeding build failed:\n{log.read_text()[-2000:]}")
    cache = seeded / ".sitegen-cache"
    size = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    print(f"cold build of the base board: {first.wall:.2f} s; cache {size / 2**20:.1f} MiB")

    hugo = build_hugo(base, work / "hugo-site")
    clone = work / "clone"
    ours: list[Run] = []
    theirs: list[Run] = []
    for run in range(args.runs):
        prepare_clone(base, cache, clone, args.added, args.edited, run)
        done = run_once(sitegen, clone, env, None, work / "sitegen.log")
        if done.returncode != 0:
            raise SystemExit((work / "sitegen.log").read_text()[-2000:])
        ours.append(done)
        set_aside(hugo.output)
        theirs.append(run_once(hugo.cmd, hugo.cwd, hugo.env, None, work / "hugo.log"))
        print(f"run {run + 1}: sitegen CI {done.wall:.2f} s, hugo cold {theirs[-1].wall:.2f} s")
    wall = statistics.median(r.wall for r in ours)
    hugo_wall = statistics.median(r.wall for r in theirs)
    print(
        f"{args.size} postings, {args.added} added and {args.edited} edited, cache restored: "
        f"sitegen {wall:.2f} s (CPU {statistics.median(r.cpu for r in ours):.2f} s), "
        f"Hugo cold {hugo_wall:.2f} s: ratio {wall / hugo_wall:.2f}; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    empty_trash()


if __name__ == "__main__":
    main()
