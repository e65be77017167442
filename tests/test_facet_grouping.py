"""Grouping postings into facets: salary bands on annual pay per currency, locations and
remote, types, levels, tags and companies."""

from __future__ import annotations

import pytest

from site_gen.config import SiteConfig
from site_gen.facet_grouping import bands
from site_gen.facets import Facets, short_amount
from tests.helpers import pay, posting_text, site_of


def facets_of(files: dict[str, str], config: SiteConfig | None = None) -> Facets:
    return site_of(files, config).facets


def values(facets: Facets, facet: str) -> dict[str, tuple[str, ...]]:
    """key -> posting slugs, for one facet."""
    return {v.key: v.postings for v in facets.get(facet).values}


# --- salary --------------------------------------------------------------------------------


def test_default_bands_and_their_keys():
    facets = facets_of(
        {
            "a": posting_text(salary=pay(30_000, 40_000)),
            "b": posting_text(salary=pay(60_000, 70_000)),
            "c": posting_text(salary=pay(110_000, 120_000)),
            "d": posting_text(salary=pay(160_000, 170_000)),
            "e": posting_text(salary=pay(210_000, 300_000)),
        }
    )
    assert [(v.key, v.label) for v in facets.get("salary").values] == [
        ("usd-under-50k", "USD <50k"),
        ("usd-50k-100k", "USD 50k–100k"),
        ("usd-100k-150k", "USD 100k–150k"),
        ("usd-150k-200k", "USD 150k–200k"),
        ("usd-200k-plus", "USD 200k+"),
    ]
    assert [v.route for v in facets.get("salary").values][1] == "salary/usd-50k-100k/"


@pytest.mark.parametrize(
    ("salary", "band"),
    [
        (pay(50, 50, period="hour"), "usd-100k-150k"),  # 50 × 2080 = 104,000
        (pay(400, 400, period="day"), "usd-100k-150k"),  # 400 × 260 = 104,000
        (pay(1_000, 1_000, period="week"), "usd-50k-100k"),  # 1,000 × 52 = 52,000
        (pay(15_000, 15_000, period="month"), "usd-150k-200k"),  # 15,000 × 12 = 180,000
        ({"value": 45_000, "currency": "USD"}, "usd-under-50k"),
    ],
)
def test_pay_is_annualised_before_banding(salary: dict, band: str):
    assert values(facets_of({"p": posting_text(salary=salary)}), "salary") == {band: ("p",)}


def test_a_posting_is_in_every_band_its_range_overlaps():
    facets = facets_of({"wide": posting_text(salary=pay(90_000, 160_000))})
    assert list(values(facets, "salary")) == ["usd-50k-100k", "usd-100k-150k", "usd-150k-200k"]


def test_a_range_touching_an_edge_is_not_in_the_next_band():
    facets = facets_of(
        {
            "range": posting_text(salary=pay(100_000, 150_000)),
            "point": posting_text(salary={"value": 150_000, "currency": "USD"}),
        }
    )
    assert values(facets, "salary") == {
        "usd-100k-150k": ("range",),
        "usd-150k-200k": ("point",),
    }


def test_currencies_are_never_mixed_in_one_band():
    facets = facets_of(
        {
            "dollars": posting_text(salary=pay(60_000, 70_000, "USD")),
            "euros": posting_text(salary=pay(60_000, 70_000, "EUR")),
        }
    )
    assert values(facets, "salary") == {"eur-50k-100k": ("euros",), "usd-50k-100k": ("dollars",)}


def test_bands_from_the_config_and_per_currency():
    config = SiteConfig(
        salary_bands=(80_000,), salary_bands_by_currency={"jpy": (5_000_000, 10_000_000)}
    )
    facets = facets_of(
        {
            "yen": posting_text(salary=pay(6_000_000, 7_000_000, "JPY")),
            "dollars": posting_text(salary=pay(90_000, 95_000, "USD")),
        },
        config,
    )
    assert {v.key: v.label for v in facets.get("salary").values} == {
        "jpy-5m-10m": "JPY 5M–10M",
        "usd-80k-plus": "USD 80k+",
    }


def test_postings_without_salary_are_counted_as_not_listed():
    facets = facets_of({"paid": posting_text(), "unpaid": posting_text(salary=None)})
    (unlisted,) = [v for v in facets.get("salary").values if v.key == "not-listed"]
    assert (unlisted.label, unlisted.band, unlisted.postings, unlisted.route) == (
        "not-listed",
        None,
        ("unpaid",),
        "salary/not-listed/",
    )


def test_band_helpers():
    assert [b.label for b in bands("EUR", (1_500_000,))] == ["EUR <1.5M", "EUR 1.5M+"]
    assert [b.key for b in bands("EUR", (1_500_000,))] == ["eur-under-1-5m", "eur-1-5m-plus"]
    assert [b.amounts for b in bands("EUR", (1_500_000,))] == [("0", "1.5M"), ("1.5M", None)]
    assert [short_amount(n) for n in (900, 50_000, 2_000_000)] == ["900", "50k", "2M"]


# --- location and remote -----------------------------------------------------------------------


def test_countries_by_full_english_name_with_their_cities():
    facets = facets_of(
        {
            "sf": posting_text(location=[{"city": "San Francisco", "country": "US"}]),
            "ny": posting_text(location=[{"city": "New York", "country": "US"}]),
            "uk": posting_text(location=[{"country": "GB"}]),
        }
    )
    location = facets.get("location")
    assert [(v.key, v.label, v.parent) for v in location.values] == [
        ("united-kingdom", "United Kingdom", None),
        ("united-states", "United States", None),
        ("united-states/new-york", "New York", "united-states"),
        ("united-states/san-francisco", "San Francisco", "united-states"),
    ]
    assert location.find("united-states").postings == ("ny", "sf")  # same day: by slug
    assert location.find("united-states/san-francisco").route == (
        "locations/united-states/san-francisco/"
    )


def test_remote_postings_are_listed_under_each_applicant_country():
    facets = facets_of(
        {
            "anywhere-na": posting_text(
                remote="remote", location=[], applicant_locations=["US", "CA"]
            ),
            "office": posting_text(location=[{"city": "Toronto", "country": "CA"}]),
        }
    )
    location = facets.get("location")
    canada = location.find("canada")
    assert set(canada.postings) == {"anywhere-na", "office"} and canada.remote_count == 1
    assert location.find("united-states").postings == ("anywhere-na",)
    assert location.find("united-states").remote_count == 1
    # the remote posting has no city, so it is in no city's list
    assert location.find("canada/toronto").postings == ("office",)


def test_remote_and_hybrid_entries():
    facets = facets_of(
        {
            "remote": posting_text(remote="remote", location=[], applicant_locations=["DE"]),
            "hybrid": posting_text(remote="hybrid"),
            "onsite": posting_text(),
        }
    )
    assert values(facets, "remote") == {"remote": ("remote",), "hybrid": ("hybrid",)}
    assert [v.route for v in facets.get("remote").values] == ["remote/", "hybrid/"]


def test_spellings_of_one_city_are_one_value_with_a_transliterated_slug():
    facets = facets_of(
        {
            "a": posting_text(location=[{"city": "Zürich", "country": "CH"}]),
            "b": posting_text(location=[{"city": "Zürich", "country": "CH"}]),
            "c": posting_text(location=[{"city": "zurich ", "country": "CH"}]),
            "d": posting_text(location=[{"city": "São Paulo", "country": "BR"}]),
        }
    )
    location = facets.get("location")
    assert location.find("switzerland/zurich").label == "Zürich"
    assert location.find("switzerland/zurich").count == 3
    assert location.find("brazil/sao-paulo").label == "São Paulo"


# --- the other facets -----------------------------------------------------------------------------


def test_types_levels_tags_and_companies():
    facets = facets_of(
        {
            "a": posting_text(
                employment_type=["full-time", "contract"],
                experience_level="senior",
                tags=["python", "c++"],
                company={"name": "Example Corp"},
                date_posted="2026-11-25",
            ),
            "b": posting_text(
                experience_level="Senior",
                tags=["Python", "c#"],
                company={
                    "name": "Example Corp",
                    "url": "https://corp.example",
                    "logo": "/logo.png",
                },
            ),
        }
    )
    assert values(facets, "type") == {"full-time": ("a", "b"), "contract": ("a",)}
    assert [(v.key, v.label) for v in facets.get("level").values] == [("senior", "Senior")]
    assert values(facets, "tag") == {
        "python": ("a", "b"),
        "c-plus-plus": ("a",),
        "c-sharp": ("b",),
    }
    (company,) = facets.get("company").values
    assert (company.key, company.route, company.postings) == (
        "example-corp",
        "companies/example-corp/",
        ("a", "b"),
    )
    assert (company.company.url, company.company.logo) == ("https://corp.example", "/logo.png")


def test_values_keep_postings_newest_first_and_each_posting_knows_its_values():
    facets = facets_of(
        {
            "old": posting_text(tags=["go"], date_posted="2026-10-01"),
            "new": posting_text(tags=["go"], date_posted="2026-11-26"),
        }
    )
    assert facets.get("tag").find("go").postings == ("new", "old")
    assert {(v.facet, v.key) for v in facets.of("new")} == {
        ("location", "germany"),
        ("location", "germany/berlin"),
        ("salary", "eur-50k-100k"),
        ("type", "full-time"),
        ("tag", "go"),
        ("company", "example-corp"),
    }
    assert [v.key for v in facets.of("new", "tag")] == ["go"]


def test_drafts_expired_and_future_postings_are_not_counted():
    facets = facets_of(
        {
            "open": posting_text(tags=["go"]),
            "draft": posting_text(tags=["go"], draft=True),
            "expired": posting_text(tags=["go"], valid_through="2026-11-26"),
            "future": posting_text(tags=["go"], date_posted="2026-12-24"),
        }
    )
    assert values(facets, "tag") == {"go": ("open",)}


def test_types_come_in_their_own_order_and_list_a_posting_once():
    facets = facets_of(
        {
            "a": posting_text(employment_type=["contract", "full-time", "contract"]),
            "b": posting_text(employment_type=["part-time"], date_posted="2026-11-20"),
        }
    )
    assert [(v.key, v.postings) for v in facets.get("type").values] == [
        ("full-time", ("a",)),
        ("part-time", ("b",)),
        ("contract", ("a",)),
    ]
