"""The search index, version 2: a small head file and shards the search page fetches on demand.

``index_files`` is pure: the site in, the index's files out (route and bytes), the same
bytes for the same site. The format is a contract for outside readers and is documented in
docs/search.md; in short, ``search-index.json`` (the head) holds what the page's first paint
needs and the list of shards::

    {"version": 2, "base": "/", "count": 9449, "folder": "search-index/",
     "fields": [...], "facets": [{"key", "values", "encoding", "bytes"}, ...],
     "text": {"fields": [...], "shards": [["a", 7400], ["ab", 9100], ...]},
     "rows": {"size": 8, "shards": 1182}, "featured": [3, 1, 4]}

and ``search-index/`` the shards: ``text-<n>.json`` (words and the postings they are in,
for a range of words), ``facet-<key>.json`` (each posting's values of one facet),
``value-<key>-<n>.json`` (the postings of one value of a large facet) and
``rows-<n>.json`` (what a result shows, for ``size`` consecutive postings). A posting is
known everywhere by its number: its position, newest first; ``featured`` lists those featured
on the build's day. Lists of posting numbers are ascending and delta-encoded (the first
number, then each one's distance from the one before). A small board ships one file: the
head with every shard in it, under ``inline``.

Facets and values are named by keys; the search page words them in the board's language
(a value's label is the postings' own word, or a fallback: see ``wording.worded_values``).
"""

from __future__ import annotations

import gzip
import json
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import sub
from typing import Any

from site_gen.facet_values import identity
from site_gen.facets import Facet, FacetValue
from site_gen.markup import shorten
from site_gen.models import Posting, Salary
from site_gen.search_words import utf16_order, words
from site_gen.site import Site, newest_first
from site_gen.urls import SEARCH_INDEX_ROUTE, SiteUrls, posting_route

INDEX_VERSION = 2
SUMMARY_LENGTH = 120
SHARD_FOLDER = "search-index/"
POSTING_FIELDS = ("url", "title", "date", "facets", "places", "salary", "summary", "logo")
# Where a word is found, best first: a posting is listed under a word once, for its best field.
TEXT_FIELDS = ("title", "company", "tags", "facts", "description")
ROWS_PER_SHARD = 8
RECURRING_TEXT = 100  # characters: a text up to this long recurs (see ``text_words``)
TEXT_SHARD_ENTRIES = 6000  # posting numbers a text shard holds (a single word may hold more)
# Up to this many published postings the board ships one file (see docs/search.md).
SINGLE_FILE_UP_TO = 300
# Facet values are encoded as a column of symbols (one per posting) when a facet has at most
# this many distinct combinations of values, else as one list of postings per value.
COLUMN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
COLUMN_COMBINATIONS = len(COLUMN_ALPHABET) ** 2

Row = list[Any]


@dataclass(frozen=True)
class IndexFile:
    route: str  # e.g. "search-index.json" or "search-index/text-3.json"
    data: bytes


@dataclass(frozen=True, slots=True)  # one per posting: no dict each
class IndexPosting:
    """One posting as the search index numbers it: the posting itself, its facet values by
    position, and whether it is featured. What its row and its words need is read from the
    posting as they are encoded, not copied here: on a large board, copies of every
    posting's texts would outweigh the index's files."""

    posting: Posting
    facets: tuple[tuple[int, ...], ...]  # per facet (in index order): value positions
    featured: bool  # featured on the build's day: first among equals in the search's order


@dataclass(frozen=True)
class SearchIndex:
    version: int
    urls: SiteUrls  # the site's path (``base``) and how its pages link a logo
    facets: tuple[Facet, ...]
    postings: tuple[IndexPosting, ...]  # newest first, featured or not: number = position
    places: Mapping[tuple[str, str], int]  # see ``place_positions``

    @property
    def base(self) -> str:
        """The site's path, e.g. "/" or "/board/": links are base + url."""
        return self.urls.prefix


# -- the model ------------------------------------------------------------------------------


def build_index(site: Site) -> SearchIndex:
    facets = site.facets.facets
    positions = {(v.facet, v.key): i for f in facets for i, v in enumerate(f.values)}
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}  # one tuple for the same values
    return SearchIndex(
        version=INDEX_VERSION,
        urls=site.urls,
        facets=facets,
        postings=tuple(
            index_posting(p, site.facets.of(p.slug), facets, positions, shared, site.today)
            for p in newest_first(list(site.published))
        ),
        places=place_positions(site.facets.get("location")),
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
    shared: dict[tuple[int, ...], tuple[int, ...]],
    today: date,
) -> IndexPosting:
    members: dict[str, list[int]] = {f.key: [] for f in facets}
    for value in values:
        members[value.facet].append(positions[(value.facet, value.key)])
    return IndexPosting(
        posting=posting,
        facets=tuple(shared.setdefault(t, t) for t in (tuple(members[f.key]) for f in facets)),
        featured=posting.is_featured(today),
    )


def posting_row(index: SearchIndex, entry: IndexPosting) -> Row:
    """What a result shows, in ``POSTING_FIELDS`` order."""
    posting = entry.posting
    places = (
        index.places[(p.country_name, identity(p.city) if p.city else "")] for p in posting.location
    )
    salary = salary_row(posting.salary)
    logo = posting.company.logo
    return [
        posting_route(posting.slug),  # site-relative, e.g. "jobs/backend-engineer/"
        posting.title,
        posting.date_posted.isoformat(),
        [list(v) for v in entry.facets],
        list(dict.fromkeys(places)),  # the location values of its own places (city, else country)
        None if salary is None else list(salary),  # min, max, currency, period, annual min, max
        shorten(posting.summary, SUMMARY_LENGTH),
        index.urls.link(str(logo)) if logo else None,
    ]


def posting_texts(index: SearchIndex, entry: IndexPosting) -> tuple[tuple[str, ...], ...]:
    """Per text field (``TEXT_FIELDS``): the texts searched; a facet's are its values'
    labels, in the order of the posting's values."""
    labels = {
        facet.key: tuple(facet.values[v].label for v in values)
        for facet, values in zip(index.facets, entry.facets, strict=True)
    }
    posting = entry.posting
    facts = (*labels["location"], *labels["remote"], *labels["type"], *labels["level"])
    return (posting.title,), labels["company"], labels["tag"], facts, (posting.summary,)


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


# -- shards ---------------------------------------------------------------------------------


def deltas(numbers: Sequence[int]) -> list[int]:
    """Ascending numbers as the first, then each one's distance from the one before."""
    return list(map(sub, numbers, chain((0,), numbers)))  # in C: half a million at 10,000


def word_postings(index: SearchIndex) -> list[dict[str, array[int]]]:
    """Per text field: word -> the numbers of the postings whose best field for the word it
    is, ascending, as machine integers (millions at 100,000 postings)."""
    found: list[dict[str, array[int]]] = [{} for _ in TEXT_FIELDS]
    known: dict[str, list[str]] = {}
    for number, posting in enumerate(index.postings):
        best: dict[str, int] = {}
        for field, texts in enumerate(posting_texts(index, posting)):
            for text in texts:
                for word in text_words(text, known):
                    best.setdefault(word, field)  # fields come best first
        for word, field in best.items():
            if (entries := found[field].get(word)) is None:
                entries = found[field][word] = array("I")
            entries.append(number)
    return found


def text_words(text: str, known: dict[str, list[str]]) -> list[str]:
    """``words(text)``, kept in ``known`` for a short text: titles, names, tags and places
    recur across the postings, so that only the descriptions are read for every posting."""
    if (found := known.get(text)) is None:
        found = words(text)
        if len(text) <= RECURRING_TEXT:
            known[text] = found
    return found


def text_shards(index: SearchIndex) -> Iterator[tuple[str, dict[str, list[list[int]]]]]:
    """The words in order, cut into shards of about ``TEXT_SHARD_ENTRIES`` posting numbers:
    (first word, {word: one delta-encoded list of postings per field}), one at a time (as
    Python lists, all the shards at once would take several times the index's size)."""
    found = word_postings(index)
    current: dict[str, list[list[int]]] = {}
    entries = 0
    for word in sorted(set().union(*found), key=utf16_order):
        by_field: list[Sequence[int]] = [field.get(word, ()) for field in found]
        while not by_field[-1]:  # a word is in one field at least
            by_field.pop()
        count = sum(map(len, by_field))
        if current and entries + count > TEXT_SHARD_ENTRIES:
            yield next(iter(current)), current
            current, entries = {}, 0
        current[word] = [deltas(numbers) for numbers in by_field]
        entries += count
    if current:
        yield next(iter(current)), current


def facet_shard(facet: Facet, position: int, postings: Sequence[IndexPosting]) -> dict[str, Any]:
    """Each posting's values of one facet: a column when the facet has few combinations of
    values (one or two symbols a posting), else one delta-encoded list of postings per value."""
    combos = Counter(p.facets[position] for p in postings)
    if len(combos) <= COLUMN_COMBINATIONS:
        ordered = sorted(combos, key=lambda c: (-combos[c], c))
        width = 1 if len(ordered) <= len(COLUMN_ALPHABET) else 2
        symbol = {combo: column_symbol(i, width) for i, combo in enumerate(ordered)}
        column = "".join(symbol[p.facets[position]] for p in postings)
        return {"combinations": [list(c) for c in ordered], "width": width, "column": column}
    return {"lists": value_lists(facet, position, postings)}


def value_lists(facet: Facet, position: int, postings: Sequence[IndexPosting]) -> list[list[int]]:
    lists: list[list[int]] = [[] for _ in facet.values]
    for number, posting in enumerate(postings):
        for value in posting.facets[position]:
            lists[value].append(number)
    return [deltas(numbers) for numbers in lists]


def column_symbol(number: int, width: int) -> str:
    base = len(COLUMN_ALPHABET)
    return "".join(COLUMN_ALPHABET[number // base**i % base] for i in reversed(range(width)))


def value_rows(facet: Facet) -> list[Row]:
    """``[key, label, count]``, plus the country's position for a city."""
    position = {v.key: i for i, v in enumerate(facet.values)}
    return [
        [v.key, v.label, v.count] + ([position[v.parent]] if v.parent else []) for v in facet.values
    ]


# -- the files ------------------------------------------------------------------------------


def index_files(site: Site) -> list[IndexFile]:
    """The index's files: the head, then the shards (none for a small board: see
    ``SINGLE_FILE_UP_TO``)."""
    return encode_index(build_index(site))


def encode_index(index: SearchIndex, single_up_to: int | None = None) -> list[IndexFile]:
    postings = index.postings
    single_up_to = SINGLE_FILE_UP_TO if single_up_to is None else single_up_to
    shards: dict[str, bytes] = {}
    text = []
    for n, (first, entries) in enumerate(text_shards(index)):
        shards[f"text-{n}"] = _dumps(entries)
        text.append([first, len(shards[f"text-{n}"])])
    facets = []
    for position, facet in enumerate(index.facets):
        shard = facet_shard(facet, position, postings)
        shards[f"facet-{facet.key}"] = _dumps(shard)
        for v, numbers in enumerate(shard.get("lists", ())):
            shards[f"value-{facet.key}-{v}"] = _dumps(numbers)
        facets.append(
            {
                "key": facet.key,
                "values": value_rows(facet),
                "encoding": "lists" if "lists" in shard else "column",
                "bytes": len(shards[f"facet-{facet.key}"]),
            }
        )
    for n in range(0, len(postings), ROWS_PER_SHARD):
        rows = [posting_row(index, p) for p in postings[n : n + ROWS_PER_SHARD]]
        shards[f"rows-{n // ROWS_PER_SHARD}"] = _dumps(rows)
    head: dict[str, Any] = {
        "version": index.version,
        "base": index.base,
        "count": len(postings),
        "folder": SHARD_FOLDER,
        "fields": list(POSTING_FIELDS),
        "facets": facets,
        "text": {"fields": list(TEXT_FIELDS), "shards": text},
        "rows": {"size": ROWS_PER_SHARD, "shards": -(-len(postings) // ROWS_PER_SHARD)},
        "featured": deltas([n for n, p in enumerate(postings) if p.featured]),
    }
    if len(postings) <= single_up_to:
        head["inline"] = {name: json.loads(data) for name, data in shards.items()}
        return [IndexFile(SEARCH_INDEX_ROUTE, _dumps(head))]
    return [IndexFile(SEARCH_INDEX_ROUTE, _dumps(head))] + [
        IndexFile(f"{SHARD_FOLDER}{name}.json", data) for name, data in shards.items()
    ]


def _dumps(data: Any) -> bytes:
    """Compact JSON: no whitespace, non-ASCII kept as UTF-8 (shorter than \\u escapes)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def size_summary(data: bytes, postings: int) -> str:
    """E.g. "search-index.json: 4.1 KB, 1.8 KB gzipped, and 1,234 shards (...)" from the head,
    which records its shards' sizes; a posting's share only for an index in one file."""
    head = f"search-index.json: {len(data) / 1000:.1f} KB"
    gzipped = f"{len(gzip.compress(data, mtime=0)) / 1000:.1f} KB gzipped"
    try:
        index = json.loads(data)
        if "inline" in index:
            share = len(data) / postings / 1000 if postings else 0
            return f"{head} ({share:.2f} KB a posting), {gzipped}, one file"
        shards = index["text"]["shards"]
        sizes = [size for _, size in shards] + [f["bytes"] for f in index["facets"]]
        count = len(shards) + len(index["facets"]) + index["rows"]["shards"]
        count += sum(len(f["values"]) for f in index["facets"] if f["encoding"] == "lists")
    except (ValueError, KeyError, TypeError):
        return f"{head}, {gzipped}"
    return f"{head}, {gzipped}, and {count:,} shards (text and facets {sum(sizes) / 1e6:.1f} MB)"


def shard_routes(head: bytes) -> list[str] | None:
    """The routes of the shards a head lists, in ``encode_index``'s order (None if ``head``
    is not a version 2 head)."""
    try:
        index = json.loads(head)
        if index["version"] != INDEX_VERSION:
            return None
        if "inline" in index:
            return []
        names = [f"text-{n}" for n in range(len(index["text"]["shards"]))]
        for facet in index["facets"]:
            names.append(f"facet-{facet['key']}")
            if facet["encoding"] == "lists":
                names += [f"value-{facet['key']}-{v}" for v in range(len(facet["values"]))]
        names += [f"rows-{n}" for n in range(index["rows"]["shards"])]
    except (ValueError, KeyError, TypeError):
        return None
    return [f"{index['folder']}{name}.json" for name in names]
