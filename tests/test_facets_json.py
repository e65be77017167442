"""Facets as the build cache keeps them: decoded to exactly what was encoded, and anything
else refused."""

from __future__ import annotations

import pytest

from site_gen.facets_json import decode_facets, encode_facets
from tests.helpers import pay, posting_text, site_of

VARIED = {
    "a": posting_text(tags=["python", "aws"], company={"name": "Acme", "logo": "/logo.png"}),
    "b": posting_text(
        tags=["Python"],
        remote="remote",
        location=[],
        applicant_locations=["US"],
        salary=pay(40, 60, period="hour"),
        date_posted="2026-11-21",
    ),
    "c": posting_text(
        location=[{"city": "Zürich", "country": "CH"}, {"city": "Zurich", "country": "CH"}],
        salary=None,
        experience_level="senior",
        employment_type=["part-time", "contract"],
    ),
}


def test_facets_decode_to_exactly_what_was_encoded():
    site = site_of(VARIED)
    data = encode_facets(site.facets, site.published)
    decoded = decode_facets(data, site.published)
    assert decoded == site.facets
    # A posting's values are the facets' own objects, as computed ones are (pages key on them).
    assert all(
        any(v is w for w in decoded.values()) for vs in decoded.by_posting.values() for v in vs
    )


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: b"not json",
        lambda d: b"\xff\xfe",
        lambda d: d[: len(d) // 2],
        lambda d: b'{"facets": []}',
        lambda d: b'[["tag", "Tag", [["tag", "python", "Python", [0, 99], null, 0, null]]]]',
        lambda d: b'[["tag", "Tag", [["tag", "python", "Python", [true], null, 0, null]]]]',
        lambda d: b'[["tag", "Tag", [["tag", "python", "Python", [-1], null, 0, null]]]]',
        lambda d: b'[["tag", "Tag", [["tag", 7, "Python", [0], null, 0, null]]]]',
        lambda d: b'[["tag", "Tag", [["tag", "python", "Python", [0], null, 0]]]]',
        lambda d: b'[["company", "Company", [["company", "a", "A", [0], null, 0, {"x": 1}]]]]',
    ],
)
def test_damaged_or_foreign_facets_are_refused(damage):
    site = site_of(VARIED)
    assert decode_facets(damage(encode_facets(site.facets, site.published)), site.published) is None
