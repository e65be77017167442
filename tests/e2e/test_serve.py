"""The preview server end to end: served output equals a full build, the CLI, a real browser."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html as lxml_html

from site_gen.build import BuildOptions, build
from site_gen.server import PreviewServer
from tests.helpers import NOW, posting_text, tree_bytes
from tests.serving import fetch, running_preview, wait_for_build

CHROMIUM = "/usr/bin/chromium"


def change(preview: PreviewServer, action: Callable[[], object]) -> None:
    """Change the sources and wait for the rebuild that follows."""
    before = preview.status.builds
    action()
    wait_for_build(preview, before)


@pytest.mark.server
def test_served_output_equals_a_full_build_after_edits(board: Path, tmp_path: Path) -> None:
    jobs = board / "content" / "jobs"
    with running_preview(board) as preview:
        steps: list[Callable[[], object]] = [
            lambda: (jobs / "backend-engineer.md").write_text(posting_text(title="Renamed role")),
            lambda: (jobs / "data-lead.md").write_text(
                posting_text(title="Data Lead", tags=["sql"], date_posted="2026-11-26")
            ),
            lambda: (jobs / "intern.md").write_text(posting_text(title="Intern", draft=True)),
            lambda: (jobs / "backend-engineer.md").rename(jobs / "platform-engineer.md"),
            lambda: (jobs / "remote-designer.md").unlink(),
            lambda: (jobs / "data-lead.md").write_text("---\ntitle: [broken\n---\n"),
            lambda: (jobs / "data-lead.md").write_text(posting_text(title="Data Lead II")),
            lambda: (board / "content" / "pages" / "about.md").write_text(
                "---\ntitle: About us\n---\nNew text.\n"
            ),
            lambda: (board / "static").mkdir(),
            lambda: (board / "static" / "extra.css").write_text("p { color: red }"),
        ]
        for step in steps:
            change(preview, step)
        assert preview.status.error is None
        served = tree_bytes(preview.output)
        fresh = tmp_path / "fresh"
        build(BuildOptions(root=board, output=fresh, now=NOW, base_url=preview.url))
    assert served == tree_bytes(fresh)
    assert "jobs/platform-engineer/index.html" in served
    assert "jobs/backend-engineer/index.html" not in served
    assert "jobs/remote-designer/index.html" not in served
    assert "assets/extra.css" in served


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.server
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_cli_serve_runs_until_stopped(board: Path, stop_signal: signal.Signals) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "site_gen", "serve", "--port", str(port)],
        cwd=board,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # A shell's background jobs ignore SIGINT, and children inherit that: undo it, as a
        # terminal's Ctrl-C would find it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        summary = process.stdout.readline()
        assert (
            process.stdout.readline()
            == f"Serving http://127.0.0.1:{port}/ (press Ctrl-C to stop)\n"
        )
        output = Path(re.search(r"-> (.+)$", summary.strip()).group(1))  # type: ignore[union-attr]
        assert (output / "index.html").is_file()
        assert fetch(f"http://127.0.0.1:{port}/", "/jobs/backend-engineer/").status == 200

        process.send_signal(stop_signal)
        assert process.wait(timeout=30) == 0
        assert process.stdout.read() == "Stopping.\n"
        assert not output.exists()  # the preview build is removed
        assert not (board / "output").exists()  # and the deploy folder never touched
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()


def wait_until(condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.browser
@pytest.mark.server
def test_browser_reloads_on_save_and_shows_a_broken_build(board: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    posting = board / "content" / "jobs" / "backend-engineer.md"
    connected = (
        "() => !!(window.LiveReload && window.LiveReload.connector"
        " && window.LiveReload.connector.protocol)"
    )
    with running_preview(board) as preview, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            tab = browser.new_page()

            def heading_after(action: Callable[[], object], expected: str) -> None:
                tab.wait_for_function(connected, timeout=15_000)
                wait_until(lambda: preview.listening_tabs() == 1)
                tab.evaluate("window.beforeReload = true")
                action()
                tab.wait_for_function(
                    "h => document.querySelector('h1')?.textContent === h",
                    arg=expected,
                    timeout=15_000,
                )
                assert tab.evaluate("window.beforeReload") is None  # a real reload

            tab.goto(preview.url + "jobs/backend-engineer/")
            assert tab.text_content("h1") == "Backend Engineer"
            heading_after(lambda: posting.write_text(posting_text(title="Changed")), "Changed")
            heading_after(lambda: posting.write_text("---\ntitle: [x\n---\n"), "Build failed")
            assert "content/jobs/backend-engineer.md:3: invalid YAML" in tab.text_content("pre")
            heading_after(lambda: posting.write_text(posting_text(title="Fixed")), "Fixed")
            html = lxml_html.fromstring(tab.content())
            assert html.xpath("//h1/text()") == ["Fixed"]
        finally:
            browser.close()
