"""Greenhouse's Job Board API: ``GET /v1/boards/{board_token}/jobs?content=true``.

A response is ``{"jobs": [...], "meta": {"total": N}}``; each job has ``id``, ``title``,
``absolute_url``, ``location.name``, ``offices[].location``, ``updated_at``,
``first_published``, ``company_name``, ``metadata`` (custom fields, may be null) and, with
``content=true``, ``content``: the description as HTML escaped once. The list has no pay.
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
    text,
    unescaped,
    web_url,
    workplace,
)

BASE_URL = "https://boards-api.greenhouse.io"


def url(base: str, name: str) -> str:
    return f"{base}/v1/boards/{quote(name, safe='')}/jobs?content=true"


def read(data: Any, company: str | None, name: str, today: date) -> Reading:
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise ValueError('expected an object with a "jobs" list')
    reading = Reading()
    for job in data["jobs"]:
        reading.add(_job(job, company, name, today))
    return reading


def _job(job: Any, company: str | None, name: str, today: date) -> ImportedJob | Skipped:
    job_id = text(job, "id")
    source = f"greenhouse:{job_id or '?'}"
    title = text(job, "title")
    apply_url = web_url(text(job, "absolute_url"))
    if job_id is None or title is None or apply_url is None:
        return Skipped(source, "no id, title or absolute_url")
    location = text(job, "location", "name") or ""
    offices = [text(o, "location") or text(o, "name") or "" for o in items(job, "offices")]
    where = [part.strip() for part in location.replace("|", ";").split(";") if part.strip()]
    places = places_of(where) or places_of(o for o in offices if o)
    return ImportedJob(
        system="greenhouse",
        id=job_id,
        title=title,
        company=company or text(job, "company_name") or name,
        apply_url=apply_url,
        date_posted=day_of(job.get("first_published")) or day_of(job.get("updated_at")) or today,
        description_html=unescaped(text(job, "content")),
        places=places,
        remote=workplace(None, [location]),
        employment_type=employment_type(_metadata(job, "employment type", "commitment")),
    )


def _metadata(job: Any, *names: str) -> str | None:
    """A custom field's text value, by its name (Greenhouse has no standard one)."""
    for entry in items(job, "metadata"):
        if (text(entry, "name") or "").casefold() in names:
            return text(entry, "value")
    return None
