"""JobPosting JSON-LD: Google's required and recommended properties, and safe embedding."""

import json

import pytest

from site_gen.content import parse_text
from site_gen.models import Posting
from site_gen.structured_data import (
    google_problems,
    job_posting,
    job_posting_markup,
    not_eligible,
    script_json,
    script_text,
)
from site_gen.urls import SiteUrls
from site_gen.validate import validate_posting
from tests.google_jobs import missing_recommended, violations
from tests.helpers import posting_text

URLS = SiteUrls("https://jobs.example.com/")


def posting(body: str = "We build things.\n", **fields: object) -> Posting:
    result = validate_posting(
        parse_text(posting_text(body, **fields), "content/jobs/a.md", "d"), "comrak"
    )
    assert isinstance(result, Posting)
    return result


def test_required_and_recommended_properties():
    data = job_posting(posting(), "<p>We build things.</p>", URLS)
    assert data == {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": "Backend Engineer",
        "description": "<p>We build things.</p>",
        "datePosted": "2026-11-20",
        "validThrough": "2027-01-31T23:59:59",
        "hiringOrganization": {
            "@type": "Organization",
            "name": "Example Corp",
            "sameAs": "https://example.com",
        },
        "employmentType": "FULL_TIME",
        "identifier": {"@type": "PropertyValue", "name": "Example Corp", "value": "a"},
        "url": "https://jobs.example.com/jobs/a/",
        "directApply": False,
        "jobLocation": [
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "addressCountry": "DE",
                    "addressLocality": "Berlin",
                },
            }
        ],
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {
                "@type": "QuantitativeValue",
                "unitText": "YEAR",
                "minValue": 70000,
                "maxValue": 90000,
            },
        },
    }


def test_remote_posting_is_telecommute_with_applicant_countries():
    data = job_posting(
        posting(
            remote="remote",
            location=[],
            applicant_locations=["US", "CA"],
            employment_type=["contract", "part-time"],
        ),
        "",
        URLS,
    )
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "US"},
        {"@type": "Country", "name": "CA"},
    ]
    assert "jobLocation" not in data
    assert data["employmentType"] == ["CONTRACTOR", "PART_TIME"]


def test_single_value_hourly_salary_and_site_relative_logo():
    data = job_posting(
        posting(
            salary={"value": 45, "currency": "USD", "period": "hour"},
            company={"name": "Acme", "logo": "/images/acme.png"},
        ),
        "",
        URLS,
    )
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "unitText": "HOUR",
        "value": 45,
    }
    assert data["hiringOrganization"]["logo"] == "https://jobs.example.com/images/acme.png"


def test_script_json_cannot_end_the_script_block():
    text = script_json({"title": "</script><!-- x & y \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"title": "</script><!-- x & y \u2028"}


@pytest.mark.parametrize(
    "text",
    [
        "",
        '<p class="x">A & B</p>\n\t\r "quoted" \\ back',
        "ASCII with DEL \x7f and controls \x00\x08\x0c\x1f",
        "Zürich – 100 € \u2028 \u2029 \U0001f600 <b>",
    ],
)
def test_script_text_writes_a_string_as_script_json_does(text: str):
    """The quicker path for ASCII text must give the very bytes of the general one."""
    assert script_text(text) == script_json(text)
    assert json.loads(script_text(text)) == text


def test_the_markup_holds_the_description_once_whatever_the_title():
    """The description is written in place of an empty one: a title that spells that
    member (its quotes escaped in JSON) does not move it."""
    tricky = posting(title='Engineer "description":"" <b>')
    markup = job_posting_markup(tricky, "<p>We build things.</p>", URLS)
    data = json.loads(markup)
    assert data["title"] == 'Engineer "description":"" <b>'
    assert data["description"] == "<p>We build things.</p>"
    assert markup == script_json(job_posting(tricky, "<p>We build things.</p>", URLS))


def test_the_required_and_recommended_properties_pass_googles_rules():
    data = job_posting(posting(), "<p>We build things.</p>", URLS)
    assert violations(data) == []
    assert missing_recommended(data) == set()


def test_a_remote_job_without_countries_gets_no_markup():
    """Google rejects TELECOMMUTE without applicantLocationRequirements: no default can
    stand in for the countries, so the page carries no JobPosting at all."""
    remote = posting(remote="remote", location=[], applicant_locations=None)
    assert violations(job_posting(remote, "<p>We build things.</p>", URLS)) == [
        "applicantLocationRequirements: missing for a TELECOMMUTE job"
    ]
    assert [p.field for p in google_problems(remote)] == ["applicant_locations"]
    assert job_posting_markup(remote, "<p>We build things.</p>", URLS) == ""
    assert not_eligible([remote, posting()]) == (remote,)


def test_a_remote_job_with_an_office_names_the_office_countries():
    """The safe default: a remote job with places takes their countries as the applicants'."""
    remote = posting(
        remote="remote",
        location=[{"city": "Berlin", "country": "DE"}, {"city": "Vienna", "country": "AT"}],
    )
    data = json.loads(job_posting_markup(remote, "<p>We build things.</p>", URLS))
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "DE"},
        {"@type": "Country", "name": "AT"},
    ]
    assert violations(data) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "the posting has no description text below its frontmatter"),
        ("![](/logo.png)\n", "the posting has no description text below its frontmatter"),
        ("Backend engineer\n", "the description is only the title"),
    ],
)
def test_a_posting_without_a_real_description_gets_no_markup(body: str, message: str):
    bare = posting(body=body)
    (problem,) = google_problems(bare)
    assert problem.field == "description" and problem.message.startswith(message)
    assert job_posting_markup(bare, body, URLS) == ""
