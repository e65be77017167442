"""The preview server: safe file lookup, HTTP behaviour, rebuilds, errors and live reload."""

from __future__ import annotations

import asyncio
import io
import json
import socket
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from lxml import html as lxml_html
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from site_gen.build import BuildOptions
from site_gen.cli import main
from site_gen.errors import SitegenError
from site_gen.progress import TerminalProgress
from site_gen.server import PORTS_TRIED, PreviewServer, ServeOptions, collector_paused, listen
from tests.helpers import NOW, posting_text
from tests.serving import DEBOUNCE, fetch, running_preview, save, wait_for_build

T = TypeVar("T")

# -- over real HTTP -----------------------------------------------------------------------


def asset_path(preview: PreviewServer, name: str) -> str:
    """The served path of a static file, whose name carries its content hash."""
    stem, dot, suffix = name.rpartition(".")
    (found,) = (preview.output / "assets").glob(f"{stem}.*{dot}{suffix}")
    return "/" + found.relative_to(preview.output).as_posix()


@pytest.fixture
def preview(board: Path) -> PreviewServer:
    with running_preview(board) as server:
        yield server


def page(body: bytes) -> Any:
    return lxml_html.fromstring(body)


@pytest.mark.server
def test_serves_pretty_urls_404_and_the_reload_script(preview: PreviewServer) -> None:
    home = fetch(preview.url, "/")
    assert home.status == 200
    assert home.headers["Content-Type"] == "text/html; charset=utf-8"
    titles = page(home.body).xpath("//h2[@class='posting-title']/a/text()")
    assert titles == ["Product Designer", "Backend Engineer"]  # newest first
    assert page(home.body).xpath("//head/script/@src").count("/livereload.js") == 1

    posting = fetch(preview.url, "/jobs/backend-engineer/")
    assert page(posting.body).xpath("//h1/text()") == ["Backend Engineer"]
    moved = fetch(preview.url, "/jobs/backend-engineer?x=1")
    assert (moved.status, moved.headers["Location"]) == (301, "/jobs/backend-engineer/?x=1")

    missing = fetch(preview.url, "/jobs/no-such-job/")
    assert missing.status == 404
    assert page(missing.body).xpath("//h1/text()") == ["Page not found"]

    head = fetch(preview.url, "/jobs/backend-engineer/", method="HEAD")
    assert (head.status, head.body) == (200, b"")
    assert int(head.headers["Content-Length"]) == len(posting.body)

    script = fetch(preview.url, "/livereload.js")
    assert script.status == 200
    assert b"LiveReload" in script.body


@pytest.mark.server
def test_content_types_over_http(board: Path) -> None:
    static = board / "static"
    static.mkdir()
    (static / "data.json").write_text('{"a": 1}')
    (static / "feed.xml").write_text("<feed/>")
    (static / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (static / "font.woff2").write_bytes(b"wOF2\x00\x01")
    with running_preview(board) as preview:
        for name, kind in [
            ("data.json", "application/json"),
            ("feed.xml", "application/xml"),
            ("logo.svg", "image/svg+xml"),
            ("font.woff2", "font/woff2"),
        ]:
            response = fetch(preview.url, asset_path(preview, name))
            assert (response.status, response.headers["Content-Type"]) == (200, kind)
            assert response.body == (static / name).read_bytes()
            assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.server
def test_refuses_paths_outside_the_output_folder(preview: PreviewServer, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    (preview.output / "out.txt").symlink_to(tmp_path / "secret.txt")
    for path in [
        "/../board/sitegen.toml",
        "/%2e%2e/board/sitegen.toml",
        "/assets/%2e%2e/%2e%2e/board/sitegen.toml",
        "/assets%2fstyle.css",
        "/assets%2F..%2F..%2Fsecret.txt",
        "/..%5c..%5csecret.txt",
        "/out.txt",
    ]:
        response = fetch(preview.url, path)
        assert response.status in (403, 404), path
        assert b"TOP SECRET" not in response.body
        assert b"Test board" not in response.body  # the board's sitegen.toml
    assert fetch(preview.url, "/").status == 200  # and it is still up


@pytest.mark.server
def test_answers_only_loopback_host_names(preview: PreviewServer) -> None:
    assert fetch(preview.url, "/", headers={"Host": "attacker.example"}).status == 403
    assert fetch(preview.url, "/", headers={"Host": "localhost:1234"}).status == 200


@pytest.mark.server
def test_rebuilds_on_save(preview: PreviewServer, board: Path) -> None:
    posting = board / "content" / "jobs" / "backend-engineer.md"
    save(posting, posting_text(title="Senior Backend Engineer"), preview)
    body = fetch(preview.url, "/jobs/backend-engineer/").body
    assert page(body).xpath("//h1/text()") == ["Senior Backend Engineer"]

    save(board / "content" / "jobs" / "new-role.md", posting_text(title="New Role"), preview)
    assert "New Role" in page(fetch(preview.url, "/").body).xpath("//h2/a/text()")

    before = preview.status.builds
    (board / "content" / "jobs" / "new-role.md").unlink()
    wait_for_build(preview, before)
    assert fetch(preview.url, "/jobs/new-role/").status == 404


@pytest.mark.server
def test_two_rapid_writes_are_one_rebuild(board: Path) -> None:
    posting = board / "content" / "jobs" / "backend-engineer.md"
    debounce = 0.3  # an editor's two writes come well within it, even on a loaded machine
    with running_preview(board, debounce=debounce) as preview:
        before = preview.status.builds
        posting.write_text(posting_text(title="First write"))
        time.sleep(debounce / 10)
        posting.write_text(posting_text(title="Second write"))
        wait_for_build(preview, before)
        time.sleep(debounce * 3)  # room for a second rebuild, were there one
        assert preview.status.builds == before + 1
        body = fetch(preview.url, "/jobs/backend-engineer/").body
        assert page(body).xpath("//h1/text()") == ["Second write"]


@pytest.mark.server
@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            "---\ntitle: [unclosed\n---\nBody\n",
            "content/jobs/backend-engineer.md:3: invalid YAML: did not find expected ',' or ']'",
        ),
        (
            posting_text(title=None),
            "content/jobs/backend-engineer.md: title: required field is missing",
        ),
        (
            posting_text(salary={"min": "lots", "currency": "EUR"}),
            "content/jobs/backend-engineer.md:13: salary.min: expected a number, got 'lots'",
        ),
    ],
)
def test_a_broken_posting_shows_an_error_page_until_fixed(
    board: Path, broken: str, message: str
) -> None:
    err = io.StringIO()
    with running_preview(board, err=err) as preview:
        posting = board / "content" / "jobs" / "backend-engineer.md"
        good = posting.read_text()
        save(posting, broken, preview)
        assert message in err.getvalue().splitlines()
        for path in ["/", "/jobs/backend-engineer/", "/no-such-page/"]:
            response = fetch(preview.url, path)
            assert response.status == 500
            assert page(response.body).xpath("//h1/text()") == ["Build failed"]
            assert message in page(response.body).xpath("string(//pre)").splitlines()
            assert page(response.body).xpath("//head/script/@src") == ["/livereload.js"]
        stylesheet = fetch(preview.url, asset_path(preview, "style.css"))
        assert stylesheet.status == 200  # the last good build, still served

        save(posting, good, preview)
        assert preview.status.error is None
        assert fetch(preview.url, "/jobs/backend-engineer/").status == 200


@pytest.mark.server
def test_a_template_syntax_error_names_file_and_line(board: Path) -> None:
    err = io.StringIO()
    with running_preview(board, err=err) as preview:
        template = board / "templates" / "posting.html"
        save(template, '{% extends "base.html" %}\n{% block content %}\n{% if %}\n', preview)
        response = fetch(preview.url, "/jobs/backend-engineer/")
        assert response.status == 500
        shown = page(response.body).xpath("string(//pre)")
        assert f"{template}:3: template syntax error" in shown
        assert f"{template}:3: template syntax error" in err.getvalue()

        before = preview.status.builds
        template.unlink()
        wait_for_build(preview, before)
        assert fetch(preview.url, "/jobs/backend-engineer/").status == 200


@pytest.mark.server
def test_a_config_change_rebuilds(preview: PreviewServer, board: Path) -> None:
    config = board / "sitegen.toml"
    save(config, config.read_text().replace("Test board", "Renamed board"), preview)
    assert page(fetch(preview.url, "/").body).xpath("//h1/text()") == ["Renamed board"]
    save(config, config.read_text() + "colour = 'red'\n", preview)
    shown = page(fetch(preview.url, "/").body).xpath("string(//pre)")
    assert "sitegen.toml:3: colour: unknown setting" in shown


@pytest.mark.server
def test_drafts_are_shown_with_a_badge_only_when_asked(board: Path) -> None:
    (board / "content" / "jobs" / "draft-role.md").write_text(
        posting_text(title="Draft Role", draft=True)
    )
    with running_preview(board) as preview:
        assert fetch(preview.url, "/jobs/draft-role/").status == 404
    with running_preview(board, drafts=True) as preview:
        posting = page(fetch(preview.url, "/jobs/draft-role/").body)
        assert posting.xpath("//h1/span[contains(@class, 'badge-draft')]/text()") == ["Draft"]
        card = page(fetch(preview.url, "/").body).xpath("//li[.//a[text()='Draft Role']]")[0]
        assert card.xpath(".//span[contains(@class, 'badge-draft')]/text()") == ["Draft"]
        other = page(fetch(preview.url, "/jobs/backend-engineer/").body)
        assert other.xpath("//h1//*[contains(@class, 'badge-draft')]") == []


async def reload_after(preview: PreviewServer, action: object, origin: str | None = None) -> dict:
    """Connect as livereload.js does, run ``action``, return the next message."""
    request = HTTPRequest(
        preview.url.replace("http", "ws") + "livereload",
        headers={"Origin": origin} if origin else {},
    )
    socket = await websocket_connect(request)
    try:
        await socket.write_message(json.dumps({"command": "hello", "protocols": []}))
        hello = json.loads(await socket.read_message())
        assert hello["command"] == "hello"
        await socket.write_message(json.dumps({"command": "info", "url": preview.url}))
        await asyncio.sleep(0.05)  # let the server register this tab
        await asyncio.to_thread(action)  # type: ignore[arg-type]
        message = await asyncio.wait_for(socket.read_message(), timeout=15)
        return json.loads(message)
    finally:
        socket.close()


def in_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine in a thread of its own (Playwright may own this thread's loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.mark.server
def test_a_connected_tab_is_told_to_reload(preview: PreviewServer, board: Path) -> None:
    posting = board / "content" / "jobs" / "backend-engineer.md"
    message = in_own_loop(
        reload_after(preview, lambda: posting.write_text(posting_text(title="Changed")))
    )
    assert message["command"] == "reload"
    assert page(fetch(preview.url, "/jobs/backend-engineer/").body).xpath("//h1/text()") == [
        "Changed"
    ]


async def reloads_after(preview: PreviewServer, pages: list[str], action: object) -> list[int]:
    """Tabs on ``pages`` (connected as livereload.js connects); run ``action``, wait for the
    rebuild it causes; how many reloads each tab was told, and when the first came relative
    to the rebuild's end (negative: before it)."""
    sockets = []
    for path in pages:
        socket = await websocket_connect(preview.url.replace("http", "ws") + "livereload")
        await socket.write_message(json.dumps({"command": "hello", "protocols": []}))
        await socket.read_message()  # hello
        await socket.write_message(json.dumps({"command": "info", "url": preview.url + path}))
        sockets.append(socket)
    received: list[list[str]] = [[] for _ in pages]

    async def listen(index: int) -> None:
        while (message := await sockets[index].read_message()) is not None:
            received[index].append(str(message))

    readers = [asyncio.create_task(listen(i)) for i in range(len(pages))]
    await asyncio.sleep(0.05)  # let the server register the tabs
    builds = preview.status.builds
    await asyncio.to_thread(action)  # type: ignore[arg-type]
    await asyncio.to_thread(wait_for_build, preview, builds)
    await asyncio.sleep(0.5)  # reloads after the build reach the tabs
    for socket in sockets:
        socket.close()
    await asyncio.gather(*readers, return_exceptions=True)
    return [sum(json.loads(m)["command"] == "reload" for m in got) for got in received]


LONG = "We are a small team that ships a job board every week. " * 8 + "\n\n"


@pytest.mark.server
def test_a_saved_description_reloads_only_the_tabs_showing_its_page(
    preview: PreviewServer, board: Path
) -> None:
    """Its page is written before the rebuild; other tabs stay as they are (their pages did
    not change), and the tab on the posting reloads once."""
    posting = board / "content" / "jobs" / "backend-engineer.md"
    save(posting, posting_text(LONG + "First words.\n"), preview)
    tabs = ["jobs/backend-engineer/", "jobs/remote-designer/", ""]
    counts = in_own_loop(
        reloads_after(
            preview, tabs, lambda: posting.write_text(posting_text(LONG + "New words.\n"))
        )
    )
    assert counts == [1, 0, 0]
    assert "New words." in fetch(preview.url, "/jobs/backend-engineer/").body.decode()


@pytest.mark.server
def test_a_changed_title_reloads_every_tab(preview: PreviewServer, board: Path) -> None:
    posting = board / "content" / "jobs" / "backend-engineer.md"
    tabs = ["jobs/backend-engineer/", "jobs/remote-designer/", ""]
    counts = in_own_loop(
        reloads_after(preview, tabs, lambda: posting.write_text(posting_text(title="Renamed")))
    )
    assert counts == [1, 1, 1]


@pytest.mark.server
def test_another_site_cannot_listen_for_reloads(preview: PreviewServer) -> None:
    with pytest.raises(HTTPClientError) as refused:
        in_own_loop(reload_after(preview, lambda: None, origin="https://attacker.example"))
    assert refused.value.code == 403


@pytest.mark.server
def test_stop_ends_its_threads_and_removes_the_preview_build(board: Path) -> None:
    with running_preview(board) as preview:
        output = preview.output
        threads = list(preview._threads)
        assert (output / "index.html").is_file()
    assert not output.exists()
    assert not any(thread.is_alive() for thread in threads)


@pytest.mark.parametrize("argv", [["serve", "--port", "70000"], ["serve", "--port", "-1"]])
def test_serve_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2


def test_serve_outside_a_board_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "--port", "0"]) == 1
    assert "not a board" in capsys.readouterr().err


def test_serve_on_a_taken_port_says_so(
    board: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(board)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    assert f"error: cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


@pytest.mark.server
def test_without_port_the_next_free_one_is_taken(board: Path) -> None:
    """With no --port, a busy default port moves the preview to the next free one."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        options = ServeOptions(build=BuildOptions(root=board, now=NOW), default_port=busy)
        with PreviewServer(options, out=io.StringIO(), err=io.StringIO()) as preview:
            assert busy < preview.port < busy + PORTS_TRIED
            assert preview.url == f"http://127.0.0.1:{preview.port}/"
            assert fetch(preview.url, "/").status == 200


@pytest.mark.server
def test_an_explicit_busy_port_is_not_replaced(board: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        options = ServeOptions(build=BuildOptions(root=board, now=NOW), port=busy)
        with pytest.raises(SitegenError, match=f"cannot listen on 127.0.0.1:{busy}: "):
            PreviewServer(options).start()


@pytest.mark.server
def test_when_every_port_tried_is_busy_the_error_names_them() -> None:
    sockets = []
    try:
        first = None
        while first is None:  # PORTS_TRIED consecutive ports, all taken
            start = socket.socket()
            start.bind(("127.0.0.1", 0))
            base = start.getsockname()[1]
            start.close()
            try:
                for port in range(base, base + PORTS_TRIED):
                    sock = socket.socket()
                    sockets.append(sock)
                    sock.bind(("127.0.0.1", port))
                    sock.listen()
                first = base
            except OSError:
                for sock in sockets:
                    sock.close()
                sockets.clear()
        last = first + PORTS_TRIED - 1
        with pytest.raises(SitegenError, match=f"cannot listen on 127.0.0.1:{first}-{last}: "):
            listen("127.0.0.1", None, first)
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.server
def test_quiet_drops_the_summary_and_verbose_times_each_build(board: Path) -> None:
    """--quiet and --verbose reach the preview's builds: no summary line; stage times."""
    timings = io.StringIO()
    progress = TerminalProgress(timings, bar=False, timings=True)
    build = BuildOptions(root=board, now=NOW, progress=progress)
    out, err = io.StringIO(), io.StringIO()
    options = ServeOptions(build=build, port=0, debounce=DEBOUNCE, quiet=True)
    with PreviewServer(options, out=out, err=err) as preview:
        assert fetch(preview.url, "/").status == 200
        save(board / "content" / "jobs" / "backend-engineer.md", posting_text(title="E"), preview)
    assert "Built" not in out.getvalue()
    assert timings.getvalue().count("Stages:\n  Reading postings: ") == 2


def test_the_collector_is_off_during_a_build_and_back_on_after() -> None:
    import gc

    was = gc.isenabled()  # a test of `sitegen build` before this one turns it off
    try:
        gc.enable()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        (gc.enable if was else gc.disable)()
