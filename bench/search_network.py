"""What the search page downloads, and how fast it answers, on big generated boards.

Usage::

    python bench/search_network.py [N ...] [--work DIR] [--query "senior python"]
                                   [--facet remote=remote] [--delay MS] [--throttle R]
                                   [--runs K] [--single-up-to M] [--js FILE]

For each N (10,000 and 100,000 by default), the board is written by ``bench/generate.py``
into ``DIR/board-N`` and built into ``DIR/out-N`` (both kept and reused: a 100,000-posting
build takes minutes; delete ``out-N`` to build again), then served on 127.0.0.1 by a
server that gzips what it sends, as static hosts do, and logs the bytes it sent. Headless
Chromium (Debian's, driven by Playwright, with its CPU slowed down ``R`` times through
``Emulation.setCPUThrottlingRate``) opens ``/search/``, types the query a key every
``MS`` ms, then ticks the facet value. Printed: the gzipped bytes of everything fetched
after the page's HTML (and which files), and the time from the last keystroke (and from
the tick) to the results on screen (search.js's ``search:shown`` event). With
``--single-up-to M`` the board is built with that threshold for shipping the index as one
file, to compare one file with shards on small boards.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import TODAY, board_is_current, generate_board

from tests.hosting import header_rules, headers_for

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RULES = header_rules()
PAGEFIND_KB = 300  # Pagefind's published figure: under 300 KB for a search on 10,000 pages


@dataclass
class Sent:
    """What the server sent: (path, bytes on the wire, gzipped or not) in order."""

    files: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class GzipHost(SimpleHTTPRequestHandler):
    """A static host that gzips text responses (level 6, as nginx and most hosts do)."""

    sent: ClassVar[Sent]
    script: ClassVar[Path | None] = None  # served in place of the built search.js

    def send_head(self) -> Any:  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        data = path.read_bytes()
        if self.script and path.parent.name == "assets" and path.name.startswith("search."):
            data = self.script.read_bytes()
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(data, compresslevel=6, mtime=0)
            encoding = "gzip"
        else:
            encoding = ""
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers_for(RULES, self.path.split("?", 1)[0]).items():
            self.send_header(name, value)  # netlify.toml's: assets are cached for good
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        with self.sent.lock:
            self.sent.files.append((self.path.split("?", 1)[0], len(data)))
        return _Body(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: Any) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextmanager
def serve(directory: Path, script: Path | None = None) -> Iterator[tuple[str, Sent]]:
    sent = Sent()
    handler = type("Host", (GzipHost,), {"sent": sent, "script": script})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", sent
    finally:
        server.shutdown()
        server.server_close()


# A build with another threshold for shipping the index as one file (to measure the choice).
BUILD = """
import sys
from datetime import datetime, UTC
from pathlib import Path
import site_gen.search_index
from site_gen.build import BuildOptions, build
site_gen.search_index.SINGLE_FILE_UP_TO = int(sys.argv[3])
now = datetime.fromisoformat(sys.argv[4]).replace(tzinfo=UTC)
build(BuildOptions(root=Path(sys.argv[1]), output=Path(sys.argv[2]), now=now, cache=False))
"""


def built_board(n: int, work: Path, single_up_to: int | None) -> Path:
    board = work / f"board-{n}"
    if not board_is_current(board, n):
        generate_board(n, board)
    if single_up_to is None:
        output = work / f"out-{n}"
        command = [str(Path(sys.executable).with_name("sitegen")), "build", "--output"]
        command += [str(output), "--now", TODAY.isoformat()]
    else:
        output = work / f"out-{n}-single-up-to-{single_up_to}"
        command = [sys.executable, "-c", BUILD, str(board), str(output), str(single_up_to)]
        command += [TODAY.isoformat()]
    if not (output / "search" / "index.html").is_file():
        subprocess.run(command, cwd=board, check=True)
    return output


WATCH = """
window.__shown = [];
document.addEventListener("input", () => { window.__lastInput = performance.now(); }, true);
document.addEventListener("change", () => { window.__lastInput = performance.now(); }, true);
document.getElementById("search").addEventListener("search:shown", (e) => {
  window.__shown.push([e.detail.q, e.detail.total, performance.now()]);
});
"""


# Typing as a person does, a key every ``delay`` ms, timed in the page: Playwright's own
# keystrokes each wait for a round trip to the browser, which on a busy machine spaces them
# further apart than a person would.
TYPE = """
([text, delay]) => new Promise((done) => {
  const input = document.getElementById("search-q");
  let at = 0;
  const key = () => {
    input.value = text.slice(0, ++at);
    input.dispatchEvent(new InputEvent("input", { bubbles: true, data: text[at - 1] }));
    if (at < text.length) setTimeout(key, delay);
    else done();
  };
  key();
})
"""


@dataclass(frozen=True)
class Run:
    files: list[tuple[str, int]]
    typed_ms: float  # last keystroke to results
    ticked_ms: float  # tick to results
    typed_total: int
    ticked_total: int

    @property
    def kb(self) -> float:
        return sum(size for _, size in self.files) / 1000


def measure(url: str, sent: Sent, query: str, facet: str, delay: int, throttle: float) -> Run:
    from playwright.sync_api import sync_playwright

    key, value = facet.split("=", 1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        with sent.lock:
            sent.files.clear()
        page.goto(url + "search/")
        page.wait_for_selector("#search-app:not([hidden])")
        page.evaluate(WATCH)
        page.wait_for_load_state("networkidle")
        page.locator("#search-q").focus()
        page.evaluate(TYPE, [query, delay])
        page.wait_for_function(
            "q => window.__shown.some(s => s[0] === q)", arg=query, timeout=60_000
        )
        typed = page.evaluate(
            "q => [window.__shown.find(s => s[0] === q), window.__lastInput]", query
        )
        shown_before = page.evaluate("window.__shown.length")
        group = page.locator(f'#search-filters details[data-facet="{key}"]')
        if not group.evaluate("d => d.open"):
            group.locator("summary").click()
        group.locator(f'input[value="{value}"]').check()
        page.wait_for_function(
            "n => window.__shown.length > n && location.search.includes('&')",
            arg=shown_before,
            timeout=60_000,
        )
        page.wait_for_load_state("networkidle")
        ticked = page.evaluate("[window.__shown[window.__shown.length - 1], window.__lastInput]")
        browser.close()
    with sent.lock:
        files = [f for f in sent.files if f[0] != "/search/"]
    return Run(
        files,
        typed_ms=typed[0][2] - typed[1],
        ticked_ms=ticked[0][2] - ticked[1],
        typed_total=typed[0][1],
        ticked_total=ticked[0][1],
    )


def kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if path.startswith("/search-index/"):
        return name.split("-", 1)[0] + " shards"
    if name == "search-index.json":
        return "head"
    return "page assets"


def report(n: int, runs: list[Run], query: str, facet: str) -> None:
    first = runs[0]
    print(f"\n{n:,} postings: query {query!r}, then {facet}; {len(first.files)} files fetched")
    groups: dict[str, list[int]] = {}
    for path, size in first.files:
        groups.setdefault(kind(path), []).append(size)
    for name, sizes in sorted(groups.items()):
        print(f"  {name:12} {len(sizes):4} files {sum(sizes) / 1000:8.1f} KB gzipped")
    kbs = [r.kb for r in runs]
    print(
        f"  total after the HTML: {statistics.median(kbs):.1f} KB gzipped "
        f"(runs: {', '.join(f'{k:.1f}' for k in kbs)}; Pagefind: under {PAGEFIND_KB} KB at 10,000)"
    )
    typed = [r.typed_ms for r in runs]
    ticked = [r.ticked_ms for r in runs]
    print(
        f"  last keystroke to results: median {statistics.median(typed):.0f} ms, "
        f"max {max(typed):.0f} ms ({first.typed_total:,} results)"
    )
    print(
        f"  tick to results: median {statistics.median(ticked):.0f} ms, "
        f"max {max(ticked):.0f} ms ({first.ticked_total:,} results)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench"))
    parser.add_argument("--query", default="senior python")
    parser.add_argument("--facet", default="remote=remote")
    parser.add_argument("--delay", type=int, default=150, help="ms between keystrokes")
    parser.add_argument("--throttle", type=float, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--js",
        type=Path,
        help="serve this file as the board's search.js (a board built before a script change)",
    )
    parser.add_argument(
        "--single-up-to",
        type=int,
        default=None,
        help="build with this SINGLE_FILE_UP_TO instead of the default (into out-N-single-up-to-X)",
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(
        f"CPU throttled {args.throttle:g}x, a key every {args.delay} ms, {args.runs} runs, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    for n in args.sizes:
        output = built_board(n, args.work, args.single_up_to)
        with serve(output, args.js) as (url, sent):
            runs = [
                measure(url, sent, args.query, args.facet, args.delay, args.throttle)
                for _ in range(args.runs)
            ]
        report(n, runs, args.query, args.facet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
