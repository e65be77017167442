"""Similar postings: shared company and tags, closest first, newest on ties."""

import json

import pytest

from site_gen.similar import (
    SIMILAR_COUNT,
    decode_similar,
    encode_similar,
    encoded_rows,
    matching,
    similar_postings,
)
from tests.helpers import posting_text, site_of


def job(company: str, tags: list[str], day: int) -> str:
    return posting_text(company={"name": company}, tags=tags, date_posted=f"2026-11-{day:02d}")


def closed_job(company: str, tags: list[str]) -> str:
    return posting_text(
        company={"name": company},
        tags=tags,
        date_posted="2026-10-01",
        valid_through="2026-10-31",
    )


BOARD = {
    "me": job("Acme", ["python", "aws"], 10),
    "same-company": job("acme", ["rust"], 5),
    "two-tags": job("Other", ["python", "aws"], 6),
    "one-tag-old": job("Other", ["python"], 7),
    "one-tag-new": job("Other", ["aws"], 8),
    "nothing": job("Other", ["php"], 20),
}


def test_company_counts_more_than_one_tag_and_ties_go_to_the_newer():
    site = site_of(BOARD)
    me = next(p for p in site.published if p.slug == "me")
    assert [p.slug for p in site.similar_to(me)] == ["same-company", "two-tags", "one-tag-new"]
    assert len(site.similar_to(me)) == SIMILAR_COUNT


def test_a_posting_sharing_nothing_has_no_similar_postings():
    site = site_of({"a": job("A", ["x"], 1), "b": job("B", ["y"], 2)})
    assert [site.similar_to(p) for p in site.published] == [(), ()]


def test_closed_postings_suggest_only_open_ones():
    site = site_of(
        {
            "open": job("Acme", ["go"], 20),
            "closed": closed_job("Acme", ["go"]),
        }
    )
    (closed,) = site.expired
    (open_posting,) = site.published
    assert site.similar_to(closed) == (open_posting,)
    assert site.similar_to(open_posting) == ()


def test_the_rows_made_from_the_matching_alone_are_the_encoded_map():
    site = site_of({**BOARD, "lone": job("Lone", ["cobol"], 9), "closed": closed_job("Acme", [])})
    published, others = site.published, site.expired
    found = matching(published, others)
    assert len(found.keys_of) == len(published) + len(others) == 8
    expected = encode_similar(similar_postings(published, others), published, others)
    assert encoded_rows(found) == expected
    rows = json.loads(expected)
    assert [] in rows and any(rows)  # some postings match others, some none


def test_new_means_posted_in_the_last_seven_days():
    site = site_of({"fresh": job("A", [], 21), "old": job("A", [], 20)})  # the clock: Nov 27
    assert {p.slug: site.is_new(p) for p in site.published} == {"fresh": True, "old": False}


def test_the_map_decodes_to_exactly_what_was_encoded():
    site = site_of(
        {
            "a": job("Acme", ["go", "aws"], 20),
            "b": job("Acme", ["go"], 19),
            "c": job("Other", ["aws"], 18),
            "closed": posting_text(
                company={"name": "Acme"}, date_posted="2026-10-01", valid_through="2026-10-31"
            ),
        }
    )
    data = encode_similar(site.similar, site.published, site.expired)
    assert decode_similar(data, site.published, site.expired) == site.similar
    assert decode_similar(data, site.published) is None  # not the map of these postings


@pytest.mark.parametrize(
    "data", [b"not json", b"\xff", b"{}", b"[[0], [0]]", b"[[1], [5], []]", b"[[1], [false], []]"]
)
def test_a_damaged_or_foreign_map_is_refused(data):
    site = site_of({name: job("Acme", ["go"], day) for name, day in (("a", 1), ("b", 2), ("c", 3))})
    assert decode_similar(data, site.published) is None


def test_among_many_equal_candidates_the_newest_win():
    site = site_of(
        {f"p{day}": job(f"C{day}", ["go", "aws"][: 1 + day % 2], day) for day in range(1, 9)}
    )
    me = next(p for p in site.published if p.slug == "p1")  # tags: go, aws
    # p8, p6, p4, p2 share one tag ("go"), p7, p5, p3 share both: the best three score 2.
    assert [p.slug for p in site.similar_to(me)] == ["p7", "p5", "p3"]
    two = next(p for p in site.published if p.slug == "p2")  # tag: go, shared by all
    assert [p.slug for p in site.similar_to(two)] == ["p8", "p7", "p6"]


def plainly_similar(published, matched, per_key):
    """The rule as the module's docstring states it, scored pair by pair: a shared company
    counts 3, each shared tag 1, only the newest ``per_key`` postings of a key are
    candidates, ties go to the newer posting."""

    def keys(posting):
        return {f"company:{posting.company.name.casefold()}": 3} | {
            f"tag:{tag.casefold()}": 1 for tag in posting.tags
        }

    newest: dict[str, list[str]] = {}
    for posting in published:
        for key in keys(posting):
            newest.setdefault(key, [])
            if len(newest[key]) < per_key:
                newest[key].append(posting.slug)
    result = {}
    for posting in matched:
        scored = []
        for position, other in enumerate(published):
            shared = keys(posting).items() & keys(other).items()
            score = sum(weight for key, weight in shared if other.slug in newest[key])
            if score and other.slug != posting.slug:
                scored.append((-score, position, other.slug))
        result[posting.slug] = tuple(slug for _, _, slug in sorted(scored)[:SIMILAR_COUNT])
    return result


@pytest.mark.parametrize("per_key", [2, 100])
def test_the_map_is_the_rule_applied_pair_by_pair(monkeypatch, per_key):
    monkeypatch.setattr("site_gen.similar.PER_KEY", per_key)
    tags = ["go", "Go", "aws", "rust", "sql", "k8s"]
    files = {
        f"p{n}": job(
            ["Acme", "acme", "Beta", "Gamma"][n % 4], tags[n % 3 : n % 3 + n % 4], n % 28 + 1
        )
        for n in range(40)
    }
    files["closed"] = posting_text(
        company={"name": "Beta"}, tags=["sql"], date_posted="2026-10-01", valid_through="2026-10-31"
    )
    site = site_of(files)
    expected = plainly_similar(site.published, (*site.published, *site.expired), per_key)
    assert dict(site.similar) == expected
    assert any(len(row) == SIMILAR_COUNT for row in expected.values())
