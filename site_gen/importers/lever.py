"""Lever's Postings API: ``GET /v0/postings/{site}?mode=json`` (EU boards: api.eu.lever.co).

A response is a JSON list of postings; each has ``id``, ``text`` (the title),
``categories`` (``location``, ``allLocations``, ``commitment``, ``team``, ``department``),
``country`` (ISO 3166-1 alpha-2 or null), ``workplaceType`` (``on-site``, ``remote``,
``hybrid``, ``unspecified``), ``createdAt`` (ms since 1970), ``hostedUrl``, ``applyUrl``,
``description``, ``lists`` (``{text, content}``, content being ``<li>`` elements),
``additional`` and, optionally, ``salaryRange`` (``currency``, ``interval``, ``min``, ``max``).
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any
from urllib.parse import quote

from site_gen.field_types import country_codes
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
from site_gen.models import RemoteMode

BASE_URL = "https://api.lever.co"
WORKPLACES: dict[str, RemoteMode] = {"on-site": "onsite", "remote": "remote", "hybrid": "hybrid"}
INTERVALS = {
    "per-year-salary": "year",
    "per-month-salary": "month",
    "per-week-salary": "week",
    "per-day-wage": "day",
    "per-hour-wage": "hour",
}


def url(base: str, name: str) -> str:
    return f"{base}/v0/postings/{quote(name, safe='')}?mode=json"


def read(data: Any, company: str | None, name: str, today: date) -> Reading:
    if not isinstance(data, list):
        raise ValueError("expected a list of postings")
    reading = Reading()
    for job in data:
        reading.add(_job(job, company or name, today))
    return reading


def _job(job: Any, company: str, today: date) -> ImportedJob | Skipped:
    job_id = text(job, "id")
    source = f"lever:{job_id or '?'}"
    title = text(job, "text")
    apply_url = web_url(text(job, "applyUrl"), text(job, "hostedUrl"))
    if job_id is None or title is None or apply_url is None:
        return Skipped(source, "no id, text or applyUrl")
    categories = job.get("categories") if isinstance(job.get("categories"), dict) else {}
    where = [t for t in items(categories, "allLocations") if isinstance(t, str) and t.strip()]
    where = where or [t for t in [text(categories, "location")] if t]
    country = (text(job, "country") or "").upper()
    pay = job.get("salaryRange")
    return ImportedJob(
        system="lever",
        id=job_id,
        title=title,
        company=company,
        apply_url=apply_url,
        date_posted=day_of(job.get("createdAt")) or today,
        description_html=_description(job),
        places=places_of(where, country if country in country_codes() else None),
        remote=workplace(WORKPLACES.get(text(job, "workplaceType") or ""), where),
        employment_type=employment_type(text(categories, "commitment")),
        salary=salary(
            pay.get("min"),
            pay.get("max"),
            text(pay, "currency"),
            INTERVALS.get(text(pay, "interval") or ""),
        )
        if isinstance(pay, dict)
        else None,
    )


def _description(job: Any) -> str:
    """The description, each extra list under its heading, and the closing text."""
    parts = [text(job, "description") or ""]
    for entry in items(job, "lists"):
        heading, content = text(entry, "text"), text(entry, "content")
        if content:
            parts.append(f"<h3>{html.escape(heading or '')}</h3><ul>{content}</ul>")
    parts.append(text(job, "additional") or "")
    return "\n".join(p for p in parts if p)
