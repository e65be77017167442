"""The repository's example board builds, and every job page carries Google's JobPosting."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.build import BuildReport
from tests.conftest import run_build
from tests.helpers import json_ld, parse_html

REPO = Path(__file__).resolve().parents[2]
REQUIRED = {"title", "description", "datePosted", "hiringOrganization"}
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


def test_every_open_job_page_has_a_complete_job_posting(
    example_output: Path, example_build: BuildReport
):
    warned_anywhere = {
        w.path.split("/")[-1][:-3]
        for w in example_build.warnings
        if w.field == "applicant_locations"
    }
    checked = 0
    for page in job_pages(example_output):
        blocks = json_ld(page)
        if parse_html(page).cssselect(".closed-notice"):
            assert blocks == [], page
            continue
        (data,) = blocks
        assert data["@type"] == "JobPosting"
        missing = (REQUIRED | RECOMMENDED) - data.keys()
        assert not missing, f"{page}: missing {missing}"
        # validThrough is there exactly when the posting has an end date ("Apply by").
        has_end_date = any(dt.text == "Apply by" for dt in parse_html(page).cssselect(".facts dt"))
        assert ("validThrough" in data) == has_end_date, page
        assert "jobLocation" in data or data.get("jobLocationType") == "TELECOMMUTE", page
        if data.get("jobLocationType") == "TELECOMMUTE" and page.parent.name not in warned_anywhere:
            assert data["applicantLocationRequirements"], page
        checked += 1
    assert checked >= 25


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
