"""Typed models: the posting contract (validated frontmatter) and the pages around it.

``Frontmatter`` is the public contract of a posting file and rejects unknown keys.
``Posting`` adds what the build derives from the file (slug, source, summary); it is built
from an already validated ``Frontmatter``, never from raw input. Their fields' types and
checks (text, URLs, emails, dates, countries, amounts) are ``field_types``'s.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    field_validator,
    model_validator,
)

from site_gen.field_types import (
    MAX_PAGE_DESCRIPTION_LENGTH,
    MAX_SOURCE_LENGTH,
    SITE_PATH,
    SOURCE,
    Country,
    Email,
    Number,
    PostingDate,
    SlugField,
    Tag,
    Text,
    Url,
    check_web_url,
    country_name,
    currency_codes,
    normal_text,
    shown,
)
from site_gen.text import forbidden_problem

HOURS_PER = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}


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
            BeforeValidator(normal_text),
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
