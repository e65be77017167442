"""Facet values from free text (cities, levels, tags, companies): spellings that differ only
in case, accents or spacing ("Zurich", "Zürich") are one value, shown with its most common
spelling, and every value gets a slug of its own that adding another value never changes.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache, partial

from site_gen.facets import FacetValue
from site_gen.models import Posting
from site_gen.text import nfc
from site_gen.urls import value_slug


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
