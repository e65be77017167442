"""What the preview serves: safe lookup of request paths, content types, files pages load."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.served_files import content_type, loaded_by_pages, lookup


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An output folder, a secret file next to it, and symlinks leading in and out."""
    out = tmp_path / "site"
    (out / "jobs" / "x").mkdir(parents=True)
    (out / "index.html").write_text("home")
    (out / "jobs" / "x" / "index.html").write_text("x")
    (out / "feed.xml").write_text("<feed/>")
    (out / "empty").mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (out / "link-out.txt").symlink_to(tmp_path / "secret.txt")
    (out / "dir-out").symlink_to(tmp_path)
    (out / "link-in.xml").symlink_to(out / "feed.xml")
    return out


@pytest.mark.parametrize(
    ("path", "status", "file", "location"),
    [
        ("/", 200, "index.html", None),
        ("/jobs/x/", 200, "jobs/x/index.html", None),
        ("/jobs//x/", 200, "jobs/x/index.html", None),
        ("/feed.xml", 200, "feed.xml", None),
        ("/%66eed.xml", 200, "feed.xml", None),
        ("/link-in.xml", 200, "feed.xml", None),
        ("/jobs/x", 301, None, "/jobs/x/"),
        ("//jobs/x", 301, None, "/jobs/x/"),
        ("/missing/", 404, None, None),
        ("/empty/", 404, None, None),
        ("/%ff", 404, None, None),
        ("/../secret.txt", 403, None, None),
        ("/jobs/../../secret.txt", 403, None, None),
        ("/%2e%2e/secret.txt", 403, None, None),
        ("/%2E%2E%2Fsecret.txt", 403, None, None),
        ("/jobs%2fx/", 403, None, None),
        ("/..%5csecret.txt", 403, None, None),
        ("/..\\secret.txt", 403, None, None),
        ("/feed.xml%00.html", 403, None, None),
        ("/link-out.txt", 403, None, None),
        ("/dir-out/secret.txt", 403, None, None),
        ("jobs/x/", 403, None, None),
    ],
)
def test_lookup(site: Path, path: str, status: int, file: str | None, location: str | None) -> None:
    found = lookup(site, path)
    assert found.status == status
    assert found.file == ((site / file).resolve() if file else None)
    assert found.location == location


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("search.json", "application/json"),
        ("sitemap.xml", "application/xml"),
        ("logo.svg", "image/svg+xml"),
        ("font.woff2", "font/woff2"),
        ("style.css", "text/css; charset=utf-8"),
        ("data.unknown-kind", "application/octet-stream"),
    ],
)
def test_content_type(name: str, expected: str) -> None:
    assert content_type(Path(name)) == expected


@pytest.mark.parametrize(
    ("path", "loaded"),
    [
        ("assets/style.3f2a9c1e.css", True),
        ("assets/search.0a1b2c3d.js", True),
        ("search-index/text-0.json", True),
        ("logos/acme.png", True),
        ("jobs/x/index.html", False),
        ("tags/python/feed.xml", False),
        ("sitemap.xml", False),
        ("robots.txt", False),
        ("sitegen-jobs.json", False),
        ("_headers", False),
    ],
)
def test_which_files_pages_load(path: str, loaded: bool) -> None:
    """A page reloads when a file it loads changed; feeds and crawler files are not loaded."""
    assert loaded_by_pages(path) is loaded
