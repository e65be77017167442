"""How long after saving one posting does the preview server have the rebuilt site in place?

Usage::

    python bench/serve_rebuild.py                      # 1,000 and 10,000 postings
    python bench/serve_rebuild.py --sizes 1000 --runs 7

For each board size it generates a board with ``bench/generate.py`` (kept in ``bench/boards/``
and reused while current), then measures

* the full build from scratch into an empty folder (median of ``--full-runs``; 0 skips it:
  at 10,000 postings each takes half a minute), and
* with the preview server running (its default debounce) and a tab connected as
  livereload.js connects, on the page of the posting that is edited (its description's
  end, as ``generate.edit_one_posting`` does): the time from the moment the posting is
  saved until the tab is told to reload and the served page shows the edit (what the
  person previewing sees), and until the server's rebuilt site is in place: the build
  finished and the page shows the edit (medians of ``--runs`` edits). The rebuild's own
  time (without the debounce wait) is reported beside them.

Prints a Markdown table for the README. Re-run it after changing the build: the figures move
with it.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent))

from generate import (  # noqa: E402
    EDIT_MARKER,
    board_is_current,
    edit_one_posting,
    first_posting,
    generate_board,
)
from tornado.websocket import websocket_connect  # noqa: E402

from site_gen.build import BuildOptions, build  # noqa: E402
from site_gen.server import DEFAULT_DEBOUNCE, PreviewServer, ServeOptions  # noqa: E402


@dataclass(frozen=True)
class Result:
    postings: int
    full_build: float | None
    save_to_reload: float
    save_to_served: float
    rebuild: float
    runs: int


def board_for(n: int, boards: Path) -> Path:
    board = boards / f"serve-{n}"
    if not board_is_current(board, n):
        print(f"generating {n} postings in {board} ...", file=sys.stderr)
        generate_board(n, board)
    return board


def full_build_seconds(board: Path, runs: int) -> float | None:
    if runs == 0:
        return None
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as scratch:
            started = time.perf_counter()
            build(BuildOptions(root=board, output=Path(scratch) / "site"))
            times.append(time.perf_counter() - started)
    return statistics.median(times)


class Tab:
    """A browser tab on one page, as livereload.js connects it: it records when the server
    tells it to reload (a websocket client on a thread and event loop of its own)."""

    def __init__(self, preview: PreviewServer, page: str) -> None:
        self.reloads: list[float] = []
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, args=(preview.url, page), daemon=True)
        self._thread.start()
        if not self._ready.wait(30):
            raise SystemExit("the tab could not connect to the preview server")

    def _run(self, url: str, page: str) -> None:
        self._loop.run_until_complete(self._listen(url, page))

    async def _listen(self, url: str, page: str) -> None:
        socket = await websocket_connect(url.replace("http", "ws") + "livereload")
        await socket.write_message(json.dumps({"command": "hello", "protocols": []}))
        await socket.read_message()
        await socket.write_message(json.dumps({"command": "info", "url": url + page}))
        await asyncio.sleep(0.1)  # the server registers the tab
        self._ready.set()
        while (message := await socket.read_message()) is not None:
            if json.loads(message).get("command") == "reload":
                self.reloads.append(time.perf_counter())

    def reload_after(self, moment: float) -> float | None:
        return next((t for t in self.reloads if t > moment), None)


def save_and_wait(preview: PreviewServer, tab: Tab) -> tuple[float, float, float]:
    """Save one posting; return the seconds until the tab on its page is told to reload and
    the page shows the edit, until the rebuilt site is served, and the rebuild's own."""
    before = preview.status.builds
    started = time.perf_counter()
    path = edit_one_posting(preview.build_options.root)
    marker = path.read_text(encoding="utf-8").rsplit(EDIT_MARKER, 1)[1].split(")")[0]
    page = preview.output / "jobs" / path.stem / "index.html"
    expected = f"revision {marker})".encode()
    reloaded = None
    while True:
        status = preview.status
        if (
            reloaded is None
            and (moment := tab.reload_after(started))
            and expected in page.read_bytes()
        ):
            reloaded = moment - started
        if status.builds > before:
            if status.error is not None:
                raise SystemExit(f"the rebuild failed:\n{status.error}")
            if expected in page.read_bytes():
                break
        time.sleep(0.001)
    served = time.perf_counter() - started
    while reloaded is None:  # the reload after the rebuild is sent just after it
        if moment := tab.reload_after(started):
            reloaded = moment - started
        time.sleep(0.001)
    assert status.report is not None
    return reloaded, served, status.report.seconds


def measure(n: int, boards: Path, runs: int, full_runs: int) -> Result:
    board = board_for(n, boards)
    full = full_build_seconds(board, full_runs)
    options = ServeOptions(build=BuildOptions(root=board), port=0, debounce=DEFAULT_DEBOUNCE)
    samples = []
    with PreviewServer(options, out=io.StringIO(), err=io.StringIO()) as preview:
        tab = Tab(preview, f"jobs/{first_posting(board).stem}/")
        for _ in range(runs):
            samples.append(save_and_wait(preview, tab))
            time.sleep(DEFAULT_DEBOUNCE * 3)  # let the watcher settle between edits
    return Result(
        postings=n,
        full_build=full,
        save_to_reload=statistics.median(s[0] for s in samples),
        save_to_served=statistics.median(s[1] for s in samples),
        rebuild=statistics.median(s[2] for s in samples),
        runs=runs,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5, help="edits per size (default 5)")
    parser.add_argument("--full-runs", type=int, default=3, help="full builds per size (0: none)")
    parser.add_argument("--boards", type=Path, default=BENCH_DIR / "boards")
    args = parser.parse_args(argv)
    results = [measure(n, args.boards, args.runs, args.full_runs) for n in args.sizes]
    print(
        f"| postings | full build | save → tab reloaded on the edit (median of {args.runs}) "
        "| save → rebuilt site served | of which the rebuild |"
    )
    print("| ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        full = "–" if r.full_build is None else f"{r.full_build:.2f} s"
        print(
            f"| {r.postings:,} | {full} | {r.save_to_reload:.2f} s | {r.save_to_served:.2f} s "
            f"| {r.rebuild:.2f} s |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
