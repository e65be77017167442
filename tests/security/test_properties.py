"""Property tests: whatever text a posting holds, the build is safe or the error is clean.

For arbitrary text in every frontmatter string field and arbitrary markdown in the body,
validation either raises ``ContentErrors`` (one line per problem, naming the file) or the
site renders with every invariant of ``invariants.check_site`` holding, and the JSON-LD
block parses back to the values the posting gave. The many examples render in memory
(validate, assemble, render); a few run real full builds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from site_gen.assets import AssetManifest
from site_gen.cache import CACHE_DIR
from site_gen.config import SiteConfig, load_config
from site_gen.content import read_source
from site_gen.errors import ContentErrors
from site_gen.outputs import render_site
from site_gen.site import assemble_site
from site_gen.theme import make_environment, site_assets
from site_gen.validate import Validated, validate_all
from tests.conftest import run_build
from tests.helpers import NOW, write_board
from tests.security.corpus import HOST, posting
from tests.security.invariants import Baseline, Built, check_site, read_output

PATH = "content/jobs/job.md"
NASTY = [
    "</script>",
    "<script>alert(1)</script>",
    "<!--",
    "-->",
    "<",
    ">",
    "&",
    '"',
    "'",
    "`",
    "\\",
    "javascript:",
    "\u2028",
    "\u2029",
    "\u202e",
    "{{",
    "}}",
    "{%",
    "\n",
    "\r\n",
    "\t",
    " ",
    "---",
    "&#106;",
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9b",
    "\ufdd0",
    "\uffff",
    "\U0010fffe",
    "😀",
    "e\u0301",  # NFD: é as e and a combining accent
]
MARKDOWN = [
    *NASTY,
    "<img src=x onerror=alert(1)>",
    "<a href=",
    "[link](",
    "](javascript:alert(1))",
    ")",
    "![",
    "<svg onload=alert(1)>",
    "<math><mtext>",
    "<style>",
    "<iframe src=",
    "<form action=",
    "<input type=password>",
    "# ",
    "* ",
    "1. ",
    "- [x] ",
    "| a | b |\n|---|---|\n",
    "```\n",
    "    ",
    "**",
    "_",
    "<details open ontoggle=alert(1)>",
    '<noscript><p title="',
    "https://example.com/x",
    "www.example.com",
    "&#1;",
    "&#x85;",
    "&#128;",
    "&#xFDD0;",
    "&#xFFFF;",
    "&#x10FFFF;",
]


PRINTABLE = st.characters(exclude_categories=("Cc", "Cs", "Cn"), include_characters="\t\n\r")
URL_SAFE = st.characters(exclude_categories=("Cc", "Cs", "Cn", "Zs", "Zl", "Zp"))
URL_NASTY = [t for t in NASTY if t.isprintable() and not t.isspace() and " " not in t]


def texts(
    tokens: list[str], max_size: int = 12, alphabet: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[str]:
    """Arbitrary text, mixed with fragments that have broken sites before."""
    text = st.text(max_size=8) if alphabet is None else st.text(alphabet, max_size=8)
    piece = st.one_of(text, st.sampled_from(tokens))
    return st.lists(piece, max_size=max_size).map("".join)


def framed(benign: str) -> st.SearchStrategy[str]:
    """Printable hostile text framed by letters (valid, so the page is built and checked),
    or a benign value."""
    printable = [t for t in NASTY if t.isprintable() or t in ("\t", "\n", "\r\n")]
    hostile = texts(printable, alphabet=PRINTABLE).map(lambda t: f"A{t}Z")
    return st.one_of(st.just(benign), hostile, hostile)


TEXT_FIELDS = ("title", "company", "city", "region", "street", "postal", "level", "tag", "email")


@st.composite
def frontmatter(draw: st.DrawFn) -> dict[str, Any]:
    """Every string field hostile; one of them (or none) any text at all, which is often
    invalid (blank, control characters) and must then be a clean error."""
    raw = draw(st.sampled_from([None, None, None, *TEXT_FIELDS]))

    def text(name: str, benign: str) -> str:
        return draw(texts(NASTY) if name == raw else framed(benign))

    company: dict[str, Any] = {"name": text("company", "Example Corp")}
    if draw(st.booleans()):
        company["url"] = "https://example.com/" + draw(texts(URL_NASTY, 4, URL_SAFE))
    if draw(st.booleans()):
        company["logo"] = "/logo/" + draw(texts(URL_NASTY, 4, URL_SAFE))
    place = {
        "city": text("city", "Berlin"),
        "region": text("region", "Berlin"),
        "street_address": text("street", "Main St 1"),
        "postal_code": text("postal", "10115"),
        "country": "DE",
    }
    return {
        "title": text("title", "Backend Engineer"),
        "company": company,
        "date_posted": "2026-11-20",
        "valid_through": "2027-01-31",
        "location": [place],
        "experience_level": text("level", "senior"),
        "tags": [text("tag", "python"), *draw(st.lists(framed("go"), max_size=2))],
        "apply_url": "https://example.com/apply?" + draw(texts(URL_NASTY, 4, URL_SAFE)),
        "apply_email": draw(texts(NASTY)) if raw == "email" else "jobs@example.com",
        "salary": {"min": 1000, "max": 2000, "currency": "EUR"},
    }


@dataclass(frozen=True)
class Board:
    """A board folder and the parts of the pipeline that do not depend on its postings
    (config, fingerprinted assets, the compiled templates), made once for many examples."""

    root: Path
    config: SiteConfig
    assets: AssetManifest
    env: jinja2.Environment


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Board:
    root = write_board(
        tmp_path_factory.mktemp("properties") / "board",
        config=f'title = "Test board"\nbase_url = "https://{HOST}/"\n',
    )
    config = load_config(root / "sitegen.toml")
    assets = site_assets(config, root)
    empty = assemble_site(config, Validated((), (), ()), NOW, assets=assets)
    return Board(root, config, assets, make_environment(config, root, empty.urls))


def render_in_memory(board: Board, text: str | bytes) -> Built | ContentErrors:
    """Validate, assemble and render one posting without writing the site."""
    path = board.root / PATH
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    try:
        content = validate_all(
            [read_source(path, board.root)], [], board.config.markdown_engine, NOW.date()
        )
    except ContentErrors as exc:
        return exc
    site = assemble_site(board.config, content, NOW, assets=board.assets)
    files = {f.path: f.data for f in render_site(site, board.env, board.root)}
    return Built(files, {}, {})


def assert_clean(errors: ContentErrors) -> None:
    assert errors.diagnostics
    for diagnostic in errors.diagnostics:
        line = str(diagnostic)
        assert line.startswith(PATH) and "\n" not in line and "\r" not in line, line
        assert "Traceback" not in line


def posting_file(fields: dict[str, Any], body: str) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n" + body


def same_text(html_text: str, value: str) -> bool:
    """HTML parsing turns CR and CRLF into LF; otherwise text must come through unchanged."""
    return html_text == value.replace("\r\n", "\n").replace("\r", "\n")


def shown_as(value: str) -> str:
    """A text field as the board shows it: in normal form C, trimmed."""
    return unicodedata.normalize("NFC", value).strip()


def expected_ld(fields: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    place = fields["location"][0]
    yield ("title",), shown_as(fields["title"])
    yield ("hiringOrganization", "name"), shown_as(fields["company"]["name"])
    if "url" in fields["company"]:
        yield ("hiringOrganization", "sameAs"), fields["company"]["url"].strip()
    for key, ld_key in [
        ("city", "addressLocality"),
        ("region", "addressRegion"),
        ("street_address", "streetAddress"),
        ("postal_code", "postalCode"),
    ]:
        yield ("jobLocation", 0, "address", ld_key), shown_as(place[key])
    yield ("experienceRequirements",), shown_as(fields["experience_level"])
    kept: dict[str, str] = {}  # the author's spelling, one of each regardless of case
    for tag in fields["tags"]:
        text = shown_as(tag)
        if text:
            kept.setdefault(text.casefold(), text)
    tags = list(kept.values())
    if tags:
        yield ("skills",), ", ".join(tags)


def check_posting(built: Built, fields: dict[str, Any], baseline: Baseline) -> None:
    # The values as the file gives them: YAML folds line breaks such as NEL (U+0085) that
    # the dumper writes as they are, so compare with what a YAML reader makes of the file.
    fields = yaml.safe_load(yaml.safe_dump(fields, allow_unicode=True))
    checked = check_site(built.files, baseline, HOST)
    data: Any = eligible_posting_ld(checked, fields["title"])
    if data is None:
        return
    for path, value in expected_ld(fields):
        found = data
        for key in path:
            found = found[key]
        assert found == value, (path, found, value)
    (h1,) = checked.text("jobs/job/index.html", "//h1")
    assert same_text(h1, shown_as(fields["title"])), (h1, fields["title"])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=frontmatter())
def test_any_frontmatter_text_is_safe_or_a_clean_error(
    board: Board, baseline: Baseline, fields: dict[str, Any]
) -> None:
    result = render_in_memory(board, posting_file(fields, "We build things.\n"))
    event("error" if isinstance(result, ContentErrors) else "built")
    if isinstance(result, ContentErrors):
        assert_clean(result)
    else:
        check_posting(result, fields, baseline)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=texts(MARKDOWN, 30))
def test_any_markdown_body_is_safe(board: Board, baseline: Baseline, body: str) -> None:
    fields = {
        "title": "Backend Engineer",
        "company": {"name": "Example Corp"},
        "date_posted": "2026-11-20",
        "location": [{"country": "DE"}],
        "apply_url": "https://example.com/apply",
    }
    result = render_in_memory(board, posting_file(fields, body))
    assert isinstance(result, Built), result  # a body alone is never an error
    checked = check_site(result.files, baseline, HOST)
    data = eligible_posting_ld(checked, fields["title"])
    assert data is None or isinstance(data["description"], str)


def eligible_posting_ld(checked: Built, title: str) -> Any:
    """The posting's JobPosting, or None where Google would reject it: then the description
    the page shows has no text, or only the title (docs/posting-format.md)."""
    blocks = [b for b in checked.json_ld["jobs/job/index.html"] if b["@type"] == "JobPosting"]
    if blocks:
        return checked.posting_ld("job")
    (section,) = checked.page("jobs/job/index.html").xpath("//section[@class='description']")
    shown = " ".join("".join(e.itertext()) for e in section if e.tag != "h2").split()
    assert " ".join(shown).casefold() in ("", " ".join(title.split()).casefold()), shown
    return None


VALID_FILE = posting()


@st.composite
def damaged_files(draw: st.DrawFn) -> str:
    """A valid posting with arbitrary text put in at an arbitrary place."""
    at = draw(st.integers(0, len(VALID_FILE)))
    cut = draw(st.integers(0, 3))
    return VALID_FILE[:at] + draw(texts([*NASTY, "---\n", ": ", "- "], 6)) + VALID_FILE[at + cut :]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=300), texts([*NASTY, "---\n"], 20), damaged_files()))
def test_any_file_is_a_posting_or_a_clean_error(
    board: Board, baseline: Baseline, data: Any
) -> None:
    result = render_in_memory(board, data)
    event("error" if isinstance(result, ContentErrors) else "built")
    if isinstance(result, ContentErrors):
        assert_clean(result)
    else:
        check_site(result.files, baseline, HOST)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=frontmatter(), body=texts(MARKDOWN, 20))
def test_full_builds_keep_the_invariants(
    tmp_path_factory: pytest.TempPathFactory,
    baseline: Baseline,
    fields: dict[str, Any],
    body: str,
) -> None:
    root = write_board(
        tmp_path_factory.mktemp("full") / "board",
        postings={"job": posting_file(fields, body)},
        config=f'title = "Test board"\nbase_url = "https://{HOST}/"\n',
    )
    try:
        run_build(root)
    except ContentErrors as exc:
        event("error")
        assert_clean(exc)
        assert not (root / "output").exists()
        return
    event("built")
    built = Built(read_output(root / "output"), {}, {})
    check_posting(built, fields, baseline)
    left = sorted(p.name for p in root.iterdir())
    assert left == [CACHE_DIR, "content", "output", "sitegen.toml"]  # no staging leftovers
