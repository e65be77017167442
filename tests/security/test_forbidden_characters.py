"""Classes 2 and 3 of issue 17: one rule for the characters no page may carry, in every
field and every description; and every problem of a file reported in one run.

C0 controls (but tab and line breaks), DEL, C1 controls (U+0080–U+009F), the Unicode
non-characters and lone surrogates are refused in frontmatter values, whether written as
they are or as a YAML escape, with a one-line error naming the file, the line and the field;
in a description they are dropped, also when a character reference (``&#x85;``) spells them.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from site_gen.content import NOT_YAML_PRINTABLE, parse_text
from site_gen.markup import ENGINES, render_markdown
from site_gen.models import Frontmatter, Page
from site_gen.text import FORBIDDEN_CHARS, char_name, escaped
from site_gen.validate import validate_page, validate_posting
from tests.helpers import BASE_FIELDS
from tests.security.corpus import posting

PATH = "content/jobs/job.md"
# One of each kind, at the edges of each range.
FORBIDDEN = [
    "\x01",
    "\x08",
    "\x0b",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x80",
    "\x85",
    "\x9b",
    "\x9f",
    "\ufdd0",
    "\ufdef",
    "\ufffe",
    "\uffff",
    "\U0001fffe",
    "\U0010ffff",
]
ALLOWED = ["\t", "\xa0", "\u00ad", "\ufdcf", "\ufdf0", "\ufffd", "\U0001fffd", "é", "😀"]


def yaml_escape(char: str) -> str:
    code = ord(char)
    return (
        f"\\x{code:02X}"
        if code < 0x100
        else f"\\u{code:04X}"
        if code < 0x10000
        else f"\\U{code:08X}"
    )


# Where a value goes in a posting (``corpus.posting``: title on line 2, company 3,
# location 6, apply_url 8, added fields from 9), and the field the error names.
FIELDS = {
    "title": (lambda v: {"title": f'"A{v}B"'}, 2, "title"),
    "company": (lambda v: {"company": f'"A{v}B"'}, 3, "company"),
    "company.name": (lambda v: {"company": f'{{name: "A{v}B"}}'}, 3, "company.name"),
    "company.url": (
        lambda v: {"company": f'{{name: A, url: "https://a.example/{v}"}}'},
        3,
        "company.url",
    ),
    "city": (lambda v: {"location": f'[{{city: "A{v}B", country: DE}}]'}, 6, "location.0.city"),
    "street": (
        lambda v: {"location": f'[{{street_address: "A{v}B", country: DE}}]'},
        6,
        "location.0.street_address",
    ),
    "apply_url": (lambda v: {"apply_url": f'"https://a.example/{v}"'}, 8, "apply_url"),
    "tag": (lambda v: {"tags": f'[python, "A{v}B"]'}, 9, "tags.1"),
    "level": (lambda v: {"experience_level": f'"A{v}B"'}, 9, "experience_level"),
    "email": (lambda v: {"apply_email": f'"jobs{v}@example.com"'}, 9, "apply_email"),
    "slug": (lambda v: {"slug": f'"a{v}b"'}, 9, "slug"),
    "key": (lambda v: {f'"x{v}y"': "1"}, 9, None),
}


def problems_of(text: str) -> list[str]:
    result = validate_posting(parse_text(text, PATH, "digest"), "comrak")
    assert isinstance(result, tuple), "the posting was accepted"
    return [str(d) for d in result]


@pytest.mark.parametrize("written", ["raw", "escaped"])
@pytest.mark.parametrize("char", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
@pytest.mark.parametrize("where", FIELDS)
def test_a_forbidden_character_in_any_field_is_an_error_naming_line_and_field(
    where: str, char: str, written: str
) -> None:
    fields, line, field = FIELDS[where]
    value = char if written == "raw" else yaml_escape(char)
    if written == "raw" and char == "\x85":  # YAML reads a raw NEL as a line break
        doc = parse_text(posting(**fields(value)), PATH, "digest")
        assert "\x85" not in repr(doc.fields)
        return
    field = field or f"x{char}y"
    found = problems_of(posting(**fields(value)))
    expected = f"{PATH}:{line}: {field}: contains {char_name(char)}; remove it"
    if written == "raw" and where == "key" and NOT_YAML_PRINTABLE.match(char):
        # YAML cannot read it, so the key is read with U+FFFD in its place
        expected = f"{PATH}:{line}: x\ufffdy: contains {char_name(char)}; remove it"
    assert escaped(expected) in found, found
    assert all("\n" not in line and "\r" not in line for line in found)


@pytest.mark.parametrize("char", ALLOWED, ids=[f"U+{ord(c):04X}" for c in ALLOWED])
def test_other_characters_are_kept(char: str) -> None:
    doc = parse_text(posting(title=f'"A{char}B"', tags=f'["A{char}B"]'), PATH, "digest")
    result = validate_posting(doc, "comrak")
    assert not isinstance(result, tuple), result
    assert char in result.title and char in result.tags[0]


@pytest.mark.parametrize("char", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_the_models_refuse_them_whatever_gives_the_values(char: str) -> None:
    """A posting made without YAML (an import, a form) meets the same rule."""
    for fields in (
        {**BASE_FIELDS, "title": f"A{char}"},
        {**BASE_FIELDS, "company": {"name": f"A{char}"}},
        {**BASE_FIELDS, "location": [{"city": f"A{char}", "country": "DE"}]},
        {**BASE_FIELDS, "tags": [f"A{char}"]},
        {**BASE_FIELDS, "apply_url": f"https://a.example/{char}"},
    ):
        with pytest.raises(ValidationError, match="remove it"):
            Frontmatter.model_validate(fields)
    with pytest.raises(ValidationError, match="remove it"):
        Page.model_validate({"title": "About", "description": f"A{char}"})


def test_a_page_gets_the_same_rule() -> None:
    text = '---\ntitle: "About\\x9b"\ndescription: "x\\uFDD0"\n---\nBody\n'
    result = validate_page(parse_text(text, "content/pages/about.md", "d"), "comrak")
    assert [str(d) for d in result] == [  # type: ignore[union-attr]
        "content/pages/about.md:2: title: contains the control character U+009B; remove it",
        "content/pages/about.md:3: description: contains the non-character U+FDD0; remove it",
    ]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("char", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_descriptions_drop_them_as_written_and_as_character_references(
    engine: str, char: str
) -> None:
    code = ord(char)
    body = f"a{char}b &#{code}; &#x{code:X}; <span title='&#{code};'>c</span> [d](/x&#{code};)\n"
    html = render_markdown(body, engine)
    assert FORBIDDEN_CHARS.search(html) is None, repr(html)
    assert "ab" in html


@settings(max_examples=300, deadline=None)
@given(
    body=st.lists(
        st.one_of(
            st.text(max_size=5),
            st.sampled_from(FORBIDDEN).map(lambda c: f"&#{ord(c)};"),
            st.sampled_from(FORBIDDEN).map(lambda c: f"&#x{ord(c):x};"),
            st.sampled_from(["<b title='", "'>", "[", "](", ")", "`", "<", "&"]),
        ),
        max_size=12,
    ).map("".join),
    engine=st.sampled_from(sorted(ENGINES)),
)
def test_no_description_keeps_one(body: str, engine: str) -> None:
    assert FORBIDDEN_CHARS.search(render_markdown(body, engine)) is None


# --- class 3: every problem at once --------------------------------------------------


def test_the_same_problem_in_several_fields_is_reported_for_each() -> None:
    text = posting(
        company='"Acme\\x1b[2J"',
        location='[{city: "Ber\\x85lin", country: DE}, {city: "Mu\\uFFFEnich", country: DE}]',
        tags='[python, "go\\x9b", "rust\\x00"]',
    )
    assert problems_of(text) == [
        f"{PATH}:3: company: contains the control character U+001B; remove it",
        f"{PATH}:6: location.0.city: contains the control character U+0085; remove it",
        f"{PATH}:6: location.1.city: contains the non-character U+FFFE; remove it",
        f"{PATH}:9: tags.1: contains the control character U+009B; remove it",
        f"{PATH}:9: tags.2: contains the control character U+0000; remove it",
    ]


def test_raw_characters_in_several_fields_are_each_named() -> None:
    text = posting(title="Back\x07end", company="Ac\x01me", tags="[py\x80thon, go]")
    assert problems_of(text) == [
        f"{PATH}:2: title: contains the control character U+0007; remove it",
        f"{PATH}:3: company: contains the control character U+0001; remove it",
        f"{PATH}:9: tags.0: contains the control character U+0080; remove it",
    ]


def test_problems_of_every_kind_come_together() -> None:
    """Characters, a key given twice, a missing field and a bad value: one line each."""
    text = posting(
        drop=("title",),
        company='"Acme\\e"',
        salary="{min: 1, max: 2, currency: XYZ}",
        apply_url='"ftp://x.example"',
        tags='["a\\x9f"]',
        experience_level="senior",
        **{"experience_level ": "junior"},
    ).replace("experience_level : junior", "experience_level: junior")
    assert problems_of(text) == [
        f"{PATH}:2: company: contains the control character U+001B; remove it",
        f"{PATH}:8: tags.0: contains the control character U+009F; remove it",
        f"{PATH}:10: experience_level: appears twice (lines 9 and 10); keep one",
        f"{PATH}: title: required field is missing",
        f"{PATH}:6: salary.currency: expected an ISO 4217 currency code such as USD or EUR, "
        "got 'XYZ'",
        f"{PATH}:7: apply_url: expected an http(s) URL such as https://example.com/apply, "
        "got 'ftp://x.example'",
    ]


def test_a_raw_character_outside_any_value_is_named_by_its_line() -> None:
    text = posting(title="Backend  # a comment\x07", company="Acme")
    assert problems_of(text) == [
        f"{PATH}:2: the control character U+0007 is not allowed; remove it",
    ]


def test_yaml_that_cannot_be_read_still_names_every_bad_line() -> None:
    text = posting(title="Back\x07end", company='"Acme', tags="[a\x02]")
    found = problems_of(text)
    assert found[:2] == [
        f"{PATH}:2: the control character U+0007 is not allowed; remove it",
        f"{PATH}:9: the control character U+0002 is not allowed; remove it",
    ]
    assert found[2].startswith(f"{PATH}:3: invalid YAML: ")
