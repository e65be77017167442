"""What the preview serves for a request path: a file found safely below the output folder,
its content type, the message pages that stand in for pages (``SiteHandler`` answers the
requests), and which files pages load.

Kept apart from the server (``server.py``), which runs the threads, the builds and the live
reload.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, unquote

from tornado import web

REFUSED_ENCODINGS = re.compile(r"%(2f|5c|00)", re.IGNORECASE)  # encoded / and \ and NUL
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".webmanifest": "application/manifest+json",
    ".ico": "image/x-icon",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}


@dataclass(frozen=True)
class Lookup:
    """Where a request path leads: a file (200), a redirect (301), 403 or 404."""

    status: int
    file: Path | None = None
    location: str | None = None


def lookup(root: Path, raw_path: str) -> Lookup:
    """Map a raw (still percent-encoded) request path to a file below ``root``, safely."""
    if not raw_path.startswith("/") or REFUSED_ENCODINGS.search(raw_path):
        return Lookup(403)
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return Lookup(404)
    parts = [part for part in path.split("/") if part]
    if "\\" in path or "\x00" in path or any(part in {".", ".."} for part in parts):
        return Lookup(403)
    real_root = root.resolve()
    try:
        real = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return Lookup(404)
    if not real.is_relative_to(real_root):
        return Lookup(403)  # a symlink that leads out of the output folder
    if real.is_dir():
        pretty = "/" + "".join(quote(part) + "/" for part in parts)
        if not path.endswith("/"):
            return Lookup(301, location=pretty)
        return lookup(root, pretty + "index.html")
    return Lookup(200, file=real) if real.is_file() else Lookup(404)


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def message_page(title: str, message: str, hint: str = "") -> bytes:
    """A small self-contained page (the theme may be what is broken)."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)} – sitegen preview</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;"
        "padding:0 1rem}pre{background:#fff5f5;border-left:4px solid #d1242f;padding:1rem;"
        "white-space:pre-wrap;overflow-wrap:anywhere}</style>\n</head>\n<body>\n"
        f'<main class="sitegen-message" role="alert">\n<h1>{escape(title)}</h1>\n'
        f"<pre>{escape(message)}</pre>\n<p>{escape(hint)}</p>\n</main>\n</body>\n</html>\n"
    ).encode()


def error_page(message: str) -> bytes:
    return message_page(
        "Build failed", message, "Fix the problem and save: this page reloads by itself."
    )


NOT_LOADED_BY_PAGES = (".xml", ".txt", "sitegen-jobs.json", "_headers", "_redirects")


def loaded_by_pages(path: str) -> bool:
    """Whether a page may load this file (a style, a script, an image, the search index);
    HTML pages, feeds, sitemaps and the files for crawlers and hosts are not."""
    return not path.endswith((".html", *NOT_LOADED_BY_PAGES))


class Served(Protocol):
    """What the request handler needs of the preview server."""

    @property
    def output(self) -> Path: ...

    @property
    def build_error(self) -> str | None: ...

    def answers_host(self, host_name: str) -> bool: ...


class SiteHandler(web.RequestHandler):
    """Serves the last good build; an error page instead of pages while the build is broken."""

    def initialize(self, preview: Served) -> None:
        self.preview = preview

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def get(self) -> None:
        if not self.preview.answers_host(self.request.host_name):
            return self._page(403, message_page("Forbidden", "Unknown host name."))
        found = lookup(self.preview.output, self.request.path)
        error = self.preview.build_error
        if found.status == 301 and found.location:
            query = f"?{self.request.query}" if self.request.query else ""
            return self.redirect(found.location + query, permanent=True)
        if found.status == 403:
            return self._page(403, message_page("Forbidden", self.request.path))
        if error is not None and (found.file is None or found.file.suffix == ".html"):
            return self._page(500, error_page(error))
        if found.file is not None:
            try:
                return self._send(200, found.file.read_bytes(), content_type(found.file))
            except OSError:
                pass  # replaced by a new build in between: answer as missing
        return self._not_found()

    head = get

    def _not_found(self) -> None:
        try:
            page = (self.preview.output / "404.html").read_bytes()
        except OSError:
            page = message_page("Page not found", self.request.path)
        self._page(404, page)

    def _page(self, status: int, html: bytes) -> None:
        self._send(status, html, CONTENT_TYPES[".html"])

    def _send(self, status: int, data: bytes, kind: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.finish(data)
