"""sitegen-jobs.json: which job pages are live, and a digest that changes with what they show."""

from __future__ import annotations

import pytest

from site_gen.config import NotifySettings, SiteConfig
from site_gen.errors import SitegenError
from site_gen.jobs_manifest import (
    MANIFEST_ROUTE,
    decode,
    encode,
    manifest_of,
    notify_files,
)
from tests.helpers import posting_text, site_of

BASE = "https://jobs.example.com/"


def shown_digest(text: str) -> str:
    (posting,) = site_of({"a": text}).published
    return posting.source.shown_digest


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Senior Backend Engineer"},
        {"salary": {"min": 70000, "max": 95000, "currency": "EUR"}},
        {"location": [{"city": "Munich", "country": "DE"}]},
        {"valid_through": "2027-02-28"},
        {"date_posted": "2026-11-21"},
        {"employment_type": "contract"},
        {"body": "We build other things.\n"},
    ],
)
def test_the_digest_changes_with_what_the_page_shows(change: dict[str, object]) -> None:
    assert shown_digest(posting_text(**change)) != shown_digest(posting_text())


def test_the_digest_ignores_what_the_page_does_not_show() -> None:
    same = posting_text().replace("title:", "# a comment for the editors\ntitle:")
    assert shown_digest(same) == shown_digest(posting_text())
    assert shown_digest(posting_text(slug="a")) == shown_digest(posting_text())


def test_the_manifest_lists_live_eligible_postings_newest_first() -> None:
    site = site_of(
        {
            "old": posting_text(date_posted="2026-11-01"),
            "new": posting_text(date_posted="2026-11-25"),
            "expired": posting_text(date_posted="2026-10-01", valid_through="2026-11-01"),
            "anywhere": posting_text(remote="remote", location=[]),  # no markup: not a job page
        },
        SiteConfig(base_url=BASE),
    )
    manifest = manifest_of(site)
    assert [p.route for p in manifest.pages] == ["jobs/new/", "jobs/old/"]
    assert decode(encode(manifest), "x") == manifest


def test_the_key_file_is_published_only_with_a_key() -> None:
    site = site_of({"a": posting_text()}, SiteConfig(base_url=BASE))
    assert [route for route, _ in notify_files(site)] == [MANIFEST_ROUTE]
    keyed = SiteConfig(base_url=BASE, notify=NotifySettings(indexnow_key="abcdef0123456789"))
    files = dict(notify_files(site_of({"a": posting_text()}, keyed)))
    assert files["abcdef0123456789.txt"] == b"abcdef0123456789"


@pytest.mark.parametrize(
    "data", [b"", b"[]", b'{"generator": "other"}', b'{"generator": "sitegen", "format": 1}']
)
def test_what_is_not_a_manifest_is_said_so(data: bytes) -> None:
    with pytest.raises(
        SitegenError, match=r"^old/sitegen-jobs.json: not a readable sitegen-jobs.json \("
    ):
        decode(data, "old/sitegen-jobs.json")
