"""The repository's example board builds, and every job page carries Google's JobPosting."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import frontmatter
import pytest

from site_gen.build import BuildReport
from tests.conftest import run_build
from tests.google_jobs import missing_recommended, violations
from tests.helpers import json_ld, parse_html

REPO = Path(__file__).resolve().parents[2]
RECOMMENDED = {"employmentType", "identifier", "directApply", "url"}


@pytest.fixture(scope="module")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    return run_build(REPO, output=tmp_path_factory.mktemp("example") / "output")


@pytest.fixture(scope="module")
def example_output(example_build: BuildReport) -> Path:
    return example_build.output


def job_pages(out: Path) -> list[Path]:
    return sorted((out / "jobs").glob("*/index.html"))


def test_the_example_board_publishes_its_postings(example_output: Path):
    assert len(job_pages(example_output)) >= 30


def test_every_open_job_page_has_a_complete_job_posting(example_output: Path):
    checked = 0
    for page in job_pages(example_output):
        blocks = json_ld(page)
        if parse_html(page).cssselect(".closed-notice"):
            assert blocks == [], page
            continue
        (data,) = blocks
        assert violations(data) == [], page
        assert data.keys() >= RECOMMENDED, page
        # validThrough is there exactly when the posting has an end date ("Apply by").
        has_end_date = any(dt.text == "Apply by" for dt in parse_html(page).cssselect(".facts dt"))
        assert ("validThrough" in data) == has_end_date, page
        checked += 1
    assert checked >= 25


def test_every_example_posting_is_eligible_for_google_for_jobs(tmp_path: Path):
    """Built on the day of the earliest posting, with drafts and future postings, every
    example posting is open: each page's JSON-LD passes Google's required-property rules
    and has every recommended property the posting has data for."""
    postings = sorted((REPO / "content" / "jobs").glob("*.md"))
    earliest = min(frontmatter.load(path)["date_posted"] for path in postings)
    report = run_build(
        REPO,
        output=tmp_path / "output",
        now=datetime.combine(earliest, time(12), UTC),
        drafts=True,
        future=True,
        cache=False,
    )
    assert len(report.site.published) == len(postings)
    for posting in report.site.published:
        page = report.output / "jobs" / posting.slug / "index.html"
        (data,) = json_ld(page)
        assert violations(data) == [], page
        expected_missing = {"validThrough"} if posting.valid_through is None else set()
        expected_missing |= {"baseSalary"} if posting.salary is None else set()
        assert missing_recommended(data) == expected_missing, page


def test_the_seed_posting(example_output: Path):
    page = example_output / "jobs/senior-backend-engineer/index.html"
    doc = parse_html(page)
    facts = {
        " ".join(dt.text_content().split()): " ".join(dt.getnext().text_content().split())
        for dt in doc.cssselect(".facts dt")
    }
    assert facts["Salary"] == "$160,000 – $240,000 a year"
    assert facts["Location"] == "Remote (US) · San Francisco, CA, United States"
    assert facts["Type"] == "Full time"
    assert facts["Level"] == "senior"
    (data,) = json_ld(page)
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {
            "@type": "QuantitativeValue",
            "unitText": "YEAR",
            "minValue": 160000,
            "maxValue": 240000,
        },
    }
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [{"@type": "Country", "name": "US"}]
    assert data["jobLocation"][0]["address"]["addressLocality"] == "San Francisco"
    assert data["employmentType"] == "FULL_TIME"
