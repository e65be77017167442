"""The cache's keys: a change to the config, the theme, the translations or the base URL
gives pages new keys, so a cached build still equals a cold one."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import cold_tree, run_build
from tests.helpers import tree_bytes


def test_config_change_invalidates_pages(board: Path, tmp_path: Path) -> None:
    run_build(board)
    config = board / "sitegen.toml"
    config.write_text(config.read_text() + 'footer = "Hiring since 1999"\n')
    run_build(board)
    assert tree_bytes(board / "output") == cold_tree(board, tmp_path)
    assert b"Hiring since 1999" in (board / "output/jobs/backend-engineer/index.html").read_bytes()


def test_theme_change_invalidates_pages(board: Path, tmp_path: Path) -> None:
    run_build(board)
    override = board / "templates" / "partials" / "footer.html"
    override.parent.mkdir(parents=True)
    override.write_text("<footer>Our own footer</footer>\n")
    run_build(board)
    assert tree_bytes(board / "output") == cold_tree(board, tmp_path)
    page = (board / "output/jobs/backend-engineer/index.html").read_bytes()
    assert b"Our own footer" in page


def test_translation_change_invalidates_pages_and_feeds(board: Path, tmp_path: Path) -> None:
    run_build(board)
    strings = board / "i18n" / "en.toml"
    strings.parent.mkdir()
    strings.write_text('[listing_title]\nlocation = "Openings in {name}"\n')
    run_build(board)
    assert tree_bytes(board / "output") == cold_tree(board, tmp_path)
    assert (
        b"<h1>Openings in Germany</h1>"
        in (board / "output/locations/germany/index.html").read_bytes()
    )
    feed = (board / "output/locations/germany/feed.xml").read_text()
    assert "<title>Openings in Germany – Test board</title>" in feed


def test_base_url_override_is_part_of_the_key(board: Path, tmp_path: Path) -> None:
    run_build(board)
    run_build(board, base_url="https://preview.example.net/")
    expected = cold_tree(board, tmp_path, base_url="https://preview.example.net/")
    assert tree_bytes(board / "output") == expected
