"""The facet model: a salary band holds the pay ranges that share pay with it."""

from __future__ import annotations

from site_gen.facets import Band, Facet, FacetValue, with_postings_index
from site_gen.models import Salary


def test_band_overlap_rules():
    band = Band("USD", 100_000, 150_000)
    assert band.overlaps(Salary(min=50_000, max=100_001, currency="USD"))
    assert not band.overlaps(Salary(min=50_000, max=100_000, currency="USD"))
    assert band.overlaps(Salary(value=100_000, currency="USD"))
    assert not band.overlaps(Salary(value=150_000, currency="USD"))
    assert Band("USD", 200_000, None).overlaps(Salary(value=10_000_000, currency="USD"))


def test_a_postings_values_besides_one_facet_are_what_rejectattr_leaves():
    tag = FacetValue("tag", "python", "Python", ("a", "b"))
    remote = FacetValue("remote", "remote", "remote", ("a",))
    city = FacetValue("location", "de/berlin", "Berlin", ("a", "b"))
    facets = with_postings_index(
        (Facet("location", (city,)), Facet("tag", (tag,)), Facet("remote", (remote,)))
    )
    assert facets.besides("a", "tag") == (city, remote)
    assert facets.besides("b", "tag") == (city,)
    assert facets.besides("nobody", "tag") == ()
