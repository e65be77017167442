"""Validation: each broken contract gives one exact, located message."""

import hashlib
from datetime import date

import pytest

from site_gen.content import parse_text
from site_gen.errors import ContentErrors
from site_gen.models import Frontmatter
from site_gen.validate import NOT_SHOWN, validate_all, validate_posting
from tests.helpers import posting_text

PATH = "content/jobs/acme.md"


def messages(text: str) -> list[str]:
    result = validate_posting(parse_text(text, PATH, "d"), "comrak")
    assert isinstance(result, tuple), f"expected problems, got a posting: {result!r}"
    return [str(d) for d in result]


def test_a_number_yaml_cannot_read_is_reported_on_its_line():
    text = posting_text().replace("  min: 70000\n", "  min: 0x_\n")
    assert messages(text) == ["content/jobs/acme.md:13: salary.min: expected a number, got '0x_'"]


def test_a_valid_posting_validates():
    posting = validate_posting(parse_text(posting_text(), PATH, "d"), "comrak")
    assert not isinstance(posting, tuple)
    assert posting.slug == "acme"
    assert posting.summary == "We build things."
    assert posting.salary is not None and posting.salary.annual_high == 90000


def test_the_source_names_the_file_its_body_and_what_its_page_shows() -> None:
    """The digest of what the page shows is kept by build caches and ``sitegen notify``:
    its value must not change with how it is computed."""
    body = "Zürich, \u00e9quipe \U0001f642\n"
    posting = validate_posting(parse_text(posting_text(body=body), PATH, "d"), "comrak")
    assert not isinstance(posting, tuple)
    source = posting.source
    fields = Frontmatter.model_validate(parse_text(posting_text(body=body), PATH, "d").fields)
    shown = fields.model_dump_json(exclude=set(NOT_SHOWN))
    expected = hashlib.sha256(f"{shown}\0{body}".encode()).hexdigest()
    line = posting_text(body=body).split("\n").index(body.rstrip("\n")) + 1
    assert (source.path, source.body_line, source.digest) == (PATH, line, "d")
    assert source.shown_digest == expected


CASES = [
    (
        "wrong type for a number",
        {"salary": {"min": "160k", "max": 200000, "currency": "USD"}},
        ["content/jobs/acme.md:13: salary.min: expected a number, got '160k'"],
    ),
    (
        "missing required field",
        {"title": None},
        ["content/jobs/acme.md: title: required field is missing"],
    ),
    (
        "unknown currency",
        {"salary": {"min": 1, "max": 2, "currency": "XYZ"}},
        [
            "content/jobs/acme.md:15: salary.currency: expected an ISO 4217 currency code "
            "such as USD or EUR, got 'XYZ'"
        ],
    ),
    (
        "unknown country",
        {"location": [{"city": "Nowhere", "country": "XX"}]},
        [
            "content/jobs/acme.md:11: location.0.country: expected an ISO 3166-1 alpha-2 "
            "country code such as US or DE, got 'XX'"
        ],
    ),
    (
        "min above max",
        {"salary": {"min": 80000, "max": 50000, "currency": "EUR"}},
        ["content/jobs/acme.md:14: salary.max: must be at least salary.min (50000 < 80000)"],
    ),
    (
        "apply_url not http",
        {"apply_url": "ftp://example.com/apply"},
        [
            "content/jobs/acme.md:17: apply_url: expected an http(s) URL such as "
            "https://example.com/apply, got 'ftp://example.com/apply'"
        ],
    ),
    (
        "unknown key",
        {"tittle": "Engineer"},
        [
            "content/jobs/acme.md:18: tittle: unknown field (a typo?); see the posting format in the README"
        ],
    ),
    (
        "bad employment type",
        {"employment_type": "fulltime"},
        [
            "content/jobs/acme.md:8: employment_type: expected one of 'full-time', 'part-time', "
            "'contract', 'temporary', 'intern', 'volunteer', 'per-diem' or 'other', got 'fulltime'"
        ],
    ),
    (
        "country read as false by YAML",
        {"location": [{"city": "Oslo", "country": False}]},
        [
            "content/jobs/acme.md:11: location.0.country: expected a country code, got false: "
            'YAML reads NO, ON, YES and OFF as true/false, so quote the code, e.g. "NO"'
        ],
    ),
    (
        "no way to apply",
        {"apply_url": None},
        ["content/jobs/acme.md: apply_url: give apply_url or apply_email so people can apply"],
    ),
    (
        "onsite posting without location",
        {"location": []},
        ["content/jobs/acme.md:9: location: at least one place is needed unless remote: remote"],
    ),
    (
        "nonsense date",
        {"date_posted": "next tuesday"},
        [
            "content/jobs/acme.md:6: date_posted: expected a date like 2026-11-27, got 'next tuesday'"
        ],
    ),
]


@pytest.mark.parametrize(("name", "fields", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_exact_message(name: str, fields: dict, expected: list[str]):
    assert messages(posting_text(**fields)) == expected


def test_every_problem_in_a_file_is_reported():
    found = messages(posting_text(title=None, salary={"min": "x", "currency": "ZZZ"}))
    assert [m.split(": ")[1] for m in found] == ["title", "salary.min", "salary.currency"]


def test_single_value_salary_and_lists_of_types():
    posting = validate_posting(
        parse_text(
            posting_text(
                salary={"value": 40, "currency": "GBP", "period": "hour"},
                employment_type=["part-time", "contract"],
            ),
            PATH,
            "d",
        ),
        "comrak",
    )
    assert not isinstance(posting, tuple)
    assert posting.salary is not None and posting.salary.annual_low == 40 * 2080
    assert [t.value for t in posting.employment_type] == ["part-time", "contract"]


def test_dates_with_times_and_zones_keep_their_calendar_day():
    text = posting_text(date_posted="2026-11-27T23:30:00-08:00")
    posting = validate_posting(parse_text(text, PATH, "d"), "comrak")
    assert not isinstance(posting, tuple)
    assert posting.date_posted == date(2026, 11, 27)


def test_duplicate_slugs_name_both_files():
    docs = [
        parse_text(posting_text(), "content/jobs/a.md", "1"),
        parse_text(posting_text(slug="a"), "content/jobs/b.md", "2"),
    ]
    with pytest.raises(ContentErrors) as err:
        validate_all(docs, [], "comrak", date(2026, 11, 27))
    assert [str(d) for d in err.value.diagnostics] == [
        "content/jobs/b.md: slug: 'a' is already used by the posting content/jobs/a.md; "
        "give one of them another slug"
    ]


def test_warnings_for_missing_end_date_salary_and_soon_expiry():
    docs = [
        parse_text(posting_text(valid_through=None, salary=None), "content/jobs/a.md", "1"),
        parse_text(posting_text(valid_through="2026-11-30"), "content/jobs/b.md", "2"),
    ]
    result = validate_all(docs, [], "comrak", date(2026, 11, 27))
    assert [f"{w.path} {w.field}" for w in result.warnings] == [
        "content/jobs/a.md valid_through",
        "content/jobs/a.md salary",
        "content/jobs/b.md valid_through",
    ]
    assert "expires on 2026-11-30, within 7 days" in str(result.warnings[2])


HEAD = "---\ntitle: T\ncompany: C\ndate_posted: 2026-11-20\nlocation: [{country: DE}]\napply_url: https://x.example/a\n"


def extra_messages(extra: str) -> list[str]:
    doc = parse_text(HEAD + extra + "---\nBody\n", "content/jobs/x.md", "")
    result = validate_posting(doc, "comrak")
    assert isinstance(result, tuple), result
    return [str(d) for d in result]


def test_a_key_with_brackets_keeps_its_name() -> None:
    assert extra_messages("tags[0]: x\n") == [
        "content/jobs/x.md:7: tags[0]: unknown field (a typo?); see the posting format in the README"
    ]


def test_escaped_control_characters_are_named_with_field_and_line() -> None:
    assert extra_messages('tags: [ok, "b\\x07d"]\n') == [
        "content/jobs/x.md:7: tags.1: contains the control character U+0007; remove it"
    ]


def test_non_text_keys_are_errors() -> None:
    assert extra_messages("1: x\n") == ["content/jobs/x.md:7: 1: field names must be text, got 1"]


def test_long_values_are_cut_short_in_messages() -> None:
    (line,) = extra_messages(f"apply_email: {'a' * 300}\n")
    assert line == "content/jobs/x.md:7: apply_email: is too long (at most 254 characters)"
    (line,) = extra_messages(f"employment_type: {'x' * 300}\n")
    assert len(line) < 300
