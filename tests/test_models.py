"""The posting contract's value checks: dates, URLs and amounts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from site_gen.models import Company, _number, check_web_url, parse_date


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


@pytest.mark.parametrize("logo", ["//evil.example/x.png", "/\\evil.example/x.png", "/a b.png"])
def test_a_logo_path_cannot_lead_off_the_site(logo: str) -> None:
    with pytest.raises(ValueError, match="expected an http"):
        Company(name="Acme", logo=logo)


def test_a_logo_may_be_a_site_path_or_a_web_url() -> None:
    assert Company(name="Acme", logo="/images/acme.png").logo == "/images/acme.png"
    assert (
        Company(name="Acme", logo="https://cdn.example/a.png").logo == "https://cdn.example/a.png"
    )


@pytest.mark.parametrize("amount", [float("inf"), float("nan"), 10**13, 10**400, -(10**13)])
def test_amounts_are_finite_and_bounded(amount: float) -> None:
    with pytest.raises(ValueError, match="expected a number up to"):
        _number(amount)


def test_company_name_is_stripped_and_must_not_be_blank() -> None:
    assert Company(name="  Acme ").name == "Acme"
    with pytest.raises(ValueError):
        Company(name="   ")


def test_source_and_featured_survive_the_build_caches_round_trip() -> None:
    from site_gen.content import parse_text
    from site_gen.models import Posting
    from site_gen.validate import compile_posting
    from tests.helpers import posting_text

    text = posting_text(source="greenhouse:4012345", featured=True, featured_until="2026-12-31")
    posting = compile_posting(parse_text(text, "content/jobs/a.md", "d"), "comrak").posting
    assert posting is not None
    assert (posting.imported_from, posting.source.path) == (
        "greenhouse:4012345",
        "content/jobs/a.md",
    )
    assert Posting.model_validate_json(posting.model_dump_json()) == posting
