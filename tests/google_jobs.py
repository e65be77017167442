"""Google's documented rules for JobPosting structured data, checked on parsed JSON-LD.

Written from Google Search Central's "Job posting structured data" page, independently of
``site_gen.structured_data``, so that the tests compare the build against the rules rather
than against itself. ``violations`` lists what makes Google reject the markup (required
properties); ``missing_recommended`` what Google recommends and the markup lacks.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from lxml import html as lxml_html

REQUIRED = ("datePosted", "description", "hiringOrganization", "title")  # + jobLocation or remote
RECOMMENDED = (
    "applicantLocationRequirements",  # for fully remote jobs
    "baseSalary",
    "directApply",
    "employmentType",
    "identifier",
    "jobLocationType",  # for fully remote jobs
    "validThrough",
)
EMPLOYMENT_TYPES = {
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
}
SALARY_UNITS = {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}


def violations(data: Any) -> list[str]:
    """Every reason Google would reject this JobPosting (empty: eligible)."""
    if not isinstance(data, dict) or data.get("@type") != "JobPosting":
        return ["not a JobPosting object"]
    found = [f"{name}: missing" for name in REQUIRED if not data.get(name)]
    if not str(data.get("@context", "")).rstrip("/").endswith("schema.org"):
        found.append("@context: not schema.org")
    title, description = data.get("title"), data.get("description")
    if description and _text(str(description)).casefold() == str(title).strip().casefold():
        found.append("description: the same as the title")
    if data.get("datePosted") and not _iso_date(data["datePosted"]):
        found.append("datePosted: not ISO 8601")
    organization = data.get("hiringOrganization")
    if organization and not (isinstance(organization, dict) and organization.get("name")):
        found.append("hiringOrganization: no name")
    found += _location_violations(data)
    if "validThrough" in data:
        through, posted = _iso_date(data["validThrough"]), _iso_date(data.get("datePosted"))
        if not through:
            found.append("validThrough: not ISO 8601")
        elif posted and through < posted:
            found.append("validThrough: before datePosted")
    if "baseSalary" in data:
        found += _salary_violations(data["baseSalary"])
    types = data.get("employmentType", [])
    for kind in [types] if isinstance(types, str) else types:
        if kind not in EMPLOYMENT_TYPES:
            found.append(f"employmentType: {kind!r} is not one of Google's values")
    if "directApply" in data and not isinstance(data["directApply"], bool):
        found.append("directApply: not a boolean")
    identifier = data.get("identifier")
    if identifier is not None and not (
        isinstance(identifier, dict) and identifier.get("name") and identifier.get("value")
    ):
        found.append("identifier: not a PropertyValue with name and value")
    return found


def missing_recommended(data: dict[str, Any]) -> set[str]:
    """Google's recommended properties the markup lacks (the remote ones only for remote jobs)."""
    remote = data.get("jobLocationType") == "TELECOMMUTE"
    wanted = [
        name
        for name in RECOMMENDED
        if remote or name not in {"applicantLocationRequirements", "jobLocationType"}
    ]
    return {name for name in wanted if name not in data}


def _location_violations(data: dict[str, Any]) -> list[str]:
    found = []
    places = _as_list(data.get("jobLocation"))
    for place in places:
        address = place.get("address") if isinstance(place, dict) else None
        if not isinstance(address, dict) or not re.fullmatch(
            r"[A-Z]{2}", str(address.get("addressCountry", ""))
        ):
            found.append("jobLocation: a Place whose address has no addressCountry")
    if data.get("jobLocationType") == "TELECOMMUTE":
        countries = _as_list(data.get("applicantLocationRequirements"))
        if not countries:
            found.append("applicantLocationRequirements: missing for a TELECOMMUTE job")
        for area in countries:
            if not (isinstance(area, dict) and area.get("@type") in {"Country", "State"}):
                found.append("applicantLocationRequirements: not a Country or State")
            elif not area.get("name"):
                found.append("applicantLocationRequirements: a Country without a name")
    elif not places:
        found.append("jobLocation: missing (and the job is not TELECOMMUTE)")
    return found


def _salary_violations(salary: Any) -> list[str]:
    if not isinstance(salary, dict) or salary.get("@type") != "MonetaryAmount":
        return ["baseSalary: not a MonetaryAmount"]
    found = []
    if not re.fullmatch(r"[A-Z]{3}", str(salary.get("currency", ""))):
        found.append("baseSalary: no ISO 4217 currency")
    value = salary.get("value")
    if not isinstance(value, dict) or value.get("@type") != "QuantitativeValue":
        return [*found, "baseSalary.value: not a QuantitativeValue"]
    if value.get("unitText") not in SALARY_UNITS:
        found.append("baseSalary.value.unitText: not HOUR, DAY, WEEK, MONTH or YEAR")
    amounts = [value.get(k) for k in ("value", "minValue", "maxValue") if k in value]
    if not amounts or not all(
        isinstance(a, int | float) and not isinstance(a, bool) and a >= 0 for a in amounts
    ):
        found.append("baseSalary.value: no amount")
    return found


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _iso_date(value: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _text(fragment: str) -> str:
    return " ".join(
        lxml_html.fragment_fromstring(fragment, create_parent="div").text_content().split()
    )
