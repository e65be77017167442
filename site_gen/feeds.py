"""Feeds of the newest postings: Atom (``feed.xml``) and JSON Feed 1.1 (``feed.json``).

A ``Feed`` follows one listing: the whole board, or one facet value (``tags/python/``), so
that people can follow exactly what they care about. Each entry carries the posting's title,
company (as the entry's author), location, salary and summary. Both formats are built from
the model with real serialisers (ElementTree, json), so every value is escaped for its
format; characters that XML 1.0 cannot carry at all are dropped.

Every word comes from the theme's translations (``Translations``), as on the pages: a German
board's feeds read "Backend Engineer bei Example Corp", "Vollzeit", "Berlin, Deutschland".

Entry dates are the postings' ``date_posted``, and a feed's ``updated`` is its newest
posting's date, so an unchanged board gives a byte-identical feed and feed readers see a
change only when there is one.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from site_gen import __version__
from site_gen.models import Posting
from site_gen.site import Site
from site_gen.urls import atom_feed_route, json_feed_route, posting_route
from site_gen.wording import Translations, format_salary, place_label

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "sitegen"
# Characters XML 1.0 does not allow anywhere, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Feed:
    """The newest postings of one listing."""

    base: str  # the listing's route: "" for the board, "tags/python/" for a facet value
    title: str
    postings: tuple[Posting, ...]  # newest first, at most feed_size

    @property
    def atom_route(self) -> str:
        return atom_feed_route(self.base)

    @property
    def json_route(self) -> str:
        return json_feed_route(self.base)


def make_feed(site: Site, base: str, title: str, postings: tuple[Posting, ...]) -> Feed:
    """A feed of a listing's newest postings (``postings`` are newest first)."""
    return Feed(base, title, postings[: site.config.feed_size])


def location_text(posting: Posting, t: Translations) -> str:
    """E.g. "Remote (US, CA)", "Hybrid · Berlin, Germany" or "Berlin, Germany; Paris, France"."""
    parts = []
    if posting.remote == "remote" and posting.applicant_locations:
        parts.append(t("feed.remote_in", countries=", ".join(posting.applicant_locations)))
    elif posting.remote in ("remote", "hybrid"):
        parts.append(t(f"remote.{posting.remote}"))
    if posting.location:
        parts.append("; ".join(place_label(place, t) for place in posting.location))
    return " · ".join(parts)


def facts_line(posting: Posting, t: Translations) -> str:
    """Company, place, pay and type on one line: what a reader scans before clicking."""
    facts = [posting.company.name, location_text(posting, t)]
    if posting.salary:
        facts.append(format_salary(posting.salary, t))
    facts.append(", ".join(t(f"type.{kind.value}") for kind in posting.employment_type))
    return " · ".join(f for f in facts if f)


def entry_title(posting: Posting, t: Translations) -> str:
    return t("posting.page_title", title=posting.title, company=posting.company.name)


def entry_text(posting: Posting, t: Translations) -> str:
    return f"{facts_line(posting, t)}\n\n{posting.summary}".strip()


def feed_updated(site: Site, feed: Feed) -> datetime | date:
    return max((p.date_posted for p in feed.postings), default=site.now)


def rfc3339(moment: date | datetime) -> str:
    """A date is taken as the start of that day in UTC."""
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{moment.isoformat()}T00:00:00Z"


def atom_feed(site: Site, feed: Feed, t: Translations, entries: AtomEntries | None = None) -> bytes:
    """The feed as an Atom 1.0 document (RFC 4287); ``entries`` are the build's entries,
    made once each (a new set if not given)."""
    root = atom_head(site, feed)
    ET.indent(root)
    if not feed.postings:
        xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        return xml
    # The entries are joined in as text, each serialised once (``AtomEntries``), where
    # ElementTree would write them as children of the indented root: after the head's
    # last element, one indentation apart, the last followed by the closing tag.
    root[-1].tail = ENTRY_INDENT
    head = ET.tostring(root, encoding="unicode").removesuffix(f"</{root.tag}>")
    made = entries if entries is not None else AtomEntries(site, t)
    body = ENTRY_INDENT.join(made.of(posting) for posting in feed.postings)
    document = f"{XML_DECLARATION}{head}{body}\n</{root.tag}>"
    return document.encode("utf-8", "xmlcharrefreplace")  # as ElementTree encodes


def atom_head(site: Site, feed: Feed) -> ET.Element:
    """The feed's root element with what it says about itself, before its entries."""
    urls, config = site.urls, site.config
    # Unqualified names and an explicit xmlns: ElementTree's own namespace handling would
    # either prefix every element (ns0:) or refuse unqualified attribute names.
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: config.language})
    _text(root, "id", urls.absolute(feed.base))
    _text(root, "title", feed.title)
    _text(root, "subtitle", config.description)
    _text(root, "updated", rfc3339(feed_updated(site, feed)))
    _link(root, "self", "application/atom+xml", urls.absolute(feed.atom_route))
    _link(root, "alternate", "text/html", urls.absolute(feed.base))
    _text(root, "generator", GENERATOR, version=__version__)
    return root


XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"  # ElementTree's, for utf-8
ENTRY_INDENT = "\n  "  # ET.indent's for the root's children


class AtomEntries:
    """Each posting's Atom entry, serialised once: a posting is in the board's feed and in
    the feed of each location, workplace and tag it has. An entry is a function of its
    posting, the site's URLs and the translations, which are the same for a whole build."""

    def __init__(self, site: Site, t: Translations) -> None:
        self.site = site
        self.t = t
        self._made: dict[int, tuple[Posting, str]] = {}  # by identity; keeps the posting

    def of(self, posting: Posting) -> str:
        found = self._made.get(id(posting))
        if found is None:
            entry = atom_entry(self.site, posting, self.t)
            ET.indent(entry, level=1)  # as a child of the feed
            found = self._made[id(posting)] = (posting, ET.tostring(entry, encoding="unicode"))
        return found[1]


def atom_entry(site: Site, posting: Posting, t: Translations) -> ET.Element:
    url = site.urls.absolute(posting_route(posting.slug))
    entry = ET.Element("entry")
    _text(entry, "id", url)
    _text(entry, "title", entry_title(posting, t))
    _link(entry, "alternate", "text/html", url)
    _text(entry, "published", rfc3339(posting.date_posted))
    _text(entry, "updated", rfc3339(posting.date_posted))
    author = _text(entry, "author", None)
    _text(author, "name", posting.company.name)
    if posting.company.url:
        _text(author, "uri", posting.company.url)
    for tag in posting.tags:
        _text(entry, "category", None, term=tag)
    _text(entry, "summary", entry_text(posting, t), type="text")
    return entry


def json_feed(site: Site, feed: Feed, t: Translations) -> bytes:
    """The feed as a JSON Feed 1.1 document."""
    urls, config = site.urls, site.config
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": urls.absolute(feed.base),
        "feed_url": urls.absolute(feed.json_route),
        "description": config.description,
        "language": config.language,
        "items": [json_item(site, posting, t) for posting in feed.postings],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_item(site: Site, posting: Posting, t: Translations) -> dict[str, Any]:
    url = site.urls.absolute(posting_route(posting.slug))
    author: dict[str, str] = {"name": posting.company.name}
    if posting.company.url:
        author["url"] = posting.company.url
    item: dict[str, Any] = {
        "id": url,
        "url": url,
        "title": entry_title(posting, t),
        "content_text": entry_text(posting, t),
        "summary": posting.summary,
        "date_published": rfc3339(posting.date_posted),
        "authors": [author],
    }
    if posting.tags:
        item["tags"] = list(posting.tags)
    item["_job"] = job_extension(posting, t)
    return item


def job_extension(posting: Posting, t: Translations) -> dict[str, Any]:
    """JSON Feed extension (keys starting with ``_`` are the format's extension point):
    the posting's facts as data, for aggregators."""
    job: dict[str, Any] = {
        "company": posting.company.name,
        "location": location_text(posting, t),
        "countries": list(posting.applicant_locations or posting.countries),
        "remote": posting.remote,
        "employment_type": [t.value for t in posting.employment_type],
    }
    if posting.salary:
        job["salary"] = posting.salary.model_dump(exclude_none=True)
    if posting.valid_through:
        job["valid_through"] = posting.valid_through.isoformat()
    return job


def _text(parent: ET.Element, name: str, text: str | None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, name, {k: _xml(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _xml(text)
    return element


def _link(parent: ET.Element, rel: str, kind: str, href: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": kind, "href": _xml(href)})


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)
