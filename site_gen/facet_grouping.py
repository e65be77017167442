"""The published postings grouped into facets: location, workplace, salary band, employment
type, experience level, tag and company.

``compute_facets`` is pure: postings (newest first) and the config in, ``Facets`` out. A
facet value holds the slugs of its postings, in the order they were given, so a value's
listing page is newest first like the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import partial

from site_gen.config import SiteConfig
from site_gen.facet_values import assign_slugs, by_count, by_label, grouped_values
from site_gen.facets import Band, Facet, Facets, FacetValue, with_postings_index
from site_gen.field_types import country_name
from site_gen.models import Company, EmploymentType, Posting

NOT_LISTED = "not-listed"  # the salary value of postings without pay


REMOTE_MODES = ("remote", "hybrid")  # the workplace values with a page of their own


def compute_facets(postings: tuple[Posting, ...], config: SiteConfig) -> Facets:
    """Group the published postings (newest first) into facets."""
    facets = (
        location_facet(postings),
        remote_facet(postings),
        salary_facet(postings, config),
        type_facet(postings),
        level_facet(postings),
        tag_facet(postings),
        company_facet(postings),
    )
    return with_postings_index(facets)


def applicant_countries(posting: Posting) -> tuple[str, ...]:
    """Countries a posting is listed under: where it is, and for remote ones, who may apply."""
    codes = [place.country for place in posting.location]
    if posting.remote == "remote":
        codes.extend(posting.applicant_locations)
    return tuple(dict.fromkeys(codes))


def _cities_in(code: str, posting: Posting) -> list[str]:
    return [place.city for place in posting.location if place.country == code and place.city]


def location_facet(postings: tuple[Posting, ...]) -> Facet:
    """Countries (alphabetical), each followed by its cities (alphabetical)."""
    country_members: dict[str, list[Posting]] = defaultdict(list)
    for posting in postings:
        for code in applicant_countries(posting):
            country_members[code].append(posting)
    names = {code: country_name(code) for code in country_members}
    country_slugs = assign_slugs({code.lower(): name for code, name in names.items()})
    values: list[FacetValue] = []
    for code in sorted(country_members, key=lambda c: (names[c].casefold(), c)):
        members = country_members[code]
        key = country_slugs[code.lower()]
        values.append(
            FacetValue(
                "location",
                key,
                names[code],
                tuple(p.slug for p in members),
                remote_count=sum(p.remote == "remote" for p in members),
                country=code,
            )
        )
        cities = grouped_values(
            "location",
            members,
            partial(_cities_in, code),
        )
        values.extend(
            FacetValue("location", f"{key}/{city.key}", city.label, city.postings, parent=key)
            for city in by_label(cities)
        )
    return Facet("location", tuple(values))


def remote_facet(postings: tuple[Posting, ...]) -> Facet:
    values = [
        FacetValue("remote", mode, mode, tuple(p.slug for p in postings if p.remote == mode))
        for mode in REMOTE_MODES
    ]
    return Facet("remote", tuple(v for v in values if v.postings))


def bands(currency: str, edges: tuple[int, ...]) -> tuple[Band, ...]:
    """The bands between a currency's edges: under the first, between each, over the last."""
    lows = (0, *edges)
    highs: tuple[int | None, ...] = (*edges, None)
    return tuple(Band(currency, low, high) for low, high in zip(lows, highs, strict=True))


def salary_facet(postings: tuple[Posting, ...], config: SiteConfig) -> Facet:
    """Bands per currency (currencies alphabetical, bands ascending), then "not listed"."""
    paid_in: dict[str, list[tuple[str, float, float]]] = {}
    for p in postings:  # each range worked out once, not once a band or a currency
        if p.salary:
            paid_in.setdefault(p.salary.currency, []).append(
                (p.slug, p.salary.annual_low, p.salary.annual_high)
            )
    values: list[FacetValue] = []
    for currency, paid in sorted(paid_in.items()):
        for band in bands(currency, config.bands_for(currency)):
            members = tuple(slug for slug, low, high in paid if band.holds(low, high))
            if members:
                values.append(FacetValue("salary", band.key, band.label, members, band=band))
    unlisted = tuple(p.slug for p in postings if p.salary is None)
    if unlisted:
        values.append(FacetValue("salary", NOT_LISTED, NOT_LISTED, unlisted))
    return Facet("salary", tuple(values))


def type_facet(postings: tuple[Posting, ...]) -> Facet:
    members: dict[EmploymentType, list[str]] = {kind: [] for kind in EmploymentType}
    for posting in postings:  # one pass, not one a kind
        for kind in dict.fromkeys(posting.employment_type):
            members[kind].append(posting.slug)
    return Facet(
        "type",
        tuple(FacetValue("type", k.value, k.value, tuple(m)) for k, m in members.items() if m),
    )


def level_facet(postings: tuple[Posting, ...]) -> Facet:
    values = grouped_values(
        "level", postings, lambda p: [p.experience_level] if p.experience_level else []
    )
    return Facet("level", by_count(_capitalised(values)))


def _capitalised(values: Iterable[FacetValue]) -> list[FacetValue]:
    """Levels are free text, often lower case; the sidebar shows "Senior", not "senior"."""
    return [
        FacetValue(v.facet, v.key, v.label[:1].upper() + v.label[1:], v.postings) for v in values
    ]


def tag_facet(postings: tuple[Posting, ...]) -> Facet:
    values = grouped_values("tag", postings, lambda p: p.tags)
    return Facet("tag", by_count(values))


def company_facet(postings: tuple[Posting, ...]) -> Facet:
    """Companies, alphabetical; the link and logo come from the newest posting giving them."""
    values = grouped_values("company", postings, lambda p: [p.company.name])
    by_slug = {p.slug: p for p in postings}
    return Facet(
        "company",
        by_label(
            FacetValue(
                v.facet,
                v.key,
                v.label,
                v.postings,
                company=_company_details(v.label, [by_slug[s].company for s in v.postings]),
            )
            for v in values
        ),
    )


def _company_details(name: str, companies: list[Company]) -> Company:
    url = next((c.url for c in companies if c.url), None)
    logo = next((c.logo for c in companies if c.logo), None)
    return Company(name=name, url=url, logo=logo)
