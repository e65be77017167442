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
from functools import cache, lru_cache
from typing import Annotated, Any, Literal

from babel import Locale
from pydantic import (
    AfterValidator,
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

from site_gen.text import forbidden_problem, nfc

_ENGLISH = Locale("en")
HOURS_PER = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
WEB_URL = re.compile(r"^https?://[^\s/]+\.[^\s]*$", re.IGNORECASE)
# A path on this site: one leading slash (two, or a backslash, would make browsers leave it).
SITE_PATH = re.compile(r"^/(?![/\\])[^\s\\]*$")
# The limits of the posting format; docs/posting-format.md has them in a table, which a
# test compares with these.
MAX_TEXT_LENGTH = 500  # a title, a name, a place, a level
MAX_TAG_LENGTH = 60
MAX_SLUG_FIELD_LENGTH = 500  # the slug as given; the slug made of it has at most 80
MAX_PAGE_DESCRIPTION_LENGTH = 1000
MAX_SOURCE_LENGTH = 200  # an import's system:id
MAX_URL_LENGTH = 2000  # what browsers and search engines reliably handle
MAX_EMAIL_LENGTH = 254  # RFC 5321
MAX_EMAIL_LOCAL_LENGTH = 64  # RFC 5321, in bytes of UTF-8
MAX_AMOUNT = 10**12  # no salary is larger; a bigger number is a typo
# Where an imported posting came from: the system and its id for the job, e.g. greenhouse:123.
SOURCE = re.compile(r"^[a-z][a-z0-9-]*:\S+$")
FIRST_YEAR, LAST_YEAR = 1970, 2199  # outside these a date is a typo (0226-11-27, 20266-11-27)


# The ISO lists come from pycountry (Babel's territory list also holds regions such as EU
# and ZZ); the English names shown on the board come from Babel, which reads better.
# pycountry is imported when a code is first checked: commands that check none skip it.
@cache
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 country codes a posting may use."""
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def currency_codes() -> frozenset[str]:
    """The ISO 4217 currency codes a salary may use."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def load_checks() -> None:
    """Import what checking postings needs (pycountry's lists, email-validator) now: the
    worker processes forked afterwards share them instead of each importing its own."""
    country_codes()
    currency_codes()
    import email_validator  # noqa: F401


class EmploymentType(StrEnum):
    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    CONTRACT = "contract"
    TEMPORARY = "temporary"
    INTERN = "intern"
    VOLUNTEER = "volunteer"
    PER_DIEM = "per-diem"
    OTHER = "other"


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


def _allowed(value: Any) -> Any:
    """Refuse the characters no page may carry (``text.FORBIDDEN_CHARS``), in any field."""
    problem = forbidden_problem(value) if isinstance(value, str) else None
    if problem:
        raise ValueError(problem)
    return value


def _normal_text(value: Any) -> Any:
    """Allowed characters, in Unicode normal form C (``text.nfc``)."""
    value = _allowed(value)
    return nfc(value) if isinstance(value, str) else value


Number = Annotated[int | float, BeforeValidator(_number)]
# Text people read, compare and count: normalised before its length is counted.
Text = Annotated[
    StrictStr,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_LENGTH),
    BeforeValidator(_normal_text),
]
Url = Annotated[StrictStr, Field(max_length=MAX_URL_LENGTH), BeforeValidator(_allowed)]
Tag = Annotated[
    StrictStr, Field(min_length=1, max_length=MAX_TAG_LENGTH), BeforeValidator(_normal_text)
]
SlugField = Annotated[
    StrictStr, Field(max_length=MAX_SLUG_FIELD_LENGTH), BeforeValidator(_normal_text)
]


# The shape of one address, for what cannot run email-validator (the Post a job form in the
# browser): no spaces, quotes, brackets or the characters that make a mailto: link carry
# more (?, &, commas). The build's check is ``check_email``.
EMAIL = re.compile(
    r"^[^@\s<>\"'?&,;:()\[\]\\]+@[^@\s<>\"'?&,;:()\[\]\\]+\.[^@\s<>\"'?&,;:()\[\]\\]+$"
)


@lru_cache(maxsize=4096)  # a board's postings share a few addresses; a check costs 30 µs
def check_email(value: str) -> str:
    """One email address (an RFC 5322 addr-spec: no display name, no second address, no
    ``?header=``), normalised; checked by email-validator, which asks no DNS server."""
    # Imported here: it compiles its patterns on import, and a board without addresses
    # (or a command that checks none) need not wait for that.
    from email_validator import EmailNotValidError, validate_email

    try:
        address = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        reason = str(exc).rstrip(".")
        raise ValueError(
            f"expected one email address such as jobs@example.com, got {shown(value)} ({reason})"
        ) from None
    if len(address.local_part.encode("utf-8")) > MAX_EMAIL_LOCAL_LENGTH:
        raise ValueError(
            f"the part before the @ is longer than {MAX_EMAIL_LOCAL_LENGTH} bytes, "
            f"got {shown(value)}"
        )
    return address.normalized


Email = Annotated[
    StrictStr,
    Field(max_length=MAX_EMAIL_LENGTH),
    BeforeValidator(_allowed),
    AfterValidator(check_email),
]


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
    if not isinstance(code, str) or code not in country_codes():
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
        if code not in currency_codes():
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
    tags: tuple[Tag, ...] = ()
    apply_url: Url | None = None
    apply_email: Email | None = None
    draft: StrictBool = False
    slug: SlugField | None = None
    featured: StrictBool = False
    featured_until: PostingDate | None = None
    # ``source`` in the file (see ``_source``): ``Posting.source`` is the file itself.
    imported_from: str | None = None

    def is_featured(self, today: date) -> bool:
        """Featured on ``today``: ``featured: true`` and not past ``featured_until``."""
        return self.featured and (self.featured_until is None or today <= self.featured_until)

    @field_validator("apply_url")
    @classmethod
    def _apply_url(cls, value: str | None) -> str | None:
        return None if value is None else check_web_url(value)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """Tags as the author wrote them; one of two that differ only in case is kept (the
        first), so "PostgreSQL" and "postgresql" are one tag."""
        kept: dict[str, str] = {}
        for tag in value:
            text = tag.strip()
            if text:
                kept.setdefault(text.casefold(), text)
        return tuple(kept.values())

    @model_validator(mode="before")
    @classmethod
    def _source(cls, data: Any) -> Any:
        """The file's ``source`` (where an import took the posting from), checked here and
        kept as ``imported_from``."""
        if cls is not Frontmatter or not isinstance(data, dict):
            return data  # a ``Posting`` (from the build cache) has its own ``source``
        if "source" not in data and "imported_from" not in data:
            return data
        if "imported_from" in data:
            raise ValueError("imported_from: unknown field (a typo?); the field is source")
        value = data["source"]
        problem = forbidden_problem(value) if isinstance(value, str) else None
        if problem:
            raise ValueError(f"source: {problem}")
        if value is not None and not (
            isinstance(value, str) and len(value) <= MAX_SOURCE_LENGTH and SOURCE.match(value)
        ):
            raise ValueError(
                f"source: expected system:id such as greenhouse:4012345, got {shown(value)}"
            )
        return {**{k: v for k, v in data.items() if k != "source"}, "imported_from": value}

    @model_validator(mode="after")
    def _cross_fields(self) -> Frontmatter:
        if not self.location and self.remote != "remote":
            raise ValueError("location: at least one place is needed unless remote: remote")
        if self.applicant_locations and self.remote != "remote":
            raise ValueError("applicant_locations: only remote postings take applicant_locations")
        if not self.apply_url and not self.apply_email:
            raise ValueError("apply_url: give apply_url or apply_email so people can apply")
        if self.featured_until and not self.featured:
            raise ValueError("featured_until: only featured postings take featured_until")
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
    shown_digest: str = ""  # of what the posting's page shows (see ``validate.shown_digest``)


class Posting(Frontmatter):
    """A validated posting plus what the build derives from its file."""

    slug: str
    source: SourceRef
    summary: str  # plain text, for meta descriptions, listings and the search index

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.country for p in self.location))


class Page(BaseModel):
    """A standalone page from ``content/pages/*.md`` (e.g. About)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Text
    description: (
        Annotated[
            StrictStr,
            Field(max_length=MAX_PAGE_DESCRIPTION_LENGTH),
            BeforeValidator(_normal_text),
        ]
        | None
    ) = None
    slug: SlugField | None = None
    draft: StrictBool = False
    updated: PostingDate | None = None  # when the page last changed: the sitemap's lastmod
    # The theme's template for the page instead of page.html, e.g. post-a-job.html
    template: Annotated[StrictStr, Field(pattern=r"^[\w-]+\.html$")] | None = None


class ContentPage(BaseModel):
    """A page with its rendered body; pages are few, so their HTML is kept."""

    model_config = ConfigDict(frozen=True)

    meta: Page
    slug: str
    html: str
    source: SourceRef
