"""Featured postings in a full build: first on the index and their facet pages, with a
visible "Featured" badge in the board's language, and the same JSON-LD as when not featured."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_build
from tests.helpers import json_ld, parse_html, posting_text, write_board

POSTINGS = {
    "newest": posting_text(title="Newest Engineer", date_posted="2026-11-26", tags=["python"]),
    "featured": posting_text(
        title="Featured Engineer",
        date_posted="2026-11-02",
        tags=["python"],
        featured=True,
        featured_until="2026-12-31",
    ),
    "ended": posting_text(
        title="Formerly Featured",
        date_posted="2026-11-20",
        featured=True,
        featured_until="2026-11-26",
    ),
}


def cards(page: Path) -> list[tuple[str, list[str]]]:
    """Each card's title and the text of its badges."""
    doc = parse_html(page)
    return [
        (
            card.cssselect(".posting-title a")[0].text_content(),
            [b.text_content().strip() for b in card.cssselect(".badge")],
        )
        for card in doc.cssselect(".posting-card")
    ]


def test_featured_first_with_a_badge_on_the_index_and_facet_pages(tmp_path: Path) -> None:
    board = write_board(tmp_path / "b", POSTINGS)
    run_build(board)
    assert cards(board / "output" / "index.html") == [
        ("Featured Engineer", ["Featured"]),
        ("Newest Engineer", ["New"]),
        ("Formerly Featured", []),  # past featured_until: neither first nor badged
    ]
    assert cards(board / "output" / "tags" / "python" / "index.html") == [
        ("Featured Engineer", ["Featured"]),
        ("Newest Engineer", ["New"]),
    ]
    (featured_card,) = parse_html(board / "output" / "index.html").cssselect(".is-featured")
    assert featured_card.cssselect(".posting-title a")[0].text_content() == "Featured Engineer"


def test_the_badge_is_translated(tmp_path: Path) -> None:
    config = 'title = "Stellen"\nbase_url = "https://jobs.example.com/"\nlanguage = "de"\n'
    board = write_board(tmp_path / "b", POSTINGS, config=config)
    run_build(board)
    assert cards(board / "output" / "index.html")[0] == ("Featured Engineer", ["Hervorgehoben"])


def test_featuring_changes_nothing_in_the_json_ld(tmp_path: Path) -> None:
    plain = write_board(tmp_path / "plain", {"job": posting_text()})
    featured = write_board(
        tmp_path / "featured", {"job": posting_text(featured=True, featured_until="2026-12-31")}
    )
    run_build(plain)
    run_build(featured)
    page = Path("output") / "jobs" / "job" / "index.html"
    assert json_ld(featured / page) == json_ld(plain / page)
