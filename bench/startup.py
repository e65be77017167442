"""Start-up cost: two sitegen checkouts side by side on tiny jobs, paired and alternating.

Each checkout is named by the Python interpreter of a virtualenv it is installed in, e.g.
``--python branch=.venv/bin/python --python main=/tmp/main/.venv/bin/python``. For each
command the runs alternate (A, B, A, B...), so both see the same load on average; the table
gives the medians of wall and CPU time (the child's user + system time) and B's median over
A's. The commands:

* ``sitegen --version``: the interpreter and the command line alone;
* a cold build of a 1-posting board (``bench/boards/1``): output and cache set aside first;
* a cold build of the example board (the repository's ``content/``, copied once to
  ``bench/out/startup/example``), and the same build again with its cache (warm);
* the cold 1-posting build again without sitegen's bytecode (see below).

With ``--hugo BINARY`` Hugo builds the 1-posting board too (the binary itself, not a
wrapper script that starts Python first).

The bytecode of every module is written before timing (one untimed run per checkout and
command, without ``PYTHONDONTWRITEBYTECODE``): an installed sitegen has it, compiled by pip,
while a checkout run with ``PYTHONDONTWRITEBYTECODE=1`` compiles its modules on every start,
which the last row measures (sitegen's ``__pycache__`` folders renamed for each of its runs).

Usage: ``python bench/startup.py --python NAME=PYTHON [--python NAME=PYTHON] [--runs 10]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from competitors import set_up_project, write_hugo_theme  # noqa: E402
from generate import board_is_current, generate_board  # noqa: E402
from measure import Run, clean_board, empty_trash, run_once, set_aside  # noqa: E402
from paired import checked  # noqa: E402

NOW = "2026-11-27"
EXAMPLE_PARTS = ("content", "static", "templates", "i18n", "sitegen.toml")


@dataclass(frozen=True)
class Job:
    """One command to time: ``argv`` after ``python -m site_gen``, run in ``cwd``;
    ``prepare`` runs before each run, untimed."""

    name: str
    argv: tuple[str, ...]
    cwd: Path
    prepare: Callable[[], None]
    bytecode: bool = True  # False: as a checkout that never wrote sitegen's bytecode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--python", action="append", required=True, metavar="NAME=PYTHON", help="a checkout"
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--hugo", metavar="BINARY", help="also time Hugo on the 1-posting board")
    args = parser.parse_args()
    # absolute, not resolved: a virtualenv's python is a symlink that must stay one
    pythons = [(n, str(Path(p).absolute())) for n, p in (a.split("=", 1) for a in args.python)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    log = BENCH / "out" / "startup.log"
    log.parent.mkdir(parents=True, exist_ok=True)

    tiny = BENCH / "boards" / "1"
    if not board_is_current(tiny, 1):
        generate_board(1, tiny)
    example = copy_example(BENCH / "out" / "startup" / "example")

    def warm() -> None:
        set_aside(example / "output")

    build = ("build", "--now", NOW)
    jobs = [
        Job("`sitegen --version`", ("--version",), tiny, lambda: None),
        Job("cold build, 1 posting", build, tiny, partial(clean_board, tiny)),
        Job("cold build, example board", build, example, partial(clean_board, example)),
        Job("warm build, example board (cache kept, output set aside)", build, example, warm),
        Job(
            "cold build, 1 posting, without sitegen's bytecode (`PYTHONDONTWRITEBYTECODE=1`)",
            build,
            tiny,
            partial(clean_board, tiny),
            bytecode=False,
        ),
    ]
    names = [name for name, _ in pythons]
    head = " | ".join(f"{n} wall (s) | {n} CPU (s)" for n in names)
    ratio = f" | {names[1]} / {names[0]} (wall)" if len(names) == 2 else ""
    print(f"| command | {head}{ratio} |")
    print("| --- |" + " ---: |" * (2 * len(names) + (1 if ratio else 0)))
    for job in jobs:
        runs: dict[str, list[Run]] = {name: [] for name in names}
        for _, python in pythons:  # untimed: writes the bytecode, warms the file cache
            job.prepare()
            checked(run_once([python, "-m", "site_gen", *job.argv], job.cwd, env, None, log), log)
        for _ in range(args.runs):
            for name, python in pythons:
                job.prepare()
                cmd = [python, "-m", "site_gen", *job.argv]
                with bytecode_set_aside(python, not job.bytecode):
                    run_env = env if job.bytecode else {**env, "PYTHONDONTWRITEBYTECODE": "1"}
                    run = run_once(cmd, job.cwd, run_env, None, log, installed=job.bytecode)
                    runs[name].append(checked(run, log))
        print(row(job.name, [runs[n] for n in names]), flush=True)
    if args.hugo:
        print(row("Hugo, cold build, 1 posting", [hugo_runs(args.hugo, tiny, args.runs, log)]))
    print(f"\n{args.runs} runs each, alternating; load average {os.getloadavg()[0]:.1f}.")
    empty_trash()


@contextmanager
def bytecode_set_aside(python: str, aside: bool) -> Iterator[None]:
    """With ``aside``, sitegen's ``__pycache__`` folders (of the checkout ``python`` runs)
    are renamed for the duration, as in a checkout that never wrote them."""
    if not aside:
        yield
        return
    where = subprocess.run(
        [python, "-c", "import site_gen; print(site_gen.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    folders = list(Path(where.stdout.strip()).parent.rglob("__pycache__"))
    for folder in folders:
        folder.rename(folder.with_name("__pycache__.aside"))
    try:
        yield
    finally:
        for folder in folders:
            folder.with_name("__pycache__.aside").rename(folder)


def row(name: str, results: list[list[Run]]) -> str:
    walls = [statistics.median(r.wall for r in runs) for runs in results]
    cells = [
        f"{wall:.3f} | {statistics.median(r.cpu for r in runs):.3f}"
        for wall, runs in zip(walls, results, strict=True)
    ]
    ratio = [f"{walls[1] / walls[0]:.2f}"] if len(walls) == 2 else []
    return "| " + " | ".join([name, *cells, *ratio]) + " |"


def hugo_runs(binary: str, board: Path, runs: int, log: Path) -> list[Run]:
    project, _ = set_up_project("hugo", board, "content/jobs", write_hugo_theme)
    output = BENCH / "out" / "startup" / "hugo-1"
    cmd = [
        str(Path(binary).absolute()),
        "--source",
        str(project),
        "--destination",
        str(output),
        "--quiet",
    ]
    results = []
    for _ in range(runs + 1):
        set_aside(output)
        results.append(checked(run_once(cmd, project, None, None, log), log))
    return results[1:]  # the first one, untimed, as for sitegen


def copy_example(target: Path) -> Path:
    """The repository's example board, copied once (a build writes into its folder)."""
    if not (target / "sitegen.toml").exists():
        target.mkdir(parents=True, exist_ok=True)
        for part in EXAMPLE_PARTS:
            source = BENCH.parent / part
            if source.is_dir():
                shutil.copytree(source, target / part)
            elif source.is_file():
                shutil.copy2(source, target / part)
    return target


if __name__ == "__main__":
    main()
