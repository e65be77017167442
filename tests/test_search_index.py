"""The search index, version 2: its documented shape (head and shards), that it agrees with
the facets and the postings, and that the same site gives the same bytes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from site_gen.config import SiteConfig
from site_gen.search_index import (
    COLUMN_ALPHABET,
    INDEX_VERSION,
    POSTING_FIELDS,
    SHARD_FOLDER,
    SUMMARY_LENGTH,
    TEXT_FIELDS,
    build_index,
    deltas,
    encode_index,
    index_files,
    shard_routes,
    size_summary,
)
from site_gen.search_words import words
from tests.helpers import posting_text, site_of

FILES = {
    "backend": posting_text(
        title="Backend Engineer",
        tags=["python", "go"],
        location=[{"city": "Zürich", "country": "CH"}],
        salary={"min": 120000, "max": 140000, "currency": "CHF"},
        experience_level="senior",
        date_posted="2026-11-20",
    ),
    "designer": posting_text(
        "Long description. " * 40,
        title="Product Designer",
        company={"name": "Ipê Design", "logo": "https://cdn.example.com/ipe.png"},
        remote="remote",
        location=[],
        applicant_locations=["US", "CA"],
        salary={"min": 50.5, "max": 70, "currency": "USD", "period": "hour"},
        date_posted="2026-11-25",
    ),
    "unpaid": posting_text(title="Volunteer", salary=None, date_posted="2026-11-01"),
}


class Index:
    """An index read back as a client would: the head, and its shards by name."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.head = json.loads(files["search-index.json"])
        inline = self.head.get("inline")
        self.shards: dict[str, Any] = inline or {
            route.removeprefix(SHARD_FOLDER).removesuffix(".json"): json.loads(data)
            for route, data in files.items()
            if route.startswith(SHARD_FOLDER)
        }

    def rows(self) -> list[dict[str, Any]]:
        found = []
        for n in range(self.head["rows"]["shards"]):
            for row in self.shards[f"rows-{n}"]:
                found.append(dict(zip(self.head["fields"], row, strict=True)))
        return found

    def members(self, key: str) -> list[list[int]]:
        """Each posting's value positions in one facet, decoded from its shard."""
        shard = self.shards[f"facet-{key}"]
        count = self.head["count"]
        if "column" in shard:
            width = shard["width"]
            codes = [int_of(shard["column"][i * width : (i + 1) * width]) for i in range(count)]
            return [shard["combinations"][c] for c in codes]
        each: list[list[int]] = [[] for _ in range(count)]
        for v, numbers in enumerate(shard["lists"]):
            for i in undelta(numbers):
                each[i].append(v)
        return each

    def word(self, word: str) -> dict[int, str]:
        """posting number -> the field a word was found in (its best)."""
        found = {}
        for n, _ in enumerate(self.head["text"]["shards"]):
            for field, numbers in enumerate(self.shards[f"text-{n}"].get(word, [])):
                for i in undelta(numbers):
                    found[i] = self.head["text"]["fields"][field]
        return found


def int_of(symbols: str) -> int:
    number = 0
    for symbol in symbols:
        number = number * 64 + COLUMN_ALPHABET.index(symbol)
    return number


def undelta(numbers: list[int]) -> list[int]:
    out, at = [], 0
    for delta in numbers:
        at += delta
        out.append(at)
    return out


def read(files: dict[str, str] = FILES, config: SiteConfig | None = None, **kw: int) -> Index:
    made = encode_index(build_index(site_of(files, config)), **kw)
    return Index({f.route: f.data for f in made})


BOTH = pytest.mark.parametrize("single", [300, 0], ids=["one file", "sharded"])


@BOTH
def test_head_shape_and_version(single: int):
    index = read(single_up_to=single)
    head = index.head
    assert head["version"] == INDEX_VERSION == 2
    assert head["base"] == "/"
    assert head["count"] == 3
    assert head["folder"] == SHARD_FOLDER
    assert head["fields"] == list(POSTING_FIELDS)
    assert head["text"]["fields"] == list(TEXT_FIELDS)
    assert [f["key"] for f in head["facets"]] == [
        "location",
        "remote",
        "salary",
        "type",
        "level",
        "tag",
        "company",
    ]
    assert ("inline" in head) == bool(single)
    assert [r["url"] for r in index.rows()] == ["jobs/designer/", "jobs/backend/", "jobs/unpaid/"]
    assert [r["date"] for r in index.rows()] == ["2026-11-25", "2026-11-20", "2026-11-01"]


def test_a_sharded_index_lists_every_file_it_writes_and_nothing_else():
    made = encode_index(build_index(site_of(FILES)), single_up_to=0)
    routes = [f.route for f in made]
    assert routes[0] == "search-index.json"
    assert shard_routes(made[0].data) == routes[1:]
    assert all(r.startswith("search-index/") and r.endswith(".json") for r in routes[1:])
    one = encode_index(build_index(site_of(FILES)))
    assert [f.route for f in one] == ["search-index.json"]
    assert shard_routes(one[0].data) == []
    assert shard_routes(b'{"version": 1}') is None
    assert shard_routes(b"not json") is None


FEATURED = {
    "newest": posting_text(title="Newest", date_posted="2026-11-26"),
    "featured": posting_text(
        title="Featured", date_posted="2026-11-02", featured=True, featured_until="2026-12-31"
    ),
    "middle": posting_text(title="Middle", date_posted="2026-11-20"),
    "ended": posting_text(
        title="Ended", date_posted="2026-11-01", featured=True, featured_until="2026-11-26"
    ),
    "always": posting_text(title="Always", date_posted="2026-10-30", featured=True),
}


@BOTH
def test_featured_postings_are_flagged_and_numbered_by_date_like_the_others(single: int):
    index = read(FEATURED, single_up_to=single)
    assert [r["title"] for r in index.rows()] == ["Newest", "Middle", "Featured", "Ended", "Always"]
    assert undelta(index.head["featured"]) == [2, 4]  # "Ended" is past its featured_until
    assert site_of(FEATURED).published[0].title == "Featured"  # the listings' order differs


def test_no_featured_postings_is_an_empty_list():
    assert read().head["featured"] == []


def test_base_follows_the_base_url_path():
    index = read(config=SiteConfig(base_url="https://example.org/board/"))
    assert index.head["base"] == "/board/"


@BOTH
def test_memberships_point_at_the_right_facet_values(single: int):
    site = site_of(FILES)
    index = read(single_up_to=single)
    for number, posting in enumerate(site.published):
        decoded = {
            (facet["key"], facet["values"][position][0])
            for facet in index.head["facets"]
            for position in index.members(facet["key"])[number]
        }
        assert decoded == {(v.facet, v.key) for v in site.facets.of(posting.slug)}
    # and each row carries the same memberships, for drawing its card
    for row, number in zip(index.rows(), range(3), strict=True):
        for f, facet in enumerate(index.head["facets"]):
            assert sorted(row["facets"][f]) == sorted(index.members(facet["key"])[number])


def test_a_facet_with_many_combinations_is_one_list_a_value(monkeypatch: pytest.MonkeyPatch):
    import site_gen.search_index as module

    monkeypatch.setattr(module, "COLUMN_COMBINATIONS", 1)
    index = read(single_up_to=0)
    tags = next(f for f in index.head["facets"] if f["key"] == "tag")
    assert tags["encoding"] == "lists"
    assert tags["bytes"] == len(json.dumps(index.shards["facet-tag"], separators=(",", ":")))
    python = [v[0] for v in tags["values"]].index("python")
    assert undelta(index.shards[f"value-tag-{python}"]) == [1]  # the backend posting
    assert {tags["values"][v][0] for v in index.members("tag")[1]} == {"python", "go"}


def test_facet_values_carry_counts_and_cities_their_country():
    index = read()
    values = index.head["facets"][0]["values"]
    location = {v[0]: v for v in values}
    positions = [v[0] for v in values]
    assert location["switzerland/zurich"] == [
        "switzerland/zurich",
        "Zürich",
        1,
        positions.index("switzerland"),
    ]
    assert location["united-states"] == ["united-states", "United States", 1]
    remote = index.head["facets"][1]
    assert remote["key"] == "remote" and "title" not in remote
    assert remote["values"] == [["remote", "remote", 1]]  # the page words it


def test_places_salary_summary_and_logo():
    index = read()
    designer, backend, unpaid = index.rows()
    location = index.head["facets"][0]["values"]
    assert [location[p][0] for p in backend["places"]] == ["switzerland/zurich"]
    assert designer["places"] == []  # remote, no office: its countries are only memberships
    assert backend["salary"] == [120000, 140000, "CHF", "year", 120000, 140000]
    assert designer["salary"] == [50.5, 70, "USD", "hour", 105040, 145600]
    assert unpaid["salary"] is None
    assert len(designer["summary"]) <= SUMMARY_LENGTH + 1
    assert designer["summary"].startswith("Long description.")
    assert designer["summary"].endswith("…")
    assert designer["logo"] == "https://cdn.example.com/ipe.png"
    assert backend["logo"] is None


def test_deltas_are_each_number_less_the_one_before():
    assert deltas([3, 5, 9, 10]) == [3, 2, 4, 1]
    assert deltas([0]) == [0]
    assert deltas([]) == []


@BOTH
def test_each_posting_is_listed_under_a_word_for_its_best_field(single: int):
    index = read(single_up_to=single)
    assert index.word("engineer") == {1: "title"}
    assert index.word("zurich") == {1: "facts"}  # its city
    assert index.word("python") == {1: "tags"}
    assert index.word("ipe") == {0: "company"}
    assert index.word("designer") == {0: "title"}
    assert index.word("description") == {0: "description"}  # the whole summary is searched
    assert index.word("remote") == {0: "facts"}


def test_text_shards_cut_the_sorted_words_into_ranges(monkeypatch: pytest.MonkeyPatch):
    import site_gen.search_index as module

    monkeypatch.setattr(module, "TEXT_SHARD_ENTRIES", 2)
    index = read(single_up_to=0)
    shards = index.head["text"]["shards"]
    assert len(shards) > 3
    every = []
    for n, (first, size) in enumerate(shards):
        data = index.shards[f"text-{n}"]
        assert next(iter(data)) == first
        assert size == len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
        every += list(data)
    assert every == sorted(every) and len(every) == len(set(every))
    all_words = {w for p in site_of(FILES).published for w in words(p.title)}
    assert all_words <= set(every)


def test_same_site_same_bytes():
    first = encode_index(build_index(site_of(FILES)), single_up_to=0)
    again = encode_index(build_index(site_of(dict(reversed(FILES.items())))), single_up_to=0)
    assert [(f.route, f.data) for f in first] == [(f.route, f.data) for f in again]
    assert index_files(site_of(FILES))[0].data == encode_index(build_index(site_of(FILES)))[0].data


def test_the_model_holds_the_postings_not_copies_and_one_tuple_for_the_same_values():
    # What each result shows is read from the posting as the files are encoded: a copy of
    # every posting's texts would outweigh the files on a large board.
    site = site_of(FILES)
    index = build_index(site)
    assert {id(entry.posting) for entry in index.postings} == {id(p) for p in site.published}
    seen: dict[tuple[int, ...], tuple[int, ...]] = {}
    for entry in index.postings:
        for values in entry.facets:
            assert seen.setdefault(values, values) is values


def test_compact_no_whitespace_and_no_repeated_names():
    files = {
        f"job-{i}": posting_text(
            company={"name": "Very Long Company Name GmbH"}, tags=["kubernetes"]
        )
        for i in range(5)
    }
    made = encode_index(build_index(site_of(files)), single_up_to=0)
    rows = b"".join(f.data for f in made if "/rows-" in f.route)
    assert b"Very Long Company Name GmbH" not in rows  # rows point at facet values
    assert made[0].data.count(b"Very Long Company Name GmbH") == 1
    for f in made:
        assert b"\n" not in f.data and b'", "' not in f.data and b'": ' not in f.data
    assert "Zürich".encode() in encode_index(build_index(site_of(FILES)))[0].data


def test_size_summary():
    one = encode_index(build_index(site_of(FILES)))[0].data
    assert size_summary(one, 3).startswith(f"search-index.json: {len(one) / 1000:.1f} KB ")
    assert size_summary(one, 3).endswith(", one file")
    sharded = encode_index(build_index(site_of(FILES)), single_up_to=0)
    count = len(sharded) - 1
    assert f"and {count:,} shards" in size_summary(sharded[0].data, 3)
    assert "a posting" not in size_summary(sharded[0].data, 3)  # a head does not grow with them
    assert size_summary(b"{}", 0) == "search-index.json: 0.0 KB, 0.0 KB gzipped"
