"""Facets: what the published postings are grouped by (location, workplace, salary band,
employment type, experience level, tag and company), as the pages see them: each facet's
values in display order, each value with its postings (newest first), and each posting's
values.

The grouping is ``facet_grouping``'s; free-text values and their slugs, ``facet_values``'s;
the JSON the build cache keeps, ``facets_json``'s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from site_gen.models import Company, Salary
from site_gen.urls import facet_route, value_slug

# Facets, values and listings carry keys; the words people read (a facet's title, "Remote",
# "Full time", "EUR under 50k", "Jobs in Germany") come from the theme's translations
# (``theme.value_label``, ``theme.listing_title``).


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
        return self.holds(salary.annual_low, salary.annual_high)

    def holds(self, low: float, high: float) -> bool:
        """``overlaps`` for an annual range given as its two ends."""
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

    def besides(self, slug: str, facet: str) -> tuple[FacetValue, ...]:
        """The values a posting belongs to, but those of one facet (a posting page links
        its tags apart from its other values): what ``rejectattr`` would give a theme, in
        one step where Jinja's filter takes a few calls a value."""
        return tuple(v for v in self.by_posting.get(slug, ()) if v.facet != facet)

    def values(self) -> Iterator[FacetValue]:
        for facet in self.facets:
            yield from facet.values


def with_postings_index(facets: tuple[Facet, ...]) -> Facets:
    """The facets, with each posting's values (the very ``FacetValue`` objects of the facets)."""
    by_posting: dict[str, list[FacetValue]] = defaultdict(list)
    for facet in facets:
        for value in facet.values:
            for slug in value.postings:
                by_posting[slug].append(value)
    return Facets(facets, MappingProxyType({k: tuple(v) for k, v in by_posting.items()}))


def short_amount(amount: int) -> str:
    """50000 -> "50k", 1500000 -> "1.5M", 900 -> "900"."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if amount >= size:
            return f"{amount / size:g}{suffix}"
    return str(amount)
