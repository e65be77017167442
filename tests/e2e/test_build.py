"""Full builds of small fixture boards, checked by parsing what was written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_build
from tests.helpers import json_ld, parse_html, posting_text, tree_bytes, write_board


def text_of(doc, css: str) -> str:
    (element,) = doc.cssselect(css)
    return " ".join(element.text_content().split())


def test_posting_page_has_the_facts_and_meta(board: Path):
    run_build(board)
    doc = parse_html(board / "output/jobs/backend-engineer/index.html")
    assert text_of(doc, "h1") == "Backend Engineer"
    assert text_of(doc, ".facts .salary") == "€70,000 – €90,000 a year"
    assert text_of(doc, ".facts .place") == "Berlin, Germany"
    assert text_of(doc, ".facts .type") == "Full time"
    assert doc.xpath('//link[@rel="canonical"]/@href') == [
        "https://jobs.example.com/jobs/backend-engineer/"
    ]
    assert doc.xpath('//meta[@property="og:title"]/@content') == [
        "Backend Engineer at Example Corp – Test board"
    ]
    assert doc.xpath('//meta[@name="description"]/@content') == ["We build things."]
    assert (
        doc.xpath('//a[contains(@class, "apply-button")]/@href')
        == ["https://example.com/apply/1"] * 2
    )
    (data,) = json_ld(board / "output/jobs/backend-engineer/index.html")
    assert data["title"] == "Backend Engineer"
    assert data["description"] == "<p>We build things.</p>\n"


def test_remote_posting_shows_remote_and_hourly_pay(board: Path):
    run_build(board)
    doc = parse_html(board / "output/jobs/remote-designer/index.html")
    assert text_of(doc, ".facts .place") == "Remote (US, CA)"
    assert text_of(doc, ".facts .salary") == "$50 – $70 an hour"


def test_index_lists_newest_first_and_links_every_posting(board: Path):
    run_build(board)
    doc = parse_html(board / "output/index.html")
    assert [a.text for a in doc.cssselect(".posting-title a")] == [
        "Product Designer",
        "Backend Engineer",
    ]
    assert doc.cssselect(".posting-title a")[0].get("href") == "/jobs/remote-designer/"


def test_pages_404_and_assets(board: Path):
    run_build(board)
    assert text_of(parse_html(board / "output/about/index.html"), "h1") == "About"
    not_found = parse_html(board / "output/404.html")
    assert not_found.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    # the theme's stylesheet and the accent colours made from sitegen.toml, fingerprinted
    style, accent = not_found.xpath('//link[@rel="stylesheet"]/@href')
    assert re.fullmatch(r"/assets/style\.[0-9a-f]{8}\.css", style)
    assert re.fullmatch(r"/assets/accent\.[0-9a-f]{8}\.css", accent)
    for href in (style, accent):
        assert (board / "output" / href.lstrip("/")).stat().st_size > 0


def test_expired_posting_is_closed_noindex_and_unlisted(tmp_path: Path):
    root = write_board(
        tmp_path,
        postings={
            "open": posting_text(),
            "gone": posting_text(
                title="Old job", date_posted="2026-09-01", valid_through="2026-10-31"
            ),
        },
    )
    report = run_build(root)
    page = root / "output/jobs/gone/index.html"
    doc = parse_html(page)
    assert "This position is closed." in text_of(doc, ".closed-notice")
    assert doc.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    assert json_ld(page) == []
    assert doc.cssselect(".apply-button") == []
    listed = [
        a.get("href") for a in parse_html(root / "output/index.html").cssselect(".posting-title a")
    ]
    assert listed == ["/jobs/open/"]
    assert len(report.site.expired) == 1


def test_drafts_and_future_postings_are_not_published_unless_asked(tmp_path: Path):
    root = write_board(
        tmp_path,
        postings={
            "draft": posting_text(draft=True),
            "future": posting_text(date_posted="2026-12-24", valid_through="2027-03-01"),
        },
    )
    run_build(root)
    assert not (root / "output/jobs/draft").exists()
    assert not (root / "output/jobs/future").exists()
    run_build(root, drafts=True, future=True)
    assert (root / "output/jobs/draft/index.html").exists()
    assert (root / "output/jobs/future/index.html").exists()


def test_same_input_and_clock_give_identical_output(board: Path, tmp_path: Path):
    run_build(board, output=tmp_path / "one")
    run_build(board, output=tmp_path / "two")
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_source_date_epoch_sets_the_clock(board: Path, tmp_path: Path):
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": "1800000000",
    }  # 2027-01-15: backend-engineer still open
    for name in ("one", "two"):
        subprocess.run(
            [sys.executable, "-m", "site_gen", "build", "--output", str(tmp_path / name)],
            cwd=board,
            env=env,
            check=True,
            capture_output=True,
        )
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")
    env["SOURCE_DATE_EPOCH"] = "1801000000"  # 2027-01-26
    result = subprocess.run(
        [sys.executable, "-m", "site_gen", "build", "--output", str(tmp_path / "three")],
        cwd=board,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout.startswith("Built 2 postings")


def test_second_build_writes_nothing(board: Path):
    run_build(board)
    stats = {p: p.stat() for p in (board / "output").rglob("*") if p.is_file()}
    report = run_build(board)
    assert report.written.written == 0
    assert report.written.unchanged == len(stats)
    for path, before in stats.items():
        after = path.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), path


def test_site_override_of_a_template_and_an_asset(board: Path):
    (board / "templates/partials").mkdir(parents=True)
    (board / "templates/partials/footer.html").write_text('<footer class="custom">Ours</footer>\n')
    (board / "static").mkdir()
    (board / "static/style.css").write_text("body{}")
    run_build(board)
    assert text_of(parse_html(board / "output/index.html"), "footer.custom") == "Ours"
    style, _accent = parse_html(board / "output/index.html").xpath(
        '//link[@rel="stylesheet"]/@href'
    )
    assert (board / "output" / style.lstrip("/")).read_text() == "body{}"
