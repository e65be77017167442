"""Small helpers for writing fixture boards inline in tests."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from lxml import html as lxml_html

from site_gen.build import BuildOptions, build
from site_gen.config import SiteConfig
from site_gen.content import parse_text
from site_gen.pages import OutputFile
from site_gen.site import Site, assemble_site
from site_gen.validate import validate_all

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

BASE_FIELDS: dict[str, Any] = {
    "title": "Backend Engineer",
    "company": {"name": "Example Corp", "url": "https://example.com"},
    "date_posted": "2026-11-20",
    "valid_through": "2027-01-31",
    "employment_type": "full-time",
    "location": [{"city": "Berlin", "country": "DE"}],
    "salary": {"min": 70000, "max": 90000, "currency": "EUR", "period": "year"},
    "apply_url": "https://example.com/apply/1",
}


def pay(low: float, high: float, currency: str = "USD", period: str = "year") -> dict[str, Any]:
    """A posting's ``salary`` field: a range in one currency and period."""
    return {"min": low, "max": high, "currency": currency, "period": period}


def posting_text(body: str = "We build things.\n", **fields: Any) -> str:
    """A posting file: BASE_FIELDS updated by ``fields`` (a value of None drops the key)."""
    data = {**BASE_FIELDS, **fields}
    data = {k: v for k, v in data.items() if v is not None}
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n{body}"


def site_of(files: dict[str, str], config: SiteConfig | None = None, **flags: bool) -> Site:
    """The site model of some posting files (name -> text), without touching the disk."""
    docs = [parse_text(text, f"content/jobs/{name}.md", name) for name, text in files.items()]
    content = validate_all(docs, [], "comrak", NOW.date())
    return assemble_site(config or SiteConfig(), content, NOW, **flags)


def write_board(
    root: Path,
    postings: dict[str, str] | None = None,
    pages: dict[str, str] | None = None,
    config: str = 'title = "Test board"\nbase_url = "https://jobs.example.com/"\n',
) -> Path:
    """Write a board: ``postings`` maps file names (without .md) to file texts."""
    (root / "content" / "jobs").mkdir(parents=True, exist_ok=True)
    (root / "content" / "pages").mkdir(parents=True, exist_ok=True)
    (root / "sitegen.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    for name, text in (postings or {}).items():
        (root / "content" / "jobs" / f"{name}.md").write_text(text, encoding="utf-8")
    for name, text in (pages or {}).items():
        (root / "content" / "pages" / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def run_build_of(tmp_path: Path, postings: dict[str, str]) -> Path:
    """A board of these postings, built with the test clock; its root."""
    root = write_board(tmp_path / "board", postings=postings)
    build(BuildOptions(root=root, now=NOW))
    return root


def parse_html(path: Path) -> Any:
    """Parse a built page with a real HTML parser (lxml)."""
    return lxml_html.fromstring(path.read_bytes())


def json_ld(path: Path) -> list[Any]:
    """Every JSON-LD block of a page, parsed."""
    doc = parse_html(path)
    return [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` with its bytes, for comparing whole builds."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def output_files(pages: dict[str, str]) -> list[OutputFile]:
    """Files for the writer: path -> text."""
    return [OutputFile(path, text.encode()) for path, text in pages.items()]


# A site of 31 small pages, for the writer's tests.
OUTPUT_PAGES = {f"jobs/job-{i}/index.html": f"<p>job {i}</p>" for i in range(30)} | {
    "index.html": "<p>index</p>"
}
