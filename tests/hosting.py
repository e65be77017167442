"""A static host for tests: serves a built site over real HTTP on 127.0.0.1 with the headers
that ``netlify.toml`` declares, pretty URLs, and the 404 page for missing paths.

Header rules are applied as Netlify's own local server applies them: every rule whose
``for`` pattern matches the path, in order.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

REPO = Path(__file__).resolve().parents[1]
NETLIFY_TOML = REPO / "netlify.toml"
HEADERS_FILE = REPO / "_headers"


@dataclass(frozen=True)
class HeaderRule:
    pattern: str  # "/*", "/assets/*" or an exact path
    values: dict[str, str]

    def matches(self, path: str) -> bool:
        if self.pattern.endswith("*"):
            return path.startswith(self.pattern[:-1])
        return path == self.pattern


def netlify_config() -> dict[str, Any]:
    return tomllib.loads(NETLIFY_TOML.read_text(encoding="utf-8"))


def header_rules(config: dict[str, Any] | None = None) -> list[HeaderRule]:
    config = config if config is not None else netlify_config()
    return [HeaderRule(rule["for"], dict(rule["values"])) for rule in config.get("headers", [])]


def headers_file_rules(text: str) -> list[HeaderRule]:
    """Rules of a ``_headers`` file: a path on its own line, then indented ``Name: value``."""
    rules: list[HeaderRule] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append(HeaderRule(line.strip(), {}))
        else:
            name, value = line.strip().split(":", 1)
            rules[-1].values[name.strip()] = value.strip()
    return rules


def headers_for(rules: Iterable[HeaderRule], path: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for rule in rules:
        if rule.matches(path):
            found.update(rule.values)
    return found


class StaticHost(SimpleHTTPRequestHandler):
    rules: ClassVar[tuple[HeaderRule, ...]] = ()

    def end_headers(self) -> None:
        for name, value in headers_for(self.rules, self.path.split("?", 1)[0]).items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


@contextmanager
def serve(directory: Path, rules: list[HeaderRule] | None = None) -> Iterator[str]:
    """Serve ``directory`` on a free port of 127.0.0.1; yield its base URL."""
    handler = type("Host", (StaticHost,), {"rules": tuple(rules or ())})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
