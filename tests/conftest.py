"""Shared fixtures: a fixture board in tmp_path, the build entry point, and one headless
Chromium for every browser test of the session (Playwright allows one driver at a time)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from site_gen.build import BuildOptions, BuildReport, build
from tests.helpers import NOW, posting_text, tree_bytes, write_board

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser and server tests last, in their own order: Playwright's driver and the
    session's HTTP servers leave threads running, and a process with other threads forks no
    workers, so tests of forked work that came after them would be skipped."""
    items.sort(
        key=lambda item: any(item.iter_markers("browser")) or any(item.iter_markers("server"))
    )


@pytest.fixture
def board(tmp_path: Path) -> Path:
    """A small valid board with two postings and an About page."""
    return write_board(
        tmp_path / "board",
        postings={
            "backend-engineer": posting_text(),
            "remote-designer": posting_text(
                title="Product Designer",
                remote="remote",
                location=[],
                applicant_locations=["US", "CA"],
                salary={"min": 50, "max": 70, "currency": "USD", "period": "hour"},
                date_posted="2026-11-25",
            ),
        },
        pages={"about": "---\ntitle: About\n---\nAbout this board.\n"},
    )


def run_build(root: Path, **options: object) -> BuildReport:
    """Build ``root`` with the fixed test clock unless told otherwise."""
    options.setdefault("now", NOW)
    return build(BuildOptions(root=root, **options))  # type: ignore[arg-type]


def cold_tree(board: Path, tmp_path: Path, **options: object) -> dict[str, bytes]:
    """What a build with no cache at all writes."""
    out = tmp_path / "cold-output"
    run_build(board, output=out, cache=False, **options)
    return tree_bytes(out)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package (scripts/test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
