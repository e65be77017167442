"""The search index: its documented shape, that it agrees with the facets, and that it is compact."""

from __future__ import annotations

import json

from site_gen.config import SiteConfig
from site_gen.search_index import (
    INDEX_VERSION,
    POSTING_FIELDS,
    SUMMARY_LENGTH,
    build_index,
    encode_index,
    size_summary,
)
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
        remote="remote",
        location=[],
        applicant_locations=["US", "CA"],
        salary={"min": 50.5, "max": 70, "currency": "USD", "period": "hour"},
        date_posted="2026-11-25",
    ),
    "unpaid": posting_text(title="Volunteer", salary=None, date_posted="2026-11-01"),
}


def index_json(files: dict[str, str] = FILES, config: SiteConfig | None = None) -> dict:
    return json.loads(encode_index(build_index(site_of(files, config))))


def rows(index: dict) -> list[dict]:
    """Postings as dicts, using the field names the index lists."""
    return [dict(zip(index["fields"], row, strict=True)) for row in index["postings"]]


def test_shape_and_version():
    index = index_json()
    assert index["version"] == INDEX_VERSION == 1
    assert index["base"] == "/"
    assert index["fields"] == list(POSTING_FIELDS)
    assert [f["key"] for f in index["facets"]] == [
        "location",
        "remote",
        "salary",
        "type",
        "level",
        "tag",
        "company",
    ]
    assert [r["url"] for r in rows(index)] == ["jobs/designer/", "jobs/backend/", "jobs/unpaid/"]
    assert [r["date"] for r in rows(index)] == ["2026-11-25", "2026-11-20", "2026-11-01"]


def test_base_follows_the_base_url_path():
    index = index_json(config=SiteConfig(base_url="https://example.org/board/"))
    assert index["base"] == "/board/"


def test_memberships_point_at_the_right_facet_values():
    site = site_of(FILES)
    index = json.loads(encode_index(build_index(site)))
    for posting, row in zip(site.published, rows(index), strict=True):
        decoded = {
            (facet["key"], facet["values"][position][0])
            for facet, positions in zip(index["facets"], row["facets"], strict=True)
            for position in positions
        }
        assert decoded == {(v.facet, v.key) for v in site.facets.of(posting.slug)}


def test_facet_values_carry_counts_and_cities_their_country():
    index = index_json()
    location = {v[0]: v for v in index["facets"][0]["values"]}
    positions = [v[0] for v in index["facets"][0]["values"]]
    assert location["switzerland/zurich"] == [
        "switzerland/zurich",
        "Zürich",
        1,
        positions.index("switzerland"),
    ]
    assert location["united-states"] == ["united-states", "United States", 1]
    remote = index["facets"][1]
    assert remote == {"key": "remote", "values": [["remote", "remote", 1]]}  # the page words it


def test_places_salary_and_summary():
    index = index_json()
    designer, backend, unpaid = rows(index)
    location = index["facets"][0]["values"]
    assert [location[p][0] for p in backend["places"]] == ["switzerland/zurich"]
    assert designer["places"] == []  # remote, no office: its countries are only memberships
    assert backend["salary"] == [120000, 140000, "CHF", "year", 120000, 140000]
    assert designer["salary"] == [50.5, 70, "USD", "hour", 105040, 145600]
    assert unpaid["salary"] is None
    assert len(designer["summary"]) <= SUMMARY_LENGTH + 1
    assert designer["summary"].startswith("Long description.")
    assert designer["summary"].endswith("…")


def test_compact_no_whitespace_and_no_repeated_names():
    files = {
        f"job-{i}": posting_text(
            company={"name": "Very Long Company Name GmbH"}, tags=["kubernetes"]
        )
        for i in range(5)
    }
    data = encode_index(build_index(site_of(files)))
    assert data.count(b"Very Long Company Name GmbH") == 1
    assert data.count(b'"kubernetes"') == 2  # the value's key and label, not once a posting
    assert b"\n" not in data and b'", "' not in data and b'": ' not in data
    assert "Zürich".encode() in encode_index(build_index(site_of(FILES)))  # not \u escaped


def test_size_summary():
    assert size_summary(b"x" * 2500, 2) == (
        "search-index.json: 2.5 KB (1.25 KB a posting), 0.0 KB gzipped"
    )
    assert size_summary(b"{}", 0).startswith("search-index.json: 0.0 KB (0.00 KB a posting)")
