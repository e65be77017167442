"""Helpers for tests of the preview server: run it on a free port, fetch, wait for rebuilds."""

from __future__ import annotations

import http.client
import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from site_gen.build import BuildOptions
from site_gen.server import PreviewServer, ServeOptions
from tests.helpers import NOW

DEBOUNCE = 0.05  # short, so tests stay quick; real editors get DEFAULT_DEBOUNCE


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@contextmanager
def running_preview(
    root: Path, err: io.StringIO | None = None, debounce: float = DEBOUNCE, **build_options: object
) -> Iterator[PreviewServer]:
    """A preview server for ``root`` on a free port of 127.0.0.1, stopped on exit.

    What it prints goes to ``err`` (errors and warnings) and nowhere (progress).
    """
    build_options.setdefault("now", NOW)
    options = ServeOptions(
        build=BuildOptions(root=root, **build_options),  # type: ignore[arg-type]
        port=0,
        debounce=debounce,
    )
    preview = PreviewServer(options, out=io.StringIO(), err=err or io.StringIO())
    with preview:
        yield preview


def fetch(
    url: str, path: str, *, method: str = "GET", headers: dict[str, str] | None = None
) -> Response:
    """One request with ``path`` sent exactly as given (no client-side normalisation)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


def wait_for_build(preview: PreviewServer, after: int, timeout: float = 15) -> None:
    """Wait until a build later than build number ``after`` has finished."""
    deadline = time.monotonic() + timeout
    while preview.status.builds <= after:
        if time.monotonic() > deadline:
            raise AssertionError(f"no rebuild within {timeout} s (still build {after})")
        time.sleep(0.01)


def save(path: Path, text: str, preview: PreviewServer) -> None:
    """Write a source file and wait for the rebuild it causes."""
    before = preview.status.builds
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    wait_for_build(preview, before)


def settle(preview: PreviewServer, quiet: float = 0.5) -> None:
    """Wait until no build has run for ``quiet`` seconds (a follow-up build may be due)."""
    while True:
        builds = preview.status.builds
        time.sleep(quiet)
        if preview.status.builds == builds:
            return
