"""``sitegen import`` over HTTP: a local server on 127.0.0.1 answers as each system's API
is documented to (the path, the query), with the saved responses of tests/fixtures/import/."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from site_gen.cli import main
from tests.helpers import write_board

pytestmark = pytest.mark.server

FIXTURES = Path(__file__).parent / "fixtures" / "import"
# Each system's documented request for the board "acme": the path and the query it needs.
DOCUMENTED = {
    "/v1/boards/acme/jobs": ("greenhouse", {"content": ["true"]}),
    "/v0/postings/acme": ("lever", {"mode": ["json"]}),
    "/posting-api/job-board/acme": ("ashby", {"includeCompensation": ["true"]}),
}


class FakeApi(BaseHTTPRequestHandler):
    """Serves a fixture only for the documented request; 404 for any other board."""

    requests: list[tuple[str, str, str]]

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.requests.append((self.path, self.headers["Accept"], self.headers["User-Agent"]))
        found = DOCUMENTED.get(url.path)
        if found is None:
            self.send_error(404, "Document not found")
            return
        system, query = found
        if parse_qs(url.query) != query:
            self.send_error(400, f"expected the query {query}")
            return
        body = (FIXTURES / f"{system}-acme.json").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def api() -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
    requests: list[tuple[str, str, str]] = []
    handler = type("Handler", (FakeApi,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("system", "request_path", "added"),
    [
        ("greenhouse", "/v1/boards/acme/jobs?content=true", 4),
        ("lever", "/v0/postings/acme?mode=json", 4),
        ("ashby", "/posting-api/job-board/acme?includeCompensation=true", 3),
    ],
)
def test_import_reads_the_documented_api(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    api: tuple[str, list[tuple[str, str, str]]],
    system: str,
    request_path: str,
    added: int,
) -> None:
    base, requests = api
    monkeypatch.chdir(write_board(tmp_path / "board"))
    assert main(["import", system, "acme", "--api-url", base]) == 0
    (path, accept, agent), *_ = requests
    assert (path, accept) == (request_path, "application/json")
    assert agent.startswith("sitegen/")
    out = capsys.readouterr().out
    assert f"{added} added" in out.splitlines()[-1]
    assert len(list(Path("content/jobs").glob("*.md"))) == added
    assert main(["check"]) == 0


def test_an_unknown_board_is_a_one_line_error_and_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    api: tuple[str, list[tuple[str, str, str]]],
) -> None:
    base, _ = api
    monkeypatch.chdir(write_board(tmp_path / "board"))
    assert main(["import", "lever", "nobody", "--api-url", base]) == 1
    assert capsys.readouterr().err == (
        f"error: {base}/v0/postings/nobody?mode=json: HTTP 404 Document not found "
        "(is 'nobody' the lever board name?)\n"
    )
    assert list(Path("content/jobs").iterdir()) == []


def test_an_unreachable_api_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(write_board(tmp_path / "board"))
    assert main(["import", "ashby", "acme", "--api-url", "http://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "error: http://127.0.0.1:9/posting-api/job-board/acme?includeCompensation=true: cannot be read ("
    )
    assert err.count("\n") == 1
