"""Atom and JSON feeds, parsed with real parsers: feedparser for Atom, a model of JSON Feed 1.1."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import feedparser
from pydantic import BaseModel, ConfigDict, model_validator

from site_gen.config import SiteConfig
from site_gen.feeds import AtomEntries, Feed, atom_entry, atom_feed, atom_head, make_feed
from site_gen.site import Site
from site_gen.wording import Translations, load_translations
from tests.conftest import run_build
from tests.helpers import parse_html, posting_text, site_of, write_board

BASE = "https://jobs.example.com/"


class JsonFeedAuthor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    url: str | None = None
    avatar: str | None = None


class JsonFeedItem(BaseModel):
    """An item as JSON Feed 1.1 defines it; keys starting with "_" are extensions."""

    model_config = ConfigDict(extra="forbid")
    id: str
    url: str | None = None
    external_url: str | None = None
    title: str | None = None
    content_html: str | None = None
    content_text: str | None = None
    summary: str | None = None
    image: str | None = None
    banner_image: str | None = None
    date_published: datetime | None = None
    date_modified: datetime | None = None
    authors: list[JsonFeedAuthor] | None = None
    tags: list[str] | None = None
    language: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _extensions(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if not k.startswith("_")}

    @model_validator(mode="after")
    def _content(self) -> JsonFeedItem:
        assert self.content_html is not None or self.content_text is not None
        for moment in (self.date_published, self.date_modified):
            assert moment is None or moment.tzinfo is not None, "RFC 3339 needs an offset"
        return self


class JsonFeed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal["https://jsonfeed.org/version/1.1"]
    title: str
    home_page_url: str | None = None
    feed_url: str | None = None
    description: str | None = None
    user_comment: str | None = None
    next_url: str | None = None
    icon: str | None = None
    favicon: str | None = None
    authors: list[JsonFeedAuthor] | None = None
    language: str | None = None
    expired: bool | None = None
    items: list[JsonFeedItem]


def parse_atom(path: Path) -> Any:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_atom_feed_lists_the_newest_postings_with_their_facts(board: Path):
    run_build(board)
    feed = parse_atom(board / "output" / "feed.xml")
    assert feed.feed.title == "Test board"
    assert feed.feed.id == BASE
    assert {(link.rel, link.href) for link in feed.feed.links} == {
        ("self", BASE + "feed.xml"),
        ("alternate", BASE),
    }
    assert feed.feed.updated == "2026-11-25T00:00:00Z"
    designer, engineer = feed.entries
    assert designer.title == "Product Designer at Example Corp"
    assert designer.link == designer.id == BASE + "jobs/remote-designer/"
    assert designer.author_detail == {"name": "Example Corp", "href": "https://example.com"}
    assert designer.published == "2026-11-25T00:00:00Z"
    assert designer.summary.startswith("Example Corp · Remote (US, CA) · $50 – $70 an hour · ")
    assert engineer.summary == (
        "Example Corp · Berlin, Germany · €70,000 – €90,000 a year · Full time\n\nWe build things."
    )


def test_feeds_leave_out_expired_draft_and_future_postings_and_keep_feed_size(tmp_path: Path):
    root = write_board(
        tmp_path / "b",
        postings={
            "old": posting_text(title="Old", valid_through="2026-11-01", date_posted="2026-10-01"),
            "draft": posting_text(title="Draft", draft=True),
            "future": posting_text(title="Future", date_posted="2026-12-24"),
            "a": posting_text(title="A", date_posted="2026-11-21", tags=["python", "go"]),
            "b": posting_text(title="B", date_posted="2026-11-22"),
            "c": posting_text(title="C", date_posted="2026-11-23"),
        },
        config=f'base_url = "{BASE}"\nfeed_size = 2\n',
    )
    run_build(root)
    atom = parse_atom(root / "output" / "feed.xml")
    assert [e.title for e in atom.entries] == ["C at Example Corp", "B at Example Corp"]
    run_build(root, drafts=True)
    atom = parse_atom(root / "output" / "feed.xml")
    data = JsonFeed.model_validate_json((root / "output" / "feed.json").read_bytes())
    assert [e.title for e in atom.entries] == [i.title for i in data.items]
    assert "Old at Example Corp" not in [e.title for e in atom.entries]


def test_the_json_feed_is_json_feed_1_1_with_the_job_as_an_extension(board: Path):
    run_build(board)
    raw = json.loads((board / "output" / "feed.json").read_bytes())
    feed = JsonFeed.model_validate(raw)
    assert (feed.home_page_url, feed.feed_url) == (BASE, BASE + "feed.json")
    _, engineer = feed.items
    assert engineer.url == engineer.id == BASE + "jobs/backend-engineer/"
    assert engineer.title == "Backend Engineer at Example Corp"
    assert engineer.summary == "We build things."
    assert engineer.authors == [JsonFeedAuthor(name="Example Corp", url="https://example.com")]
    assert engineer.date_published == datetime.fromisoformat("2026-11-20T00:00:00+00:00")
    assert raw["items"][1]["_job"] == {
        "company": "Example Corp",
        "location": "Berlin, Germany",
        "countries": ["DE"],
        "remote": "onsite",
        "employment_type": ["full-time"],
        "salary": {"min": 70000, "max": 90000, "currency": "EUR", "period": "year"},
        "valid_through": "2027-01-31",
    }
    assert raw["items"][0]["_job"]["countries"] == ["US", "CA"]


def test_hostile_text_is_escaped(tmp_path: Path):
    # Characters XML cannot carry never reach a feed: validation refuses them in the
    # frontmatter (tests/security) and the sanitiser drops them from descriptions.
    title = "</title><script>alert(1)</script> & <![CDATA[x]]>"
    root = write_board(
        tmp_path / "b",
        postings={"x": posting_text(title=title, company={"name": 'A "&" <B>'})},
        config=f'base_url = "{BASE}"\n',
    )
    run_build(root)
    entry = parse_atom(root / "output" / "feed.xml").entries[0]
    assert entry.title == title + ' at A "&" <B>'
    assert entry.author == 'A "&" <B>'
    item = JsonFeed.model_validate_json((root / "output" / "feed.json").read_bytes()).items[0]
    assert item.title == f'{title} at A "&" <B>'


def test_every_page_links_the_board_feeds_in_its_head(board: Path):
    run_build(board)
    for page in ("index.html", "jobs/backend-engineer/index.html", "about/index.html", "404.html"):
        head = parse_html(board / "output" / page).find("head")
        feeds = {
            link.get("type"): link.get("href") for link in head.findall("link[@rel='alternate']")
        }
        assert feeds == {"application/atom+xml": "/feed.xml", "application/feed+json": "/feed.json"}


def test_a_listing_feed_follows_one_facet_value(board: Path, tmp_path: Path):
    site = run_build(board).site
    t = load_translations(site.config, board)
    feed = make_feed(site, "tags/python/", "Python – Test board", site.published[1:])
    assert feed.atom_route == "tags/python/feed.xml"
    (tmp_path / "feed.xml").write_bytes(atom_feed(site, feed, t))
    feed = parse_atom(tmp_path / "feed.xml")
    assert (feed.feed.id, feed.feed.title) == (BASE + "tags/python/", "Python – Test board")
    assert {link.rel: link.href for link in feed.feed.links} == {
        "self": BASE + "tags/python/feed.xml",
        "alternate": BASE + "tags/python/",
    }
    assert [e.link for e in feed.entries] == [BASE + "jobs/backend-engineer/"]


def test_locations_workplaces_and_tags_have_feeds_linked_from_their_pages(tmp_path: Path):
    root = write_board(
        tmp_path / "b",
        postings={
            "py": posting_text(title="Py", tags=["python"], date_posted="2026-11-21"),
            "go": posting_text(
                title="Go", tags=["go"], remote="remote", location=[], applicant_locations=["US"]
            ),
        },
        config=f'title = "Board"\nbase_url = "{BASE}"\n',
    )
    run_build(root)
    output = root / "output"
    for route, titles in {
        "tags/python/": ["Py at Example Corp"],
        "locations/germany/": ["Py at Example Corp"],
        "remote/": ["Go at Example Corp"],
    }.items():
        feed = parse_atom(output / route / "feed.xml")
        assert feed.feed.id == BASE + route
        assert [e.title for e in feed.entries] == titles
        head = parse_html(output / route / "index.html").find("head")
        own = head.xpath("link[@rel='alternate' and @type='application/atom+xml']/@href")
        assert own == ["/feed.xml", f"/{route}feed.xml"]
    assert parse_atom(output / "tags/python/feed.xml").feed.title == (
        parse_html(output / "tags/python/index.html").findtext("head/title")
    )
    # Salary bands, types, levels and companies are browsed, not followed: no feed.
    assert (output / "types/full-time/index.html").is_file()
    assert not (output / "types/full-time/feed.xml").exists()


GERMAN = f'title = "Jobbörse"\nbase_url = "{BASE}"\nlanguage = "de"\n'


def test_a_german_board_gets_german_feeds(board: Path):
    (board / "sitegen.toml").write_text(GERMAN)
    output = run_build(board).output
    atom = parse_atom(output / "feed.xml")
    assert atom.feed.language == "de"
    designer, engineer = atom.entries
    assert designer.title == "Product Designer bei Example Corp"
    assert designer.summary.startswith("Example Corp · Remote (US, CA) · ")
    assert engineer.summary == (
        "Example Corp · Berlin, Deutschland · 70.000\xa0€ – 90.000\xa0€ pro Jahr · Vollzeit"
        "\n\nWe build things."
    )
    data = JsonFeed.model_validate_json((output / "feed.json").read_bytes())
    assert [i.title for i in data.items] == [e.title for e in atom.entries]
    raw = json.loads((output / "feed.json").read_bytes())
    assert raw["items"][1]["_job"]["location"] == "Berlin, Deutschland"
    # each facet value's feed is titled as its page is headed
    titles = {
        path.parent.relative_to(output).as_posix(): parse_atom(path).feed.title
        for path in output.glob("*/**/feed.xml")
    }
    assert titles == {
        "locations/germany": "Jobs in Deutschland – Jobbörse",
        "locations/germany/berlin": "Jobs in Berlin – Jobbörse",
        "locations/united-states": "Jobs in Vereinigte Staaten – Jobbörse",
        "locations/canada": "Jobs in Kanada – Jobbörse",
        "remote": "Jobs: Remote – Jobbörse",
    }
    german = parse_html(output / "locations" / "germany" / "index.html")
    assert german.xpath("//h1/text()") == ["Jobs in Deutschland"]


def test_a_board_words_its_feeds_with_its_own_strings(board: Path):
    (board / "i18n").mkdir()
    (board / "i18n" / "en.toml").write_text(
        '[posting]\npage_title = "{company} is hiring: {title}"\n'
        '[type]\nfull-time = "Permanent"\n'
        '[listing_title]\nlocation = "Openings in {name}"\n'
    )
    output = run_build(board).output
    _, engineer = parse_atom(output / "feed.xml").entries
    assert engineer.title == "Example Corp is hiring: Backend Engineer"
    assert engineer.summary.endswith("a year · Permanent\n\nWe build things.")
    germany = parse_atom(output / "locations" / "germany" / "feed.xml")
    assert germany.feed.title == "Openings in Germany – Test board"


def whole_tree_feed(site: Site, feed: Feed, t: Translations) -> bytes:
    """The feed as one ElementTree, indented and serialised at once."""
    root = atom_head(site, feed)
    root.extend(atom_entry(site, posting, t) for posting in feed.postings)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml


def test_entries_serialised_once_each_make_the_bytes_of_the_whole_tree(tmp_path: Path):
    postings = {
        "amp": posting_text(
            title="R&D <lead> \"quoted\" 'single'",
            company={"name": "A & B <C>", "url": "https://example.com/?a=1&b=<2>"},
            tags=["c++", "r&d", '"x"'],
            date_posted="2026-11-21",
        ),
        "plain": posting_text(
            title="Ünïcödé 🚀 engineer",
            company={"name": "Zürich 🚀 GmbH"},
            salary=None,
            date_posted="2026-11-22",
            body="Line one & <b>two</b>.\n\nLine three.\n",
        ),
        "remote": posting_text(
            title="Remote",
            remote="remote",
            location=[],
            applicant_locations=["US", "CA"],
            tags=["python"],
            date_posted="2026-11-23",
        ),
    }
    config = SiteConfig(base_url=BASE, title="B & co", description='Jobs & "more" <here>')
    site = site_of(postings, config)
    t = load_translations(site.config, tmp_path)
    feeds = [
        make_feed(site, "", "Board & <co>", site.published),
        make_feed(site, "tags/python/", "Python", site.published[1:]),
        make_feed(site, "tags/none/", "Nothing", ()),
    ]
    entries = AtomEntries(site, t)
    for feed in feeds * 2:  # the second time, every entry comes from ``entries``
        assert atom_feed(site, feed, t, entries) == whole_tree_feed(site, feed, t)
    assert atom_feed(site, feeds[0], t) == whole_tree_feed(site, feeds[0], t)
    assert len(site.published) == 3
