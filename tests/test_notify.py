"""What ``sitegen notify`` computes: the changes between two deploys, the previous deploy
read from a folder (its manifest, its sitemap or sitemap index), IndexNow's body.

The requests themselves, against a local stand-in for Google and IndexNow, are tested with
two real builds in tests/e2e/test_notify_deploys.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from site_gen.jobs_manifest import JobPage, JobsManifest, encode
from site_gen.notify import (
    Change,
    Previous,
    PreviousJob,
    compute_changes,
    indexnow_body,
    read_previous,
)

BASE = "https://jobs.example.com/"


def manifest(*pages: tuple[str, str, str]) -> JobsManifest:
    return JobsManifest(
        BASE, tuple(JobPage(f"jobs/{s}/", d, date.fromisoformat(p)) for s, d, p in pages)
    )


def test_new_changed_and_gone_pages_newest_first() -> None:
    before = Previous(
        {
            "jobs/same/": PreviousJob("d1", date(2026, 11, 1)),
            "jobs/edited/": PreviousJob("d2", date(2026, 11, 2)),
            "jobs/gone/": PreviousJob("d3", date(2026, 11, 3)),
        },
        "old",
        exact=True,
    )
    new = manifest(
        ("fresh", "d4", "2026-11-04"), ("edited", "d2x", "2026-11-02"), ("same", "d1", "2026-11-01")
    )
    assert compute_changes(before, new) == (
        Change(f"{BASE}jobs/fresh/", "URL_UPDATED", date(2026, 11, 4)),
        Change(f"{BASE}jobs/gone/", "URL_DELETED", date(2026, 11, 3)),
        Change(f"{BASE}jobs/edited/", "URL_UPDATED", date(2026, 11, 2)),
    )


def test_nothing_before_means_everything_is_new() -> None:
    new = manifest(("a", "d", "2026-11-04"), ("b", "d", "2026-11-03"))
    changes = compute_changes(Previous({}, "none", exact=True), new)
    assert [(c.url, c.kind) for c in changes] == [
        (f"{BASE}jobs/a/", "URL_UPDATED"),
        (f"{BASE}jobs/b/", "URL_UPDATED"),
    ]


def test_the_previous_manifest_is_read_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "sitegen-jobs.json").write_bytes(encode(manifest(("a", "d1", "2026-11-04"))))
    previous = read_previous(str(tmp_path), BASE)
    assert previous.exact and previous.source == f"{tmp_path}/sitegen-jobs.json"
    assert previous.jobs == {"jobs/a/": PreviousJob("d1", date(2026, 11, 4))}


def url(loc: str, lastmod: str | None = None) -> str:
    return f"<url><loc>{loc}</loc>{f'<lastmod>{lastmod}</lastmod>' if lastmod else ''}</url>"


def urlset(*entries: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(entries)
        + "</urlset>"
    )


def test_without_a_manifest_the_sitemap_gives_the_job_pages(tmp_path: Path) -> None:
    """Only ``jobs/<slug>/`` below the base URL's path are job pages, here under a subpath."""
    base = "https://owner.github.io/board/"
    (tmp_path / "sitemap.xml").write_text(
        urlset(
            url(f"{base}", "2026-11-04"),
            url(f"{base}jobs/a/", "2026-11-04"),
            url(f"{base}jobs/b/"),
            url(f"{base}tags/python/", "2026-11-04"),
            url(f"{base}jobs/a/extra/"),
        )
    )
    previous = read_previous(str(tmp_path), base)
    assert not previous.exact
    assert previous.jobs == {
        "jobs/a/": PreviousJob("2026-11-04", date(2026, 11, 4)),
        "jobs/b/": PreviousJob("", None),
    }


def test_a_sitemap_index_is_followed_to_its_parts(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{BASE}sitemap-1.xml</loc></sitemap>"
        f"<sitemap><loc>{BASE}sitemap-2.xml</loc></sitemap></sitemapindex>"
    )
    (tmp_path / "sitemap-1.xml").write_text(urlset(url(f"{BASE}jobs/a/", "2026-11-04")))
    (tmp_path / "sitemap-2.xml").write_text(urlset(url(f"{BASE}jobs/b/", "2026-11-05")))
    assert set(read_previous(str(tmp_path), BASE).jobs) == {"jobs/a/", "jobs/b/"}


def test_a_folder_with_neither_file_is_an_empty_board(tmp_path: Path) -> None:
    previous = read_previous(str(tmp_path / "missing"), BASE)
    assert previous.jobs == {}
    assert previous.source.endswith("publishes neither sitegen-jobs.json nor a sitemap")


def test_indexnow_body_puts_the_key_file_on_the_boards_host() -> None:
    body = indexnow_body([f"{BASE}jobs/a/"], "abcdef0123456789", "https://owner.github.io/board/")
    assert body == {
        "host": "owner.github.io",
        "key": "abcdef0123456789",
        "keyLocation": "https://owner.github.io/board/abcdef0123456789.txt",
        "urlList": [f"{BASE}jobs/a/"],
    }
