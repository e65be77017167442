"""The posting format's value checks: dates, URLs and amounts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen.field_types import _allowed, _number, check_web_url, normal_text, parse_date
from site_gen.text import forbidden_problem, nfc


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-11-27", date(2026, 11, 27)),
        ("2026-11-27T09:00:00Z", date(2026, 11, 27)),
        ("2026-11-27T23:30:00-08:00", date(2026, 11, 27)),  # the 28th in UTC: as written
        ("2026-11-27T00:30:00+14:00", date(2026, 11, 27)),
        ("2026-11-27 09:00", date(2026, 11, 27)),
        (" 2026-11-27 ", date(2026, 11, 27)),
        (date(2026, 11, 27), date(2026, 11, 27)),
        (datetime(2026, 11, 27, 23, 30, tzinfo=timezone(timedelta(hours=-8))), date(2026, 11, 27)),
        (datetime(2026, 11, 27, 0, 0, tzinfo=UTC), date(2026, 11, 27)),
    ],
)
def test_dates_people_write_parse_to_the_day_written(value: object, day: date) -> None:
    assert parse_date(value) == day


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30",
        "2026-13-01",
        "27/11/2026",
        "tomorrow",
        "",
        20261127,
        True,
        None,
        date(1900, 1, 1),
        date(9999, 12, 31),
    ],
)
def test_nonsense_dates_are_errors(value: object) -> None:
    with pytest.raises(ValueError, match="expected a date"):
        parse_date(value)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "//evil.example/x",
        "https://",
        "https://nodot",
        "ftp://example.com/",
    ],
)
def test_only_http_urls_are_web_urls(url: str) -> None:
    with pytest.raises(ValueError, match="expected an http"):
        check_web_url(url)


@pytest.mark.parametrize("amount", [float("inf"), float("nan"), 10**13, 10**400, -(10**13)])
def test_amounts_are_finite_and_bounded(amount: float) -> None:
    with pytest.raises(ValueError, match="expected a number up to"):
        _number(amount)


def _checked(value: str, normalise: bool) -> str:
    """What the text checks do for every value: refuse a forbidden character, normalise."""
    problem = forbidden_problem(value)
    if problem:
        raise ValueError(problem)
    return nfc(value) if normalise else value


@settings(max_examples=500, deadline=None)
@given(
    value=st.one_of(
        st.text(alphabet=st.characters(max_codepoint=0x7F)),  # ASCII, controls included
        st.text(),
        st.sampled_from(["Caf\u00e9", "Cafe\u0301", "a\tb", "a\nb", "x\x7f", "\x85", "\ufdd0"]),
    )
)
def test_printable_ascii_is_passed_as_the_full_checks_pass_it(value: str) -> None:
    """The shortcut for printable ASCII gives what the full checks give, for any text."""
    for check, normalise in ((normal_text, True), (_allowed, False)):
        try:
            expected: object = _checked(value, normalise)
        except ValueError as exc:
            expected = str(exc)
        try:
            found: object = check(value)
        except ValueError as exc:
            found = str(exc)
        assert found == expected
