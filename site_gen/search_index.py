"""The search index: the published postings and the facet values, as compact JSON.

``build_index`` is pure (site in, ``SearchIndex`` out); ``encode_index`` serialises it
without whitespace. The shape is the README's "Search index" section; in short::

    {"version": 1, "base": "/", "fields": [...],
     "facets": [{"key": "tag", "values": [["python", "python", 12], ...]}, ...],
     "postings": [[url, title, date, facets, places, salary, summary], ...]}

Facets and values are named by keys; the search page words them in the board's language
(a value's label is the postings' own word, a tag or a city, or a fallback for the values the
theme words: see ``theme.worded_values``).

Postings are rows (their field names are listed once, in ``fields``) and point at facet
values by their position in that facet's ``values``, so no company, tag or country name is
repeated. Every row is self-contained, so ``postings`` can later be split into shard files
of consecutive rows while ``facets`` stays in the main file.
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass
from typing import Any

from site_gen.facets import Facet, FacetValue, identity
from site_gen.markup import shorten
from site_gen.models import Posting, Salary, country_name
from site_gen.site import Site
from site_gen.urls import posting_route

INDEX_VERSION = 1
SUMMARY_LENGTH = 120
POSTING_FIELDS = ("url", "title", "date", "facets", "places", "salary", "summary")

Row = list[Any]


@dataclass(frozen=True)
class IndexPosting:
    """One posting as the search page needs it."""

    url: str  # site-relative, e.g. "jobs/backend-engineer/"
    title: str
    date: str  # date_posted, ISO 8601
    facets: tuple[tuple[int, ...], ...]  # per facet (in index order): value positions
    places: tuple[int, ...]  # location value positions of its own places (city, else country)
    salary: tuple[Any, ...] | None  # (min, max, currency, period, annual min, annual max)
    summary: str

    def row(self) -> Row:
        return [
            self.url,
            self.title,
            self.date,
            [list(v) for v in self.facets],
            list(self.places),
            None if self.salary is None else list(self.salary),
            self.summary,
        ]


@dataclass(frozen=True)
class SearchIndex:
    version: int
    base: str  # the site's path, e.g. "/" or "/board/": links are base + url
    facets: tuple[Facet, ...]
    postings: tuple[IndexPosting, ...]  # newest first

    def as_json(self) -> dict[str, Any]:
        return {**self.header(), "postings": [p.row() for p in self.postings]}

    def header(self) -> dict[str, Any]:
        """Everything but the postings."""
        return {
            "version": self.version,
            "base": self.base,
            "fields": list(POSTING_FIELDS),
            "facets": [{"key": f.key, "values": value_rows(f)} for f in self.facets],
        }


def value_rows(facet: Facet) -> list[Row]:
    """``[key, label, count]``, plus the country's position for a city."""
    position = {v.key: i for i, v in enumerate(facet.values)}
    return [
        [v.key, v.label, v.count] + ([position[v.parent]] if v.parent else []) for v in facet.values
    ]


def build_index(site: Site) -> SearchIndex:
    facets = site.facets.facets
    positions = {(v.facet, v.key): i for f in facets for i, v in enumerate(f.values)}
    places = place_positions(site.facets.get("location"))
    return SearchIndex(
        version=INDEX_VERSION,
        base=site.urls.prefix,
        facets=facets,
        postings=tuple(
            index_posting(p, site.facets.of(p.slug), facets, positions, places)
            for p in site.published
        ),
    )


def place_positions(location: Facet) -> dict[tuple[str, str], int]:
    """(country name, city identity or "") -> position in the location facet."""
    names = {v.key: v.label for v in location.values if v.parent is None}
    return {
        (names[v.parent], identity(v.label)) if v.parent else (v.label, ""): i
        for i, v in enumerate(location.values)
    }


def index_posting(
    posting: Posting,
    values: tuple[FacetValue, ...],
    facets: tuple[Facet, ...],
    positions: dict[tuple[str, str], int],
    places: dict[tuple[str, str], int],
) -> IndexPosting:
    members: dict[str, list[int]] = {f.key: [] for f in facets}
    for value in values:
        members[value.facet].append(positions[(value.facet, value.key)])
    own_places = (
        places[(country_name(p.country), identity(p.city) if p.city else "")]
        for p in posting.location
    )
    return IndexPosting(
        url=posting_route(posting.slug),
        title=posting.title,
        date=posting.date_posted.isoformat(),
        facets=tuple(tuple(members[f.key]) for f in facets),
        places=tuple(dict.fromkeys(own_places)),
        salary=salary_row(posting.salary),
        summary=shorten(posting.summary, SUMMARY_LENGTH),
    )


def salary_row(salary: Salary | None) -> tuple[Any, ...] | None:
    if salary is None:
        return None
    return (
        _number(salary.low),
        _number(salary.high),
        salary.currency,
        salary.period,
        _number(salary.annual_low),
        _number(salary.annual_high),
    )


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def encode_index(index: SearchIndex) -> bytes:
    """Compact JSON: no whitespace, non-ASCII kept as UTF-8 (shorter than \\u escapes).

    The same bytes as dumping ``as_json()``, written a row at a time: a board of 100,000
    postings never holds its index as Python lists and as text at once.
    """
    out = io.BytesIO()
    head = _dumps({**index.header(), "postings": []})
    out.write(head[: -len("[]}")].encode("utf-8") + b"[")
    for number, posting in enumerate(index.postings):
        out.write((b"," if number else b"") + _dumps(posting.row()).encode("utf-8"))
    out.write(b"]}")
    return out.getvalue()


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def size_summary(data: bytes, postings: int) -> str:
    """E.g. "search-index.json: 41.2 KB (1.2 KB a posting), 9.8 KB gzipped"."""
    per_posting = len(data) / postings if postings else 0
    return (
        f"search-index.json: {len(data) / 1000:.1f} KB ({per_posting / 1000:.2f} KB a posting), "
        f"{len(gzip.compress(data, mtime=0)) / 1000:.1f} KB gzipped"
    )
