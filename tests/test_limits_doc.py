"""Class 8 of issue 17: the documented limits are the code's.

The table in docs/posting-format.md ("Limits") is parsed and must equal, row for row, the
table made here from the code's constants; and each limit is then checked on the models
themselves: a value at the limit is accepted, one past it refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from site_gen.content import MAX_FILE_BYTES, source_from_bytes
from site_gen.field_types import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_AMOUNT,
    MAX_EMAIL_LENGTH,
    MAX_EMAIL_LOCAL_LENGTH,
    MAX_PAGE_DESCRIPTION_LENGTH,
    MAX_SLUG_FIELD_LENGTH,
    MAX_SOURCE_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_URL_LENGTH,
)
from site_gen.models import Frontmatter, Page
from site_gen.urls import SLUG_MAX_LENGTH, slugify
from site_gen.yaml_fields import MAX_YAML_NODES
from tests.helpers import BASE_FIELDS

DOC = Path(__file__).parent.parent / "docs" / "posting-format.md"


def n(value: int) -> str:
    return f"{value:,}"


EXPECTED = [
    (
        "`title`, `company` (its `name`), `experience_level`, and a place's `city`, `region`, "
        "`street_address`, `postal_code`",
        f"{n(MAX_TEXT_LENGTH)} characters",
    ),
    ("each of the `tags`", f"{n(MAX_TAG_LENGTH)} characters"),
    ("`slug` as written", f"{n(MAX_SLUG_FIELD_LENGTH)} characters"),
    ("a slug made from `slug` or the file name", f"{n(SLUG_MAX_LENGTH)} characters"),
    ("`apply_url`, `company.url`, `company.logo`", f"{n(MAX_URL_LENGTH)} characters"),
    ("`apply_email`", f"{n(MAX_EMAIL_LENGTH)} characters"),
    ("`apply_email`, the part before the `@`", f"{n(MAX_EMAIL_LOCAL_LENGTH)} bytes of UTF-8"),
    ("`source` (`system:id`)", f"{n(MAX_SOURCE_LENGTH)} characters"),
    ("salary amounts (`min`, `max`, `value`)", f"0 to {n(MAX_AMOUNT)}"),
    (
        "dates (`date_posted`, `valid_through`, a page's `updated`)",
        f"the years {FIRST_YEAR} to {LAST_YEAR}",
    ),
    ("a page's `title`", f"{n(MAX_TEXT_LENGTH)} characters"),
    ("a page's `description`", f"{n(MAX_PAGE_DESCRIPTION_LENGTH)} characters"),
    ("a file", f"{n(MAX_FILE_BYTES)} bytes ({MAX_FILE_BYTES // 2**20} MB)"),
    ("values in the frontmatter, aliases expanded", n(MAX_YAML_NODES)),
]


def documented_limits() -> list[tuple[str, str]]:
    """The rows of the table under "## Limits"."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Limits\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
    assert cells[0] == ["What", "Limit"] and set("".join(cells[1])) <= set("- ")
    return [(what, limit) for what, limit in cells[2:]]


def test_the_documented_table_is_the_codes() -> None:
    assert documented_limits() == EXPECTED


# --- each limit, on the models ----------------------------------------------------------


def accepted(model: type[BaseModel], fields: dict[str, Any]) -> bool:
    try:
        model.model_validate(fields)
    except ValidationError:
        return False
    return True


def posting_with(**fields: Any) -> dict[str, Any]:
    return {**BASE_FIELDS, **fields}


def place(**fields: Any) -> dict[str, Any]:
    return posting_with(location=[{"country": "DE", **fields}])


TEXT_FIELDS = {
    "title": lambda v: posting_with(title=v),
    "company": lambda v: posting_with(company=v),
    "company.name": lambda v: posting_with(company={"name": v}),
    "experience_level": lambda v: posting_with(experience_level=v),
    "city": lambda v: place(city=v),
    "region": lambda v: place(region=v),
    "street_address": lambda v: place(street_address=v),
    "postal_code": lambda v: place(postal_code=v),
}


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_text_fields_hold_their_documented_length(field: str) -> None:
    make = TEXT_FIELDS[field]
    assert accepted(Frontmatter, make("é" * MAX_TEXT_LENGTH))
    assert accepted(Frontmatter, make("e\u0301" * MAX_TEXT_LENGTH))  # counted once composed
    assert not accepted(Frontmatter, make("x" * (MAX_TEXT_LENGTH + 1)))


def test_tags_slugs_urls_and_emails_hold_their_documented_lengths() -> None:
    assert accepted(Frontmatter, posting_with(tags=["t" * MAX_TAG_LENGTH]))
    assert not accepted(Frontmatter, posting_with(tags=["t" * (MAX_TAG_LENGTH + 1)]))
    assert accepted(Frontmatter, posting_with(slug="s" * MAX_SLUG_FIELD_LENGTH))
    assert not accepted(Frontmatter, posting_with(slug="s" * (MAX_SLUG_FIELD_LENGTH + 1)))
    assert len(slugify("s" * MAX_SLUG_FIELD_LENGTH)) == SLUG_MAX_LENGTH
    url = "https://example.com/"
    for key in ("apply_url", "company"):

        def make(u: str, key: str = key) -> dict[str, Any]:
            return posting_with(
                **({key: u} if key == "apply_url" else {key: {"name": "A", "url": u}})
            )

        assert accepted(Frontmatter, make(url + "a" * (MAX_URL_LENGTH - len(url))))
        assert not accepted(Frontmatter, make(url + "a" * (MAX_URL_LENGTH - len(url) + 1)))
    logo = "/" + "l" * (MAX_URL_LENGTH - 1)
    assert accepted(Frontmatter, posting_with(company={"name": "A", "logo": logo}))
    assert not accepted(Frontmatter, posting_with(company={"name": "A", "logo": logo + "l"}))
    local = "a" * MAX_EMAIL_LOCAL_LENGTH
    assert accepted(Frontmatter, posting_with(apply_email=f"{local}@example.com"))
    assert not accepted(Frontmatter, posting_with(apply_email=f"{local}a@example.com"))
    domain = ".".join(["d" * 60] * 4) + ".com"
    total = MAX_EMAIL_LENGTH - len(domain) - 1
    assert accepted(Frontmatter, posting_with(apply_email=f"{'a' * total}@{domain}"))
    assert not accepted(Frontmatter, posting_with(apply_email=f"{'a' * (total + 1)}@{domain}"))


def test_a_source_holds_its_documented_length() -> None:
    source = "greenhouse:" + "1" * (MAX_SOURCE_LENGTH - len("greenhouse:"))
    assert accepted(Frontmatter, posting_with(source=source))
    assert not accepted(Frontmatter, posting_with(source=source + "1"))
    assert not accepted(Frontmatter, posting_with(source="greenhouse:1\x9b"))


def test_pages_hold_their_documented_lengths() -> None:
    assert accepted(Page, {"title": "t" * MAX_TEXT_LENGTH})
    assert not accepted(Page, {"title": "t" * (MAX_TEXT_LENGTH + 1)})
    assert accepted(Page, {"title": "t", "description": "d" * MAX_PAGE_DESCRIPTION_LENGTH})
    long = "d" * (MAX_PAGE_DESCRIPTION_LENGTH + 1)
    assert not accepted(Page, {"title": "t", "description": long})


def test_amounts_and_dates_hold_their_documented_ranges() -> None:
    def pay(amount: float) -> dict[str, Any]:
        return posting_with(salary={"value": amount, "currency": "EUR"})

    assert accepted(Frontmatter, pay(0)) and accepted(Frontmatter, pay(MAX_AMOUNT))
    assert not accepted(Frontmatter, pay(-1)) and not accepted(Frontmatter, pay(MAX_AMOUNT + 1))
    for year, ok in ((FIRST_YEAR, True), (LAST_YEAR, True), (FIRST_YEAR - 1, False)):
        fields = posting_with(date_posted=f"{year}-06-01", valid_through=None)
        assert accepted(Frontmatter, fields) is ok, year
    fields = posting_with(valid_through=f"{LAST_YEAR + 1}-01-01")
    assert not accepted(Frontmatter, fields)


def test_files_and_yaml_hold_their_documented_sizes() -> None:
    frame = b"---\ntitle: x\n---\n"
    assert not source_from_bytes(frame.ljust(MAX_FILE_BYTES, b"x"), "a.md").problems
    (problem,) = source_from_bytes(frame.ljust(MAX_FILE_BYTES + 1, b"x"), "a.md").problems
    assert "larger than" in problem.message
    # a list of n scalars is n + 1 values, the mapping and its key 2 more
    fits = "---\nx: [" + ", ".join(["1"] * (MAX_YAML_NODES - 3)) + "]\n---\n"
    assert not source_from_bytes(fits.encode(), "a.md").problems
    over = "---\nx: [" + ", ".join(["1"] * (MAX_YAML_NODES - 2)) + "]\n---\n"
    (problem,) = source_from_bytes(over.encode(), "a.md").problems
    assert re.search(rf"more than {MAX_YAML_NODES:,}|more than {MAX_YAML_NODES}", problem.message)
