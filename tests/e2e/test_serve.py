"""The preview server end to end: the served output equals a full build; the CLI."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import html as lxml_html

from site_gen.build import BuildOptions, build
from site_gen.server import PreviewServer
from tests.helpers import NOW, posting_text, tree_bytes
from tests.serving import fetch, running_preview, settle, wait_for_build


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
        settle(preview)
        assert preview.status.error is None
        served = tree_bytes(preview.output)
        fresh = tmp_path / "fresh"
        build(BuildOptions(root=board, output=fresh, now=NOW, base_url=preview.url))
    assert served == tree_bytes(fresh)
    assert "jobs/platform-engineer/index.html" in served
    assert "jobs/backend-engineer/index.html" not in served
    assert "jobs/remote-designer/index.html" not in served
    assert any(re.fullmatch(r"assets/extra\.[0-9a-f]+\.css", name) for name in served)


@pytest.mark.server
def test_every_link_of_the_example_board_resolves() -> None:
    """The repository's example board, served: every internal link leads to a page."""
    repo = Path(__file__).resolve().parents[2]
    with running_preview(repo) as preview:
        assert preview.status.error is None
        seen: set[str] = set()
        queue = ["/"]
        while queue:
            path = queue.pop()
            if path in seen:
                continue
            seen.add(path)
            response = fetch(preview.url, path)
            assert response.status == 200, path
            if response.headers["Content-Type"].startswith("text/html"):
                for href in lxml_html.fromstring(response.body).xpath("//a/@href|//link/@href"):
                    parts = urlsplit(urljoin(preview.url + path.lstrip("/"), href))
                    if parts.netloc == urlsplit(preview.url).netloc:
                        queue.append(parts.path)
    assert len(seen) > 100  # postings, listings, facet pages, feeds, assets


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
        serving = f"Serving http://127.0.0.1:{port}/ (press Ctrl-C to stop)\n"
        printed = []
        while (line := process.stdout.readline()) not in (serving, ""):  # "": it ended
            printed.append(line)
        assert line == serving, printed
        summary = next(line for line in printed if line.startswith("Built "))
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
