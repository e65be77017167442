"""Facets: the published postings grouped by location, workplace, salary band, employment
type, experience level, tag and company.

``compute_facets`` is pure: postings (newest first) and the config in, ``Facets`` out. A
facet value holds the slugs of its postings, in the order they were given, so a value's
listing page is newest first like the index.

Values that differ only in case, accents or spacing ("Zurich", "Zürich") are one value,
shown with its most common spelling. Every value gets a lower-case ASCII slug ("São Paulo"
-> ``sao-paulo``); when two different values would share one ("c" and "C.", say), the one
whose name *is* the slug keeps it and the others get a short, stable suffix computed from
their own name, so no two values ever share a page.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from types import MappingProxyType

from pydantic import ValidationError

from site_gen.cache import at_positions
from site_gen.config import SiteConfig
from site_gen.models import Company, EmploymentType, Posting, Salary, country_name
from site_gen.text import nfc
from site_gen.urls import facet_route, value_slug

# Facets, values and listings carry keys; the words people read (a facet's title, "Remote",
# "Full time", "EUR under 50k", "Jobs in Germany") come from the theme's translations
# (``theme.value_label``, ``theme.listing_title``).

NOT_LISTED = "not-listed"  # the salary value of postings without pay
REMOTE_MODES = ("remote", "hybrid")  # the workplace values with a page of their own


@dataclass(frozen=True)
class Band:
    """A salary band of annual pay in one currency: ``low <= pay < high``."""

    currency: str
    low: int  # 0 for the lowest band
    high: int | None  # None for the highest band

    @property
    def key(self) -> str:
        """The band's slug: ``usd-under-50k``, ``usd-50k-100k``, ``usd-200k-plus`` (made from
        English words once, and kept: they are the pages' URLs)."""
        if self.low == 0 and self.high is not None:
            return value_slug(f"{self.currency} under {short_amount(self.high)}")
        if self.high is None:
            return value_slug(f"{self.currency} {short_amount(self.low)}+")
        return value_slug(f"{self.currency} {short_amount(self.low)}–{short_amount(self.high)}")

    @property
    def amounts(self) -> tuple[str, str | None]:
        """The bounds as shown, e.g. ("50k", "100k"); the top band has no upper one."""
        return short_amount(self.low), None if self.high is None else short_amount(self.high)

    @property
    def label(self) -> str:
        """Words aside: "USD <50k", "USD 50k–100k", "USD 200k+" (themes word it)."""
        if self.low == 0 and self.high is not None:
            return f"{self.currency} <{short_amount(self.high)}"
        if self.high is None:
            return f"{self.currency} {short_amount(self.low)}+"
        return f"{self.currency} {short_amount(self.low)}–{short_amount(self.high)}"

    def overlaps(self, salary: Salary) -> bool:
        """Does the posting's annual range share pay with this band?

        A range that only touches the band's edge is not in it (100k–150k is not in
        150k–200k); a single amount is in the band that contains it.
        """
        low, high = salary.annual_low, salary.annual_high
        below_top = self.high is None or low < self.high
        if low == high:
            return self.low <= low and below_top
        return below_top and high > self.low


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet (a country, a tag, a salary band...) and its postings."""

    facet: str  # the facet's key, e.g. "tag"
    key: str  # unique within the facet, e.g. "python" or "united-states/san-francisco"
    # As the postings write it ("Python", "San Francisco", "Example Corp"); for the values a
    # theme words (workplace and type: their key; salary bands; countries) a fallback.
    label: str
    postings: tuple[str, ...]  # posting slugs, newest first
    parent: str | None = None  # a city's country key
    remote_count: int = 0  # locations: how many of the postings are remote
    company: Company | None = None  # companies: name, link and logo
    country: str | None = None  # countries: the ISO 3166 code, e.g. "DE"
    band: Band | None = None  # salary bands: currency and bounds

    @property
    def route(self) -> str:
        return facet_route(self.facet, self.key)

    @property
    def count(self) -> int:
        return len(self.postings)


@dataclass(frozen=True)
class Facet:
    key: str  # e.g. "location"; the theme's translations title it (facet.location)
    values: tuple[FacetValue, ...]  # in display order

    @property
    def top(self) -> tuple[FacetValue, ...]:
        """The values without a parent (all of them, except the cities of a country)."""
        return tuple(v for v in self.values if v.parent is None)

    def children_of(self, key: str) -> tuple[FacetValue, ...]:
        return tuple(v for v in self.values if v.parent == key)

    def find(self, key: str) -> FacetValue | None:
        return next((v for v in self.values if v.key == key), None)


@dataclass(frozen=True)
class Facets:
    """Every facet, plus each posting's values (for the links on its page)."""

    facets: tuple[Facet, ...]
    by_posting: Mapping[str, tuple[FacetValue, ...]]  # posting slug -> its values

    def __iter__(self) -> Iterator[Facet]:
        return iter(self.facets)

    def get(self, key: str) -> Facet:
        for facet in self.facets:
            if facet.key == key:
                return facet
        raise KeyError(key)

    def of(self, slug: str, facet: str | None = None) -> tuple[FacetValue, ...]:
        """The values a posting belongs to, optionally of one facet only."""
        values = self.by_posting.get(slug, ())
        return values if facet is None else tuple(v for v in values if v.facet == facet)

    def values(self) -> Iterator[FacetValue]:
        for facet in self.facets:
            yield from facet.values


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


def with_postings_index(facets: tuple[Facet, ...]) -> Facets:
    """The facets, with each posting's values (the very ``FacetValue`` objects of the facets)."""
    by_posting: dict[str, list[FacetValue]] = defaultdict(list)
    for facet in facets:
        for value in facet.values:
            for slug in value.postings:
                by_posting[slug].append(value)
    return Facets(facets, MappingProxyType({k: tuple(v) for k, v in by_posting.items()}))


# --- kept in the build cache ----------------------------------------------------------------
# Facets are a pure function of the postings' metadata and the config, so the build cache
# keeps them (``site.assemble_site``) as JSON, postings named by their position in the list
# they were computed from. Decoding checks every part and returns None for anything else.


def encode_facets(facets: Facets, postings: tuple[Posting, ...]) -> bytes:
    """``facets`` of ``postings`` as JSON."""
    position = {p.slug: i for i, p in enumerate(postings)}
    data = [
        [
            facet.key,
            [
                [
                    v.facet,
                    v.key,
                    v.label,
                    [position[slug] for slug in v.postings],
                    v.parent,
                    v.remote_count,
                    v.company.model_dump(mode="json") if v.company else None,
                    v.country,
                    [v.band.currency, v.band.low, v.band.high] if v.band else None,
                ]
                for v in facet.values
            ],
        ]
        for facet in facets.facets
    ]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_facets(data: bytes, postings: tuple[Posting, ...]) -> Facets | None:
    """What ``encode_facets`` made of facets of these ``postings``; None if not that."""
    slugs = [p.slug for p in postings]
    try:
        facets = tuple(
            Facet(_text(key), tuple(_decode_value(v, slugs) for v in values))
            for key, values in json.loads(data)
        )
    except (ValueError, TypeError, IndexError, ValidationError):
        return None  # ValueError covers bad JSON, bad UTF-8 and wrong shapes
    return with_postings_index(facets)


def _decode_value(row: list[object], slugs: list[str]) -> FacetValue:
    facet, key, label, positions, parent, remote_count, company, country, band = row
    if type(remote_count) is not int:
        raise TypeError("not a facet value")
    return FacetValue(
        _text(facet),
        _text(key),
        _text(label),
        at_positions(slugs, positions),
        None if parent is None else _text(parent),
        remote_count,
        None if company is None else Company.model_validate(company),
        None if country is None else _text(country),
        None if band is None else _decode_band(band),
    )


def _decode_band(row: object) -> Band:
    if not isinstance(row, list):
        raise TypeError("not a salary band")
    currency, low, high = row
    if type(low) is not int or not (high is None or type(high) is int):
        raise TypeError("not a salary band")
    return Band(_text(currency), low, high)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


# --- identity and slugs -------------------------------------------------------------------


@lru_cache(maxsize=65536)  # the same few thousand labels recur across every posting
def identity(label: str) -> str:
    """What makes two spellings one value: case, accents and spacing do not count."""
    decomposed = unicodedata.normalize("NFKD", label)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def assign_slugs(names: Mapping[str, str]) -> dict[str, str]:
    """Slugs for values given as identity -> label, unique among them.

    On a clash the value whose identity reads exactly like the slug keeps the plain slug;
    the others get ``-`` and six hex digits of their identity's hash, which depend on
    nothing else, so adding a value never renames an unrelated one.
    """
    wanted: dict[str, list[str]] = defaultdict(list)
    for ident, label in names.items():
        wanted[value_slug(label)].append(ident)
    slugs: dict[str, str] = {}
    taken = set(wanted) - {""}
    for slug, idents in sorted(wanted.items()):
        ordered = sorted(idents, key=partial(_slug_owner_first, slug))
        for position, ident in enumerate(ordered):
            if slug and position == 0:
                slugs[ident] = slug
                continue
            slugs[ident] = _suffixed(slug, ident, taken)
            taken.add(slugs[ident])
    return slugs


def _suffixed(slug: str, ident: str, taken: set[str]) -> str:
    digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()
    for length in range(6, len(digest) + 1):
        candidate = f"{slug}-{digest[:length]}" if slug else digest[:length]
        if candidate not in taken:
            return candidate
    raise AssertionError("sha256 collision")  # pragma: no cover


def _slug_owner_first(slug: str, ident: str) -> tuple[bool, str]:
    """Sort key: the ident that spells ``slug`` itself keeps it; the others get suffixes."""
    return ident.replace(" ", "-") != slug, ident


def grouped_values(
    facet: str,
    postings: Iterable[Posting],
    labels_of: Callable[[Posting], Iterable[str]],
) -> list[FacetValue]:
    """Values from free-text labels: merged by identity, slugged, most common spelling shown.

    Spellings are counted in Unicode normal form C: "Zürich" typed on two systems (composed,
    or "u" and a combining diaeresis) is one spelling with two votes, not two with one."""
    members: dict[str, list[str]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for posting in postings:
        for ident, label in {identity(label): nfc(label) for label in labels_of(posting)}.items():
            members[ident].append(posting.slug)
            spellings[ident][label] += 1
    shown = {ident: _most_common(counts) for ident, counts in spellings.items()}
    slugs = assign_slugs(shown)
    return [
        FacetValue(facet, slugs[ident], shown[ident], tuple(members[ident])) for ident in members
    ]


def _most_common(counts: Counter[str]) -> str:
    return min(counts, key=lambda label: (-counts[label], label))


def by_count(values: Iterable[FacetValue]) -> tuple[FacetValue, ...]:
    return tuple(sorted(values, key=lambda v: (-v.count, v.label.casefold(), v.key)))


def by_label(values: Iterable[FacetValue]) -> tuple[FacetValue, ...]:
    return tuple(sorted(values, key=lambda v: (v.label.casefold(), v.key)))


# --- the facets -----------------------------------------------------------------------------


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


def short_amount(amount: int) -> str:
    """50000 -> "50k", 1500000 -> "1.5M", 900 -> "900"."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if amount >= size:
            return f"{amount / size:g}{suffix}"
    return str(amount)


def salary_facet(postings: tuple[Posting, ...], config: SiteConfig) -> Facet:
    """Bands per currency (currencies alphabetical, bands ascending), then "not listed"."""
    currencies = sorted({p.salary.currency for p in postings if p.salary})
    values: list[FacetValue] = []
    for currency in currencies:
        paid = [p for p in postings if p.salary and p.salary.currency == currency]
        for band in bands(currency, config.bands_for(currency)):
            members = tuple(p.slug for p in paid if p.salary and band.overlaps(p.salary))
            if members:
                values.append(FacetValue("salary", band.key, band.label, members, band=band))
    unlisted = tuple(p.slug for p in postings if p.salary is None)
    if unlisted:
        values.append(FacetValue("salary", NOT_LISTED, NOT_LISTED, unlisted))
    return Facet("salary", tuple(values))


def type_facet(postings: tuple[Posting, ...]) -> Facet:
    values = (
        FacetValue(
            "type",
            kind.value,
            kind.value,
            tuple(p.slug for p in postings if kind in p.employment_type),
        )
        for kind in EmploymentType
    )
    return Facet("type", tuple(v for v in values if v.postings))


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
