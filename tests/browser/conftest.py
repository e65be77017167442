"""Real HTTP and a real browser: a built board served on 127.0.0.1, driven by headless Chromium.

One Chromium is launched for the whole session; each test gets a fresh browser context (its
own history, cookies and storage). The server sends every header netlify.toml declares (its
strict Content Security Policy included: the one the site is deployed with), and a test
fails if the page logs any error (a CSP violation, a script error, a failed request).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from site_gen.build import start_loading
from site_gen.config import load_config
from site_gen.site import Site, assemble_site
from tests.conftest import run_build
from tests.helpers import NOW, pay, posting_text, write_board
from tests.hosting import header_rules, serve

REPO = Path(__file__).resolve().parents[2]


# Six postings, newest first by date, chosen so that every search feature has a clear answer.
BOARD = {
    "platform-kubernetes": posting_text(
        "We run Kubernetes clusters for every team.\n",
        title="Platform Engineer",
        company={"name": "Northwind Systems"},
        location=[],
        remote="remote",
        applicant_locations=["US", "CA"],
        salary=pay(160_000, 190_000),
        tags=["kubernetes", "go"],
        experience_level="senior",
        date_posted="2026-11-26",
    ),
    "python-berlin": posting_text(
        "Django and Postgres.\n",
        title="Backend Engineer (Python)",
        company={"name": "Example Corp"},
        location=[{"city": "Berlin", "country": "DE"}],
        remote="hybrid",
        salary=pay(70_000, 90_000, "EUR"),
        tags=["python", "django"],
        experience_level="senior",
        date_posted="2026-11-25",
    ),
    "zurich-data": posting_text(
        "Spark pipelines for risk models.\n",
        title="Data Engineer",
        company={"name": "Alpenglow Finance"},
        location=[{"city": "Zürich", "country": "CH"}],
        salary=pay(120_000, 140_000, "CHF"),
        tags=["python", "spark"],
        experience_level="mid",
        date_posted="2026-11-24",
    ),
    "sao-paulo-intern": posting_text(
        "Estágio para estudantes.\n",
        title="Estágio em Engenharia",
        company={"name": "Ipê Mobility"},
        location=[{"city": "São Paulo", "country": "BR"}],
        employment_type="intern",
        salary={"value": 2800, "currency": "BRL", "period": "month"},
        tags=["java"],
        experience_level="intern",
        date_posted="2026-11-23",
    ),
    "designer-new-york": posting_text(
        "Figma all day.\n",
        title="Product Designer",
        company={"name": "Example Corp"},
        location=[{"city": "New York", "country": "US"}],
        employment_type="part-time",
        salary=pay(120_000, 150_000),
        tags=["figma", "design"],
        experience_level="mid",
        date_posted="2026-11-22",
    ),
    "python-remote-us": posting_text(
        "Write Python services.\n",
        title="Senior Python Developer",
        company={"name": "Northwind Systems"},
        location=[],
        remote="remote",
        applicant_locations=["US"],
        salary=pay(150_000, 200_000),
        tags=["python", "aws"],
        experience_level="senior",
        date_posted="2026-11-21",
    ),
}


def served_board(folder: Path, postings: dict[str, str]) -> Iterator[str]:
    """A board of these postings, built in ``folder`` and served (for a fixture to yield
    from): its URL."""
    root = write_board(folder / "board", postings)
    with serve(run_build(root).output, header_rules()) as url:
        yield url


@pytest.fixture(scope="session")
def board_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture board, built and served."""
    yield from served_board(tmp_path_factory.mktemp("search"), BOARD)


@pytest.fixture(scope="session")
def example_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's example board, built and served."""
    output = tmp_path_factory.mktemp("example-search") / "output"
    with serve(run_build(REPO, output=output).output, header_rules()) as url:
        yield url


def site_model(root: Path) -> Site:
    """The site a test build of ``root`` makes, as a model (for independent expectations)."""
    config = load_config(root / "sitegen.toml")
    content = start_loading(root, config).content(NOW.date(), strict=False)
    return assemble_site(config, content, NOW)


@pytest.fixture(scope="session")
def example_model() -> Site:
    return site_model(REPO)


GENERATED = 1200  # postings: more than one file holds (search_index.SINGLE_FILE_UP_TO)


@pytest.fixture(scope="session")
def generated_board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A board written by bench/generate.py, big enough for a sharded search index."""
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate_board

    return generate_board(GENERATED, tmp_path_factory.mktemp("generated") / "board")


@pytest.fixture(scope="session")
def generated_url(generated_board: Path) -> Iterator[str]:
    with serve(run_build(generated_board).output, header_rules()) as url:
        yield url


@pytest.fixture(scope="session")
def generated_model(generated_board: Path) -> Site:
    return site_model(generated_board)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page; the test fails if the page logged an error or a script threw."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(5_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []
