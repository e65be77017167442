"""Production builds: a subpath base where every link resolves, dropped postings, --minify.

Every page is parsed with a real HTML parser; links are resolved as a browser resolves them
(against the page's own URL) and must name a file of the output.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import html5lib
import pytest
from lxml import etree

from site_gen.urls import output_path
from tests.conftest import run_build
from tests.helpers import json_ld, parse_html, posting_text, write_board

REPO = Path(__file__).resolve().parents[2]
SUBPATH_BASE = "https://example.github.io/board/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LINK_ATTRIBUTES = ("href", "src", "action")


def subpath_board(root: Path) -> Path:
    """A board that uses every kind of link: nav and logos given as site paths, a static
    image, a closed posting, tags, a content page."""
    board = write_board(
        root,
        postings={
            "backend-engineer": posting_text(
                tags=["python"],
                company={"name": "Example Corp", "logo": "/assets/img/logo.png"},
            ),
            "remote-designer": posting_text(
                title="Product Designer", remote="remote", location=[], date_posted="2026-11-25"
            ),
            "closed": posting_text(
                title="Closed", valid_through="2026-11-01", date_posted="2026-10-01"
            ),
        },
        pages={"about": "---\ntitle: About\n---\nAbout [the jobs](https://example.com/).\n"},
        config=(
            'title = "Board"\n'
            'logo = "/assets/img/logo.png"\n'
            "page_size = 1\n"
            '[[nav]]\ntitle = "About"\nurl = "/about/"\n'
        ),
    )
    (board / "static" / "img").mkdir(parents=True)
    (board / "static" / "img" / "logo.png").write_bytes(b"\x89PNG not really")
    return board


def page_url(output: Path, page: Path, base: str) -> str:
    return base + page.relative_to(output).as_posix().removesuffix("index.html")


def resolve(output: Path, url: str, base: str) -> Path | None:
    """The output file a URL of this site names, or None if the URL is not below the base."""
    parts, root = urlsplit(url), urlsplit(base)
    if (parts.scheme, parts.netloc) != (root.scheme, root.netloc):
        raise AssertionError(f"not this site: {url}")
    if not parts.path.startswith(root.path):
        return None
    return output / output_path(unquote(parts.path.removeprefix(root.path)))


def check_links(output: Path, base: str) -> Counter[str]:
    """Resolve every internal link of every page; return how many of each tag were checked."""
    checked: Counter[str] = Counter()
    host = urlsplit(base).netloc
    for page in sorted(output.rglob("*.html")):
        doc = parse_html(page)
        here = page_url(output, page, base)
        ids = set(doc.xpath("//@id"))
        for element in doc.iter():
            for attribute in LINK_ATTRIBUTES:
                value = element.get(attribute)
                if value is None:
                    continue
                url = urljoin(here, value)
                if urlsplit(url).netloc != host or not url.startswith("http"):
                    continue  # another site, mailto:
                target = resolve(output, url, base)
                where = f"{page.relative_to(output)}: <{element.tag} {attribute}={value!r}>"
                assert target is not None, f"{where} leaves the board's subpath"
                assert target.is_file(), f"{where} names no file of the output"
                fragment = urlsplit(url).fragment
                assert not fragment or target != page or fragment in ids, f"{where}: no #{fragment}"
                checked[element.tag] += 1
        for meta in doc.xpath("//meta[@property='og:url']"):
            target = resolve(output, meta.get("content"), base)
            assert target == page or page.name == "404.html", f"{page}: og:url"
    return checked


@pytest.mark.parametrize("which", ["fixture", "example"])
def test_under_a_subpath_base_every_internal_link_resolves(tmp_path: Path, which: str):
    root = subpath_board(tmp_path / "b") if which == "fixture" else REPO
    output = tmp_path / "out"
    run_build(root, base_url=SUBPATH_BASE, output=output, minify=which == "example")
    checked = check_links(output, SUBPATH_BASE)
    pages = len(list(output.rglob("*.html")))
    # Every page links its canonical URL, stylesheet, two feeds and the board at least.
    assert checked["link"] >= 4 * pages
    assert checked["a"] >= 2 * pages
    if which == "fixture":
        assert checked["img"] >= pages  # the site logo in every header
        logo = parse_html(output / "index.html").xpath("//header//img/@src")
        assert re.fullmatch(r"/board/assets/img/logo\.[0-9a-f]{8}\.png", logo[0])
        (data,) = json_ld(output / "jobs" / "backend-engineer" / "index.html")
        assert data["hiringOrganization"]["logo"] == SUBPATH_BASE + logo[0].removeprefix("/board/")


def test_under_a_subpath_base_feeds_and_sitemap_name_files_of_the_output(tmp_path: Path):
    output = tmp_path / "out"
    run_build(subpath_board(tmp_path / "b"), base_url=SUBPATH_BASE, output=output)
    sitemap = etree.fromstring((output / "sitemap.xml").read_bytes())
    urls = [loc.text for loc in sitemap.iter(f"{SITEMAP_NS}loc")]
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    urls += [feed.feed.id, *(link.href for link in feed.feed.links)]
    urls += [url for entry in feed.entries for url in (entry.id, entry.link)]
    json_feed = json.loads((output / "feed.json").read_bytes())
    urls += [json_feed["home_page_url"], json_feed["feed_url"]]
    urls += [item["url"] for item in json_feed["items"]]
    robots = (output / "robots.txt").read_text()
    urls += [line.split(": ", 1)[1] for line in robots.splitlines() if line.startswith("Sitemap:")]
    assert len(urls) >= 15
    for url in urls:
        target = resolve(output, url, SUBPATH_BASE)
        assert target is not None and target.is_file(), url


def test_dropped_postings_get_no_page_and_redirect_to_the_board(tmp_path: Path):
    board = subpath_board(tmp_path / "b")
    config = board / "sitegen.toml"
    config.write_text('expired = "drop"\n' + config.read_text())
    output = tmp_path / "out"
    report = run_build(board, base_url=SUBPATH_BASE, output=output)
    assert "1 expired dropped" in report.summary()
    assert not (output / "jobs" / "closed").exists()
    rules = [
        line.split()
        for line in (output / "_redirects").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert rules == [["/board/jobs/closed/", "/board/", "302"]]
    assert (output / "index.html").is_file()  # the redirect's target
    sitemap = (output / "sitemap.xml").read_text()
    assert "closed" not in sitemap


def test_kept_expired_postings_need_no_redirects(tmp_path: Path):
    output = tmp_path / "out"
    run_build(subpath_board(tmp_path / "b"), output=output)
    assert (output / "jobs" / "closed" / "index.html").is_file()
    assert not (output / "_redirects").exists()


def normalised_link(value: str) -> str:
    """Minified assets have other hashes; compare asset links by their unhashed names."""
    return re.sub(r"(/assets/.+)\.[0-9a-f]{8}(\.\w+)$", r"\1\2", value)


# Attributes whose value is the default: leaving them out changes nothing.
DEFAULT_ATTRIBUTES = {
    ("form", "method"): "get",
    ("input", "type"): "text",
    ("script", "type"): "text/javascript",
    ("style", "type"): "text/css",
    ("link", "media"): "all",
    ("button", "type"): "submit",
}


def page_view(path: Path) -> list[tuple[object, ...]]:
    """What a page shows and does, from a spec-compliant parse (html5lib builds the same tree
    whether or not optional tags are written): every element with its attributes, and every
    text with runs of whitespace folded to one space, as HTML renders them. An attribute
    that only states its default value (``method="get"``) counts as absent."""
    doc = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
    view: list[tuple[object, ...]] = []
    for element in doc.iter():
        attributes = {}
        for name, value in element.attrib.items():
            if DEFAULT_ATTRIBUTES.get((element.tag, name)) == value.lower():
                continue
            value = " ".join(value.split()) if name == "class" else value
            if element.get("name") == "viewport" and name == "content":
                value = value.replace(" ", "")  # "a, b" and "a,b" are the same viewport
            attributes[name] = normalised_link(value) if name in LINK_ATTRIBUTES else value
        view.append((element.tag, sorted(attributes.items())))
        for kind, text in (("text", element.text), ("tail", element.tail)):
            folded = re.sub(r"\s+", " ", text or "")
            if folded.strip():
                view.append((kind, folded))
    return view


def test_minify_changes_no_text_link_or_element_of_any_page(tmp_path: Path):
    plain, small = tmp_path / "plain", tmp_path / "small"
    board = subpath_board(tmp_path / "b")
    shutil.copy(
        REPO / "content" / "jobs" / "senior-backend-engineer.md", board / "content" / "jobs"
    )
    run_build(board, output=plain)
    run_build(board, output=small, minify=True)
    pages = sorted(p.relative_to(plain) for p in plain.rglob("*.html"))
    assert pages == sorted(p.relative_to(small) for p in small.rglob("*.html"))
    assert len(pages) >= 6
    saved = 0
    for page in pages:
        assert page_view(plain / page) == page_view(small / page), page
        assert json_ld(plain / page) == json_ld(small / page)
        saved += (plain / page).stat().st_size - (small / page).stat().st_size
    assert saved > 0
    css = {p.name.split(".")[0]: p.stat().st_size for p in (small / "assets").glob("*.css")}
    assert css["style"] < next((plain / "assets").glob("style.*.css")).stat().st_size


def test_the_minified_json_ld_is_byte_for_byte_the_original(tmp_path: Path):
    board = subpath_board(tmp_path / "b")
    run_build(board, output=tmp_path / "plain")
    run_build(board, output=tmp_path / "small", minify=True)
    page = Path("jobs/backend-engineer/index.html")
    blocks = [
        parse_html(tmp_path / which / page).xpath('//script[@type="application/ld+json"]')[0].text
        for which in ("plain", "small")
    ]
    assert blocks[0] == blocks[1]
