"""Free-text facet values: one value for spellings that differ in case, accents or spacing,
and slugs without clashes that adding a value never changes."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from site_gen.facet_values import assign_slugs, identity


def test_clashing_values_get_distinct_stable_slugs():
    first = assign_slugs({"c": "c", "c.": "C."})
    assert first["c"] == "c"
    assert re.fullmatch(r"c-[0-9a-f]{6}", first["c."])
    # a newcomer never renames the others
    second = assign_slugs({"c": "c", "c.": "C.", "c!": "C!", "go": "go"})
    assert (second["c"], second["c."], second["go"]) == (first["c"], first["c."], "go")
    assert len(set(second.values())) == 4


def test_a_value_without_letters_still_gets_a_slug():
    slugs = assign_slugs({"🚀": "🚀"})
    assert re.fullmatch(r"[0-9a-f]{6}", slugs["🚀"])


def test_identity_ignores_case_accents_and_spacing():
    assert identity("  São   PAULO ") == identity("sao paulo") == "sao paulo"
    assert identity("c++") != identity("c")


LABELS = st.lists(st.text(min_size=1, max_size=12), max_size=25)


@given(LABELS)
def test_slugs_are_unique_lower_case_ascii(labels: list[str]):
    names = {identity(label): label for label in labels}
    slugs = assign_slugs(names)
    assert len(set(slugs.values())) == len(names)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs.values())
