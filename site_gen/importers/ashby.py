"""Ashby's job posting API: ``GET /posting-api/job-board/{name}?includeCompensation=true``.

A response is ``{"apiVersion": "1", "jobs": [...]}``; each job has ``id``, ``title``,
``location``, ``secondaryLocations[]`` (``location``, ``address``), ``address.postalAddress``
(``addressLocality``, ``addressRegion``, ``addressCountry``), ``isRemote``,
``workplaceType`` (``OnSite``, ``Remote``, ``Hybrid``), ``employmentType`` (``FullTime``,
``PartTime``, ``Intern``, ``Contract``, ``Temporary``), ``isListed``, ``publishedAt``,
``jobUrl``, ``applyUrl``, ``descriptionHtml`` and, with compensation asked for,
``compensation`` (``summaryComponents`` and ``compensationTiers[].components``, each with
``compensationType``, ``interval`` such as ``1 YEAR``, ``currencyCode``, ``minValue``,
``maxValue``).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from site_gen.importers.jobs import (
    ImportedJob,
    Reading,
    Skipped,
    day_of,
    employment_type,
    items,
    places_of,
    salary,
    text,
    web_url,
    workplace,
)
from site_gen.importers.places import country_code
from site_gen.models import Place, RemoteMode, Salary

BASE_URL = "https://api.ashbyhq.com"
WORKPLACES: dict[str, RemoteMode] = {"onsite": "onsite", "remote": "remote", "hybrid": "hybrid"}
INTERVALS = {
    "1 YEAR": "year",
    "1 MONTH": "month",
    "1 WEEK": "week",
    "1 DAY": "day",
    "1 HOUR": "hour",
}


def url(base: str, name: str) -> str:
    return f"{base}/posting-api/job-board/{quote(name, safe='')}?includeCompensation=true"


def read(data: Any, company: str | None, name: str, today: date) -> Reading:
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise ValueError('expected an object with a "jobs" list')
    reading = Reading()
    for job in data["jobs"]:
        if isinstance(job, dict) and job.get("isListed") is False:
            continue
        reading.add(_job(job, company or name, today))
    return reading


def _job(job: Any, company: str, today: date) -> ImportedJob | Skipped:
    job_url = text(job, "jobUrl")
    # The documented example has no id; the job's URL ends with it.
    job_id = text(job, "id") or (job_url.rstrip("/").rsplit("/", 1)[-1] if job_url else None)
    source = f"ashby:{job_id or '?'}"
    title = text(job, "title")
    apply_url = web_url(text(job, "applyUrl"), job_url)
    if job_id is None or title is None or apply_url is None:
        return Skipped(source, "no id, title or applyUrl")
    texts = [text(job, "location") or ""] + [
        text(s, "location") or "" for s in items(job, "secondaryLocations")
    ]
    addresses = [
        job.get("address"),
        *(s.get("address") for s in items(job, "secondaryLocations") if isinstance(s, dict)),
    ]
    places = tuple(dict.fromkeys(p for p in map(_address_place, addresses) if p))
    declared = WORKPLACES.get((text(job, "workplaceType") or "").replace("-", "").casefold())
    if declared is None and job.get("isRemote") is True:
        declared = "remote"
    return ImportedJob(
        system="ashby",
        id=job_id,
        title=title,
        company=company,
        apply_url=apply_url,
        date_posted=day_of(job.get("publishedAt")) or today,
        description_html=text(job, "descriptionHtml") or "",
        places=places or places_of(t for t in texts if t),
        remote=workplace(declared, texts),
        employment_type=employment_type(text(job, "employmentType")),
        salary=_salary(job.get("compensation")),
    )


def _address_place(address: Any) -> Place | None:
    """A schema.org PostalAddress (under ``postalAddress``, or the address itself)."""
    postal = address.get("postalAddress", address) if isinstance(address, dict) else None
    country = country_code(text(postal, "addressCountry") or "")
    if country is None:
        return None
    return Place(
        city=text(postal, "addressLocality"), region=text(postal, "addressRegion"), country=country
    )


def _salary(compensation: Any) -> Salary | None:
    """The salary of the summary, else of the first tier that has one."""
    groups = [items(compensation, "summaryComponents")] + [
        items(tier, "components") for tier in items(compensation, "compensationTiers")
    ]
    for components in groups:
        for part in components:
            if text(part, "compensationType") == "Salary":
                found = salary(
                    part.get("minValue"),
                    part.get("maxValue"),
                    text(part, "currencyCode"),
                    INTERVALS.get(text(part, "interval") or ""),
                )
                if found:
                    return found
    return None
