"""What an importer reads from a job board API: one ``ImportedJob`` per job, or a reason
why a job was left out. The three systems' readers share the helpers below to take typed
values out of JSON that may lack any field."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError

from site_gen.field_types import as_date, check_web_url
from site_gen.importers.places import parse_place, workplace_of
from site_gen.models import EmploymentType, Place, RemoteMode, Salary

# Each system's words for a kind of employment, folded to lower-case letters.
EMPLOYMENT_WORDS = {
    "fulltime": EmploymentType.FULL_TIME,
    "permanent": EmploymentType.FULL_TIME,
    "parttime": EmploymentType.PART_TIME,
    "contract": EmploymentType.CONTRACT,
    "contractor": EmploymentType.CONTRACT,
    "freelance": EmploymentType.CONTRACT,
    "temporary": EmploymentType.TEMPORARY,
    "temp": EmploymentType.TEMPORARY,
    "intern": EmploymentType.INTERN,
    "internship": EmploymentType.INTERN,
    "volunteer": EmploymentType.VOLUNTEER,
    "perdiem": EmploymentType.PER_DIEM,
}


@dataclass(frozen=True)
class ImportedJob:
    """One job as its system publishes it, in the posting format's terms."""

    system: str
    id: str
    title: str
    company: str
    apply_url: str
    date_posted: date
    description_html: str  # as the system gives it: sanitised when it is written
    places: tuple[Place, ...] = ()
    remote: RemoteMode = "onsite"
    employment_type: EmploymentType | None = None
    salary: Salary | None = None

    @property
    def source(self) -> str:
        return f"{self.system}:{self.id}"


@dataclass(frozen=True)
class Skipped:
    """A job that cannot be a posting, and why (shown in the import's report)."""

    source: str
    reason: str


@dataclass
class Reading:
    """The jobs of one response, and the ones left out."""

    jobs: list[ImportedJob] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def add(self, result: ImportedJob | Skipped) -> None:
        if isinstance(result, Skipped):
            self.skipped.append(result)
        else:
            self.jobs.append(result)


def text(data: Any, *keys: str) -> str | None:
    """The non-empty string at ``data[k1][k2]...``, or None."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return str(data)
    return data.strip() if isinstance(data, str) and data.strip() else None


def items(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def day_of(value: Any) -> date | None:
    """A date from an ISO 8601 string or from milliseconds since 1970 (Lever's createdAt)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000, tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    return as_date(value) if isinstance(value, str) else None


def employment_type(word: str | None) -> EmploymentType | None:
    if not word:
        return None
    folded = re.sub(r"[^a-z]", "", word.casefold())
    return EMPLOYMENT_WORDS.get(folded, EmploymentType.OTHER)


def web_url(*candidates: str | None) -> str | None:
    """The first candidate that is an http(s) URL."""
    for candidate in candidates:
        if candidate:
            try:
                return check_web_url(candidate)
            except ValueError:
                continue
    return None


def salary(low: Any, high: Any, currency: str | None, period: str | None) -> Salary | None:
    """A salary range, or None when the values do not make one."""
    if currency is None or period is None:
        return None
    amounts = {"min": low, "max": high} if low != high else {"value": low}
    try:
        return Salary.model_validate(
            {
                **{k: v for k, v in amounts.items() if v is not None},
                "currency": currency,
                "period": period,
            }
        )
    except ValidationError:
        return None


def places_of(texts: Iterable[str], country_hint: str | None = None) -> tuple[Place, ...]:
    """Each text's place (those with a country), without repeats."""
    found = (parse_place(t, country_hint) for t in texts)
    return tuple(dict.fromkeys(p for p in found if p is not None))


def workplace(declared: RemoteMode | None, texts: Iterable[str]) -> RemoteMode:
    """What the system declares, else what its location texts say, else on site."""
    if declared:
        return declared
    said = {workplace_of(t) for t in texts}
    return "remote" if "remote" in said else "hybrid" if "hybrid" in said else "onsite"


def unescaped(content: str | None) -> str:
    """Greenhouse sends its HTML escaped once (``&lt;p&gt;``)."""
    return html.unescape(content) if content else ""
