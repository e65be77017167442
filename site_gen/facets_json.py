"""Facets as the build cache keeps them: JSON, postings named by their position in the list
they were computed from.

Facets are a pure function of the postings' metadata and the config, so the build cache
keeps them (``site.assemble_site``). Decoding checks every part and returns None for
anything else.
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from site_gen.facets import Band, Facet, Facets, FacetValue, with_postings_index
from site_gen.models import Company, Posting
from site_gen.positions import at_positions


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
