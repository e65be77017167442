"""Hostile postings in a real browser: no payload runs on any page of the built site.

The site is served without a Content Security Policy (as a plain static host would), so
nothing but the markup itself stands between a payload and the visitor. Every payload
tries to set ``window.__pwned`` or open a dialog; every page, including the search page
with a query that highlights the hostile titles, is loaded and given time to run them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser

from tests.conftest import run_build
from tests.helpers import posting_text, write_board

pytestmark = pytest.mark.browser

RUN = "window.__pwned=1;alert(1)"
HOSTILE = {
    "script-title": posting_text(
        f"<script>{RUN}</script><img src=x onerror='{RUN}'><svg onload='{RUN}'></svg>\n\n"
        f"[click](javascript:{RUN}) <a href='&#106;avascript:{RUN}'>x</a>"
        f"<details open ontoggle='{RUN}'><summary>s</summary></details>\n\n"
        f"<math><mtext><table><mglyph><style><img src=x onerror='{RUN}'>\n\n"
        f'<noscript><p title="</noscript><img src=x onerror={RUN}>">\n',
        title=f"</script><script>{RUN}</script> Pwned engineer",
        company={
            "name": f"<img src=x onerror='{RUN}'> Pwned corp",
            "url": "https://example.com/\"onmouseover='x'",
        },
        tags=[f"<script>{RUN}</script>", "pwned"],
        location=[{"city": f"<svg onload='{RUN}'>", "country": "DE"}],
        experience_level=f"<!--<script>{RUN}</script>",
    ),
    "attribute-breakout": posting_text(
        f'<a href="https://ok.example" title=\'"><img src=x onerror={RUN}>\'>ok</a>\n',
        title=f'" onmouseover="{RUN}" autofocus onfocus="{RUN}" x=" Pwned',
        company={"name": f"' onload='{RUN}' Pwned", "logo": f'/logo.png"onerror="{RUN}'},
    ),
}


class _Plain(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    root = write_board(
        tmp_path_factory.mktemp("hostile") / "board",
        HOSTILE,
        config='title = "Board"\nbase_url = "http://127.0.0.1/"\n',
    )
    output = run_build(root).output
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Plain, directory=str(output)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", pages
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_no_payload_runs_on_any_page(browser: Browser, site: tuple[str, list[str]]) -> None:
    base, pages = site
    urls = [base + p.removesuffix("index.html") for p in pages]
    urls += [base + "search/?q=" + quote(q) for q in ("pwned", "script", "img")]
    assert len(urls) > 10
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(5_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ran = {}
    try:
        for url in urls:
            page.goto(url)  # waits for "load": every image has loaded or failed by then
            if "/search/" in url:
                page.wait_for_load_state("networkidle")  # the index is fetched, then shown
            for element in page.query_selector_all("main a, main summary, main img"):
                if element.is_visible():  # mouse over everything a payload could sit on
                    element.hover()
            ran[url] = page.evaluate("window.__pwned === undefined ? null : window.__pwned")
    finally:
        context.close()
    assert dialogs == []
    assert {url: flag for url, flag in ran.items() if flag is not None} == {}
