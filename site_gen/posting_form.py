"""The posting format's rules for the "Post a job" form, made from the models themselves.

The form (``post-a-job.html`` and ``post-a-job.js`` in the theme) checks a posting in the
browser as ``sitegen check`` does. So that the two never drift apart, nothing here is copied
by hand: which fields exist and which are required, their lengths and choices, come from the
JSON schema pydantic derives from ``models.Frontmatter``; the checks written as code in the
models (URL and email patterns, the year range, the largest amount) are their constants. The
template shows the choices (country and currency names in the board's language) and embeds
the rest as JSON for the script.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args

from babel import Locale

from site_gen.config import SiteConfig
from site_gen.field_types import (
    EMAIL,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_AMOUNT,
    SITE_PATH,
    WEB_URL,
    country_codes,
    country_name,
    currency_codes,
)
from site_gen.models import EmploymentType, Frontmatter, RemoteMode, SalaryPeriod
from site_gen.text import FORBIDDEN_CHARS

# Top-level fields in the order the form writes them (the README's order).
FORM_FIELDS = (
    "title",
    "company",
    "date_posted",
    "valid_through",
    "employment_type",
    "location",
    "remote",
    "applicant_locations",
    "salary",
    "experience_level",
    "tags",
    "apply_url",
    "apply_email",
    "draft",
    "slug",
)
# Fields the board's maintainers set, not the employer (issue 15: imports and featured
# postings): the form leaves them out.
BOARD_FIELDS = frozenset({"source", "featured", "featured_until", "imported_from"})
ISSUE_TEMPLATE = "post-a-job.yml"  # the issue form `sitegen init` writes
# The ids of that issue form's fields, each the posting field it fills, in its value format
# (``sitegen new --from-issue`` reads them back): plain text, lists separated by commas, one
# place a line as ``City, Region, Country``. Posting fields the issue form has no field for
# are named in ``ISSUE_LEAVES_OUT``; the page says that the issue leaves them out (the
# date posted is the issue's own date).
ISSUE_FIELDS = (
    "title",
    "company",
    "company_url",
    "employment_type",
    "remote",
    "location",
    "applicant_locations",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "experience_level",
    "tags",
    "apply_url",
    "apply_email",
    "valid_through",
    "description",
)
ISSUE_LEAVES_OUT = (
    "company.logo",
    "location.street_address",
    "location.postal_code",
    "slug",
    "draft",
)
# GitHub answers longer "new issue" links with an error; longer postings are pasted instead.
MAX_ISSUE_LINK = 8000


@dataclass(frozen=True)
class Choice:
    """One option of a picker: the value written to the file, the name shown."""

    value: str
    label: str


@dataclass(frozen=True)
class FieldRule:
    """What the schema says of one field (``company.name``, ``location.country``...)."""

    required: bool = False
    max_length: int | None = None  # of the text, or of each item of a list
    choices: tuple[str, ...] = ()
    default: Any = None


@dataclass(frozen=True)
class PostingForm:
    """What the form's template shows, and ``rules``, the JSON its script checks with."""

    countries: tuple[Choice, ...]
    currencies: tuple[Choice, ...]
    employment_types: tuple[str, ...]
    remote_modes: tuple[str, ...]
    periods: tuple[str, ...]
    fields: dict[str, FieldRule]
    rules: str

    def default(self, field: str) -> Any:
        return self.fields[field].default


def posting_form(config: SiteConfig) -> PostingForm:
    """The form for this board: its language's names, its repository and email address."""
    return _posting_form(config.language, config.repository, config.email)


@cache
def _posting_form(language: str, repository: str | None, email: str | None) -> PostingForm:
    fields = field_rules()
    rules = {
        "fields": {
            name: {"required": rule.required, "maxLength": rule.max_length}
            for name, rule in fields.items()
        },
        "order": FORM_FIELDS,
        "patterns": {
            "email": _pattern(EMAIL.pattern, EMAIL.flags),
            "webUrl": _pattern(WEB_URL.pattern, WEB_URL.flags),
            "sitePath": _pattern(SITE_PATH.pattern, SITE_PATH.flags),
            "forbidden": {"source": _escaped(FORBIDDEN_CHARS.pattern), "flags": "u"},
        },
        "maxAmount": MAX_AMOUNT,
        "years": [FIRST_YEAR, LAST_YEAR],
        "repository": repository,
        "email": email,
        "issueTemplate": ISSUE_TEMPLATE,
        "issueFields": ISSUE_FIELDS,
        "issueLeavesOut": ISSUE_LEAVES_OUT,
        "maxIssueLink": MAX_ISSUE_LINK,
    }
    return PostingForm(
        countries=country_choices(language),
        currencies=currency_choices(language),
        employment_types=tuple(t.value for t in EmploymentType),
        remote_modes=get_args(RemoteMode),
        periods=get_args(SalaryPeriod),
        fields=fields,
        rules=json.dumps(rules, ensure_ascii=False, separators=(",", ":")),
    )


def field_rules() -> dict[str, FieldRule]:
    """Every field of the posting format by its dotted name, from the models' JSON schema."""
    schema = Frontmatter.model_json_schema()
    found: dict[str, FieldRule] = {}
    _walk(schema, schema, "", found)
    return found


def _walk(
    schema: dict[str, Any], node: dict[str, Any], prefix: str, found: dict[str, FieldRule]
) -> None:
    required = set(node.get("required", ()))
    for name, spec in node["properties"].items():
        if name in BOARD_FIELDS and not prefix:
            continue
        path = f"{prefix}{name}"
        value = _resolve(schema, spec)
        items = _resolve(schema, value["items"]) if value.get("type") == "array" else None
        nested = items if items is not None and "properties" in items else value
        if "properties" in nested:
            found[path] = FieldRule(required=name in required)
            _walk(schema, nested, f"{path}.", found)
            continue
        text = items if items is not None else value
        found[path] = FieldRule(
            required=name in required,
            max_length=text.get("maxLength"),
            choices=tuple(text.get("enum", ())),
            default=spec.get("default"),
        )


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """A field's own schema: ``$ref`` followed, the ``null`` of an optional field dropped."""
    if "$ref" in spec:
        return _resolve(schema, schema["$defs"][spec["$ref"].rsplit("/", 1)[-1]])
    options = [s for s in spec.get("anyOf", ()) if s.get("type") != "null"]
    if len(options) == 1:
        return {**spec, **_resolve(schema, options[0])}
    return spec


def _pattern(source: str, flags: int) -> dict[str, str]:
    """A Python pattern for JavaScript's RegExp (the models' patterns use the common syntax)."""
    return {"source": source, "flags": "i" if flags & re.IGNORECASE else ""}


def _escaped(pattern: str) -> str:
    """A character-class pattern with every character beyond printable ASCII as a ``\\u{...}``
    escape: JavaScript reads it (with the ``u`` flag), and JSON can carry lone surrogates."""
    return "".join(c if " " <= c <= "~" else f"\\u{{{ord(c):x}}}" for c in pattern)


def country_choices(language: str) -> tuple[Choice, ...]:
    """Every country the build accepts, named in the board's language, by name."""
    names = Locale.parse(language.replace("-", "_")).territories
    choices = (Choice(code, names.get(code) or country_name(code)) for code in country_codes())
    return tuple(sorted(choices, key=lambda c: _sort_key(c.label)))


def currency_choices(language: str) -> tuple[Choice, ...]:
    """Every currency the build accepts, named in the board's language, by name."""
    names = Locale.parse(language.replace("-", "_")).currencies
    choices = (Choice(code, names.get(code, code)) for code in currency_codes())
    return tuple(sorted(choices, key=lambda c: (_sort_key(c.label), c.value)))


def _sort_key(name: str) -> str:
    """Alphabetical as a reader expects it: "Ägypten" among the A's."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    ).casefold()
