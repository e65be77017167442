"""schema.org ``JobPosting`` JSON-LD for Google for Jobs, and its safe embedding in HTML.

Follows Google's JobPosting rules: required title, description (HTML), datePosted,
hiringOrganization and jobLocation (or TELECOMMUTE with applicantLocationRequirements);
recommended validThrough, baseSalary, employmentType, identifier and directApply.

A posting the model accepts but Google would reject (``google_problems``: a fully remote
job with no country, a description with no text or only the title) gets no markup at all:
its page is built, ``sitegen check`` and ``sitegen build`` warn, and ``--strict`` fails. Markup
Google rejects would only earn the board errors in Search Console; no default could stand in
for a country or a description the employer did not give.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

from site_gen.models import Place, Posting, Salary
from site_gen.urls import SiteUrls, posting_route

EMPLOYMENT_TYPES = {
    "full-time": "FULL_TIME",
    "part-time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "intern": "INTERN",
    "volunteer": "VOLUNTEER",
    "per-diem": "PER_DIEM",
    "other": "OTHER",
}


NOT_ELIGIBLE = "not eligible for Google for Jobs, so its page has no JobPosting markup"


@dataclass(frozen=True)
class GoogleProblem:
    """Why Google for Jobs would reject a posting's markup: the frontmatter field to fix
    (``description`` for the body) and what to do."""

    field: str
    message: str


def google_problems(posting: Posting) -> tuple[GoogleProblem, ...]:
    """What keeps a posting out of Google for Jobs (empty: it is eligible).

    Title, company, date posted and a country for every place are already required by the
    posting format, and employment type, identifier and directApply always have values.
    """
    problems = []
    if posting.remote == "remote" and not posting.location and not posting.applicant_locations:
        problems.append(
            GoogleProblem(
                "applicant_locations",
                "a fully remote job needs the countries applicants may live in "
                "(Google requires applicantLocationRequirements with TELECOMMUTE), "
                "e.g. applicant_locations: [US, CA]",
            )
        )
    if not posting.summary:
        problems.append(
            GoogleProblem(
                "description",
                "the posting has no description text below its frontmatter; Google requires "
                "the job's full description",
            )
        )
    elif posting.summary.casefold() == posting.title.casefold():
        problems.append(
            GoogleProblem(
                "description",
                "the description is only the title; Google requires the job's full description",
            )
        )
    return tuple(problems)


def not_eligible(postings: Iterable[Posting]) -> tuple[Posting, ...]:
    """The postings whose pages carry no JobPosting markup because Google would reject it."""
    return tuple(p for p in postings if google_problems(p))


def job_posting_markup(posting: Posting, description_html: str, urls: SiteUrls) -> str:
    """The posting page's JSON-LD (for inside ``<script>``), or "" when Google would reject it."""
    if google_problems(posting):
        return ""
    # The description is most of the markup: it is written on its own by ``script_text``,
    # in place of the empty one (the first "description" key: the title before it is a
    # JSON string, in which a quote is always escaped).
    head, empty, tail = script_json(job_posting(posting, "", urls)).partition(NO_DESCRIPTION)
    assert empty, "job_posting has a description"
    return f'{head}"description":{script_text(description_html)}{tail}'


NO_DESCRIPTION = '"description":""'


def job_posting(posting: Posting, description_html: str, urls: SiteUrls) -> dict[str, Any]:
    """The JobPosting object for one published (not expired) posting."""
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": description_html,
        "datePosted": posting.date_posted.isoformat(),
        "hiringOrganization": organization(posting, urls),
        "employmentType": _employment_type(posting),
        "identifier": {
            "@type": "PropertyValue",
            "name": posting.company.name,
            "value": posting.slug,
        },
        "url": urls.absolute(posting_route(posting.slug)),
        "directApply": False,
    }
    if posting.valid_through:
        data["validThrough"] = f"{posting.valid_through.isoformat()}T23:59:59"
    if posting.location:
        data["jobLocation"] = [place(p) for p in posting.location]
    if posting.remote == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        countries = posting.applicant_locations or posting.countries
        if countries:
            data["applicantLocationRequirements"] = [
                {"@type": "Country", "name": code} for code in countries
            ]
    if posting.salary:
        data["baseSalary"] = base_salary(posting.salary)
    if posting.experience_level:
        data["experienceRequirements"] = posting.experience_level
    if posting.tags:
        data["skills"] = ", ".join(posting.tags)
    return data


def organization(posting: Posting, urls: SiteUrls) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "Organization", "name": posting.company.name}
    if posting.company.url:
        org["sameAs"] = posting.company.url
    if posting.company.logo:
        org["logo"] = urls.absolute_link(posting.company.logo)
    return org


def place(location: Place) -> dict[str, Any]:
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": location.country}
    if location.street_address:
        address["streetAddress"] = location.street_address
    if location.city:
        address["addressLocality"] = location.city
    if location.region:
        address["addressRegion"] = location.region
    if location.postal_code:
        address["postalCode"] = location.postal_code
    return {"@type": "Place", "address": address}


def base_salary(salary: Salary) -> dict[str, Any]:
    value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": salary.period.upper()}
    if salary.value is not None:
        value["value"] = salary.value
    else:
        if salary.min is not None:
            value["minValue"] = salary.min
        if salary.max is not None:
            value["maxValue"] = salary.max
    return {"@type": "MonetaryAmount", "currency": salary.currency, "value": value}


def _employment_type(posting: Posting) -> str | list[str]:
    kinds = [EMPLOYMENT_TYPES[t.value] for t in posting.employment_type]
    return kinds[0] if len(kinds) == 1 else kinds


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, ``<!--`` or line separators."""
    # allow_nan=False: NaN and Infinity are not JSON (validation never lets them through).
    text = json.dumps(
        data, ensure_ascii=False, separators=(",", ":"), sort_keys=False, allow_nan=False
    )
    return _script_safe(text)


def script_text(text: str) -> str:
    """``script_json(text)`` of a string, quicker for long ASCII text."""
    if text.isascii() and "\x7f" not in text:
        # JSON's ASCII-only encoder, about twice as fast, escapes exactly the same
        # characters in such text (the other keeps DEL as it is), and leaves no line
        # separator to escape.
        return _script_markup(encode_basestring_ascii(text))
    return _script_safe(encode_basestring(text))


def _script_safe(text: str) -> str:
    """JSON text with what could end a ``<script>`` (or open a comment) escaped."""
    return _script_markup(text).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script_markup(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
