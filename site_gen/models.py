"""Typed models: the posting contract (validated frontmatter) and the pages around it.

``Frontmatter`` is the public contract of a posting file and rejects unknown keys.
``Posting`` adds what the build derives from the file (slug, source, summary); it is built
from an already validated ``Frontmatter``, never from raw input.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

import pycountry
from babel import Locale
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    StringConstraints,
    field_validator,
    model_validator,
)

_ENGLISH = Locale("en")
# The ISO lists come from pycountry (Babel's territory list also holds regions such as EU
# and ZZ); the English names shown on the board come from Babel, which reads better.
COUNTRIES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries)
CURRENCIES: frozenset[str] = frozenset(c.alpha_3 for c in pycountry.currencies)
HOURS_PER = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
WEB_URL = re.compile(r"^https?://[^\s/]+\.[^\s]*$", re.IGNORECASE)
# A path on this site: one leading slash (two, or a backslash, would make browsers leave it).
SITE_PATH = re.compile(r"^/(?![/\\])[^\s\\]*$")
MAX_URL_LENGTH = 2000  # what browsers and search engines reliably handle
MAX_EMAIL_LENGTH = 254  # RFC 5321
MAX_AMOUNT = 10**12  # no salary is larger; a bigger number is a typo
FIRST_YEAR, LAST_YEAR = 1970, 2199  # outside these a date is a typo (0226-11-27, 20266-11-27)


class EmploymentType(StrEnum):
    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    CONTRACT = "contract"
    TEMPORARY = "temporary"
    INTERN = "intern"
    VOLUNTEER = "volunteer"
    PER_DIEM = "per-diem"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


RemoteMode = Literal["onsite", "hybrid", "remote"]
SalaryPeriod = Literal["hour", "day", "week", "month", "year"]


def shown(value: object) -> str:
    """A value quoted in a message, cut short: a message stays one readable line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {shown(value)}")
    if abs(value) > MAX_AMOUNT or not math.isfinite(value):  # abs first: 10**400 is no float
        raise ValueError(f"expected a number up to {MAX_AMOUNT:,}, got {shown(value)}")
    return value


Number = Annotated[int | float, BeforeValidator(_number)]
Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Url = Annotated[StrictStr, Field(max_length=MAX_URL_LENGTH)]


def parse_date(value: Any) -> date:
    """Accept a YAML date, a datetime (the calendar day as written, whatever its time zone)
    or an ISO 8601 string such as ``2026-11-27`` or ``2026-11-27T23:30:00-08:00``."""
    day = _as_date(value)
    if day is None:
        raise ValueError(f"expected a date like 2026-11-27, got {shown(value)}")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(
            f"expected a date between {FIRST_YEAR} and {LAST_YEAR} like 2026-11-27, "
            f"got {shown(value)}"
        )
    return day


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()  # the day in the value's own time zone: the day the author wrote
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def country_name(code: str) -> str:
    """The English name of an ISO 3166-1 alpha-2 code, e.g. "US" -> "United States"."""
    name: str = _ENGLISH.territories[code]
    return name


def check_country(value: object) -> str:
    """Before pydantic's own check, so it sees what YAML made of the code (a bool, a number)."""
    if isinstance(value, bool):
        raise ValueError(
            f"expected a country code, got {str(value).lower()}: YAML reads NO, ON, YES and OFF "
            'as true/false, so quote the code, e.g. "NO"'
        )
    code = value.strip().upper() if isinstance(value, str) else value
    if not isinstance(code, str) or code not in COUNTRIES:
        raise ValueError(
            f"expected an ISO 3166-1 alpha-2 country code such as US or DE, got {shown(value)}"
        )
    return code


def check_web_url(value: str) -> str:
    """An absolute http(s) URL: the only kind a posting may link to (no ``javascript:``)."""
    if not WEB_URL.match(value.strip()):
        raise ValueError(
            f"expected an http(s) URL such as https://example.com/apply, got {shown(value)}"
        )
    return value.strip()


PostingDate = Annotated[date, BeforeValidator(parse_date)]
Country = Annotated[StrictStr, BeforeValidator(check_country)]


class Company(BaseModel):
    """The hiring organisation. A plain string in the frontmatter is shorthand for its name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Text
    url: Url | None = None
    logo: Url | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else check_web_url(value)

    @field_validator("logo")
    @classmethod
    def _logo(cls, value: str | None) -> str | None:
        if value is None or SITE_PATH.match(value):
            return value
        return check_web_url(value)


class Place(BaseModel):
    """A work location; ``country`` is required so Google can place the job."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    city: Text | None = None
    region: Text | None = None
    country: Country
    street_address: Text | None = None
    postal_code: Text | None = None

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def label(self) -> str:
        return ", ".join(p for p in (self.city, self.region, self.country_name) if p)


class Salary(BaseModel):
    """Pay as a range (``min``/``max``) or a single ``value``, in one currency and period."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min: Number | None = Field(default=None, ge=0)
    max: Number | None = Field(default=None, ge=0)
    value: Number | None = Field(default=None, ge=0)
    currency: StrictStr
    period: SalaryPeriod = "year"

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in CURRENCIES:
            raise ValueError(
                f"expected an ISO 4217 currency code such as USD or EUR, got {shown(value)}"
            )
        return code

    @model_validator(mode="after")
    def _amounts(self) -> Salary:
        if self.value is not None and (self.min is not None or self.max is not None):
            raise ValueError("give either value or min/max, not both")
        if self.value is None and self.min is None and self.max is None:
            raise ValueError("expected value, or min and max, e.g. {min: 50000, max: 70000}")
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(
                f"max: must be at least salary.min ({_num(self.max)} < {_num(self.min)})"
            )
        return self

    @property
    def low(self) -> float:
        # Plain conditionals: called for every posting on every listing and in the index.
        return float(self.value if self.value is not None else _first(self.min, self.max))

    @property
    def high(self) -> float:
        return float(self.value if self.value is not None else _first(self.max, self.min))

    @property
    def annual_low(self) -> float:
        return self.low * HOURS_PER[self.period]

    @property
    def annual_high(self) -> float:
        return self.high * HOURS_PER[self.period]


def _first(a: float | None, b: float | None) -> float:
    """The first of two amounts that is given (a salary always has one)."""
    if a is not None:
        return a
    assert b is not None
    return b


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _company(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


class Frontmatter(BaseModel):
    """The posting file's frontmatter: the public contract documented in the README."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Text
    company: Annotated[Company, BeforeValidator(_company)]
    date_posted: PostingDate
    valid_through: PostingDate | None = None
    employment_type: Annotated[
        tuple[EmploymentType, ...], BeforeValidator(_one_or_many), Field(min_length=1)
    ] = (EmploymentType.FULL_TIME,)
    location: tuple[Place, ...] = ()
    remote: RemoteMode = "onsite"
    applicant_locations: tuple[Country, ...] = ()
    salary: Salary | None = None
    experience_level: Text | None = None
    tags: tuple[Annotated[StrictStr, Field(min_length=1, max_length=60)], ...] = ()
    apply_url: Url | None = None
    apply_email: Annotated[StrictStr, Field(max_length=MAX_EMAIL_LENGTH)] | None = None
    draft: StrictBool = False
    slug: Annotated[StrictStr, Field(max_length=500)] | None = None

    @field_validator("apply_url")
    @classmethod
    def _apply_url(cls, value: str | None) -> str | None:
        return None if value is None else check_web_url(value)

    @field_validator("apply_email")
    @classmethod
    def _apply_email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.match(value.strip()):
            raise ValueError(
                f"expected an email address such as jobs@example.com, got {shown(value)}"
            )
        return value.strip() if value else value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.strip().lower() for t in value if t.strip()))

    @model_validator(mode="after")
    def _cross_fields(self) -> Frontmatter:
        if not self.location and self.remote != "remote":
            raise ValueError("location: at least one place is needed unless remote: remote")
        if self.applicant_locations and self.remote != "remote":
            raise ValueError("applicant_locations: only remote postings take applicant_locations")
        if not self.apply_url and not self.apply_email:
            raise ValueError("apply_url: give apply_url or apply_email so people can apply")
        if self.valid_through and self.valid_through < self.date_posted:
            raise ValueError(
                f"valid_through: must not be before date_posted "
                f"({self.valid_through} < {self.date_posted})"
            )
        return self


class SourceRef(BaseModel):
    """Where a posting came from, so its body can be read again when its page is rendered."""

    model_config = ConfigDict(frozen=True)

    path: str  # relative to the board root, as shown in messages
    body_line: int  # 1-based line where the markdown body starts
    digest: str  # sha256 of the whole file, for caching


class Posting(Frontmatter):
    """A validated posting plus what the build derives from its file."""

    slug: str
    source: SourceRef
    summary: str  # plain text, for meta descriptions, listings and the search index

    @property
    def employment_labels(self) -> tuple[str, ...]:
        return tuple(t.label for t in self.employment_type)

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.country for p in self.location))


class Page(BaseModel):
    """A standalone page from ``content/pages/*.md`` (e.g. About)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Text
    description: Annotated[StrictStr, Field(max_length=1000)] | None = None
    slug: Annotated[StrictStr, Field(max_length=500)] | None = None
    draft: StrictBool = False
    updated: PostingDate | None = None  # when the page last changed: the sitemap's lastmod


class ContentPage(BaseModel):
    """A page with its rendered body; pages are few, so their HTML is kept."""

    model_config = ConfigDict(frozen=True)

    meta: Page
    slug: str
    html: str
    source: SourceRef
