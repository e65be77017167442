"""Classes 4 and 5 of issue 17: one word is one value however it was typed, and the board
shows it as its authors spelt it.

Text is normalised to NFC on input (names, places, tags, titles, slugs), so a city typed
on two systems (composed "ü", or "u" and a combining diaeresis) is one facet value whose
label follows the count of *normalised* spellings. Tags are compared without case but
shown as written: the most common spelling on facet pages and in the sidebar, each
posting's own on its page, its card and in its JSON-LD.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen.facets import FacetValue
from site_gen.site import Site
from tests.helpers import json_ld, parse_html, posting_text, run_build_of, site_of

NFD_ZURICH = "Zu\u0308rich"
NFC_ZURICH = "Zürich"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def cities(site: Site) -> list[FacetValue]:
    return [v for v in site.facets.get("location").values if v.parent is not None]


# --- class 4: normal form C -----------------------------------------------------------


def test_a_city_typed_on_two_systems_is_one_value_named_by_the_count_of_spellings() -> None:
    site = site_of(
        {
            "a": posting_text(location=[{"city": NFD_ZURICH, "country": "CH"}]),
            "b": posting_text(location=[{"city": NFC_ZURICH, "country": "CH"}]),
            "c": posting_text(location=[{"city": "Zurich", "country": "CH"}]),
        }
    )
    (city,) = cities(site)
    assert city.label == NFC_ZURICH  # two votes for Zürich (one typed each way), one for Zurich
    assert sorted(city.postings) == ["a", "b", "c"]
    assert city.key == "switzerland/zurich"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("company", {"name": nfd("Société Générale")}),
        ("experience_level", nfd("Débutant")),
        ("tags", [nfd("Café-Software")]),
        ("location", [{"city": nfd("São Paulo"), "country": "BR"}]),
    ],
)
def test_every_free_text_facet_counts_normalised_spellings(field: str, value: object) -> None:
    nfc_value = json.loads(unicodedata.normalize("NFC", json.dumps(value, ensure_ascii=False)))
    site = site_of(
        {
            "a": posting_text(**{field: value}),
            "b": posting_text(**{field: value}),
            "c": posting_text(**{field: nfc_value}),
        }
    )
    facet = {"company": "company", "experience_level": "level", "tags": "tag"}.get(field)
    found = cities(site) if field == "location" else list(site.facets.get(facet or "").values)
    (one,) = found
    assert one.count == 3
    assert unicodedata.is_normalized("NFC", one.label)


WORDS = st.text(
    st.characters(categories=("Lu", "Ll", "Mn", "Nd"), include_characters=" -"),
    min_size=1,
    max_size=20,
).filter(lambda t: t.strip() and unicodedata.normalize("NFC", t).strip())


@settings(max_examples=60, deadline=None)
@given(word=WORDS, form=st.sampled_from(["NFD", "NFKD", "NFKC"]))
def test_any_two_normal_forms_of_a_value_give_one_facet_page(word: str, form: str) -> None:
    other = unicodedata.normalize(form, word)
    if unicodedata.normalize("NFC", other) != unicodedata.normalize("NFC", word):
        other = unicodedata.normalize("NFD", word)  # K forms may change the word itself
    site = site_of(
        {
            "a": posting_text(tags=[word], company={"name": word}),
            "b": posting_text(tags=[other], company={"name": other}),
        }
    )
    for facet in ("tag", "company"):
        (value,) = site.facets.get(facet).values
        assert value.count == 2
        assert value.label == unicodedata.normalize("NFC", word).strip()


def test_titles_names_places_and_slugs_are_shown_in_nfc(tmp_path: Path) -> None:
    text = posting_text(
        title=nfd("Ingénieur Backend"),
        company={"name": nfd("Crème Brûlée AG")},
        location=[{"city": NFD_ZURICH, "region": nfd("Zürich"), "country": "CH"}],
        tags=[nfd("Café")],
        experience_level=nfd("Expérimenté"),
    )
    root = run_build_of(tmp_path, {nfd("ingénieur-zürich"): text})
    output = root / "output"
    assert (output / "jobs" / "ingenieur-zurich" / "index.html").is_file()
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".xml"}:
            data = path.read_text("utf-8")
            assert unicodedata.is_normalized("NFC", data), path
    (ld,) = json_ld(output / "jobs" / "ingenieur-zurich" / "index.html")
    assert ld["title"] == "Ingénieur Backend"
    assert ld["hiringOrganization"]["name"] == "Crème Brûlée AG"
    assert ld["jobLocation"][0]["address"]["addressLocality"] == NFC_ZURICH


def test_a_slug_given_in_nfd_is_the_slug_of_its_nfc_text() -> None:
    site = site_of(
        {"a": posting_text(slug=nfd("Zürich Dev")), "b": posting_text(slug="Zürich Dev 2")}
    )
    assert sorted(p.slug for p in site.published) == ["zurich-dev", "zurich-dev-2"]


# --- class 5: the authors' spelling ---------------------------------------------------


def test_tags_keep_the_authors_spelling_and_the_facet_the_most_common() -> None:
    site = site_of(
        {
            "a": posting_text(tags=["PostgreSQL", "Go"]),
            "b": posting_text(tags=["PostgreSQL"]),
            "c": posting_text(tags=["postgresql"]),
            "d": posting_text(tags=["POSTGRESQL", "go"]),
        }
    )
    tags = {v.key: v for v in site.facets.get("tag").values}
    assert set(tags) == {"postgresql", "go"}
    assert tags["postgresql"].label == "PostgreSQL"
    assert tags["postgresql"].count == 4
    assert {p.slug: p.tags for p in site.published} == {
        "a": ("PostgreSQL", "Go"),
        "b": ("PostgreSQL",),
        "c": ("postgresql",),
        "d": ("POSTGRESQL", "go"),
    }


@pytest.mark.parametrize("order", [("Node.js", "node.js"), ("node.js", "Node.js")])
def test_a_tie_between_spellings_is_broken_the_same_way_in_any_order(
    order: tuple[str, str],
) -> None:
    site = site_of({"a": posting_text(tags=[order[0]]), "b": posting_text(tags=[order[1]])})
    (tag,) = site.facets.get("tag").values
    assert tag.label == "Node.js"  # the smaller of the two in code point order


def test_one_posting_keeps_one_tag_of_spellings_that_differ_in_case() -> None:
    site = site_of({"a": posting_text(tags=["PostgreSQL", "postgresql", " POSTGRESQL ", "Go"])})
    (posting,) = site.published
    assert posting.tags == ("PostgreSQL", "Go")


def test_similar_postings_share_tags_whatever_their_case() -> None:
    site = site_of(
        {
            "a": posting_text(tags=["PostgreSQL"], company={"name": "A"}),
            "b": posting_text(tags=["postgresql"], company={"name": "B"}),
            "c": posting_text(tags=["Rust"], company={"name": "C"}),
        }
    )
    assert site.similar["a"] == ("b",)


def test_pages_facet_titles_and_json_ld_say_what_the_authors_wrote(tmp_path: Path) -> None:
    root = run_build_of(
        tmp_path,
        {
            "a": posting_text(tags=["PostgreSQL", "C++"]),
            "b": posting_text(tags=["PostgreSQL"]),
            "c": posting_text(tags=["postgresql"]),
        },
    )
    output = root / "output"
    (ld,) = json_ld(output / "jobs" / "a" / "index.html")
    assert ld["skills"] == "PostgreSQL, C++"
    (ld_c,) = json_ld(output / "jobs" / "c" / "index.html")
    assert ld_c["skills"] == "postgresql"  # that author's own spelling
    listing = parse_html(output / "tags" / "postgresql" / "index.html")
    assert "Jobs tagged PostgreSQL" in listing.xpath("string(//h1)")
    page_tags = parse_html(output / "jobs" / "c" / "index.html").xpath(
        "//ul[contains(@class, 'tags-linked')]//a/text()"
    )
    assert page_tags == ["PostgreSQL"]  # linked to the facet, which has the common spelling
    index = parse_html(output / "index.html")
    assert "PostgreSQL" in index.xpath("string(//body)")
    search = json.loads((output / "search-index.json").read_text("utf-8"))
    assert "PostgreSQL" in json.dumps(search, ensure_ascii=False)
