"""The preview server in a real browser: a saved edit reloads the tab, a broken one shows why."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html as lxml_html
from playwright.sync_api import Browser

from tests.helpers import posting_text
from tests.serving import running_preview


def wait_until(condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.browser
@pytest.mark.server
def test_a_tab_reloads_on_save_and_shows_a_broken_build(board: Path, browser: Browser) -> None:
    posting = board / "content" / "jobs" / "backend-engineer.md"
    connected = (
        "() => !!(window.LiveReload && window.LiveReload.connector"
        " && window.LiveReload.connector.protocol)"
    )
    with running_preview(board) as preview:
        context = browser.new_context()  # not the page fixture: the error page is a 500
        try:
            tab = context.new_page()

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
            context.close()
