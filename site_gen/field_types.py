"""The checked field types of the posting format: text, tags, URLs, email addresses, dates,
countries and amounts, each with its limits (docs/posting-format.md has them in a table,
which a test compares with these) and a one-line message naming what was expected.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Annotated, Any

from babel import Locale
from pydantic import AfterValidator, BeforeValidator, Field, StrictStr, StringConstraints

from site_gen.text import forbidden_problem, nfc

_ENGLISH = Locale("en")
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


def _plain(value: Any) -> bool:
    """Printable ASCII text: nothing to refuse (every forbidden ASCII character is a control
    character) and already in normal form C. Most values are, and both tests are single
    C passes, where the full checks are several calls and searches each."""
    return isinstance(value, str) and value.isascii() and value.isprintable()


def _allowed(value: Any) -> Any:
    """Refuse the characters no page may carry (``text.FORBIDDEN_CHARS``), in any field."""
    if _plain(value):
        return value
    problem = forbidden_problem(value) if isinstance(value, str) else None
    if problem:
        raise ValueError(problem)
    return value


def normal_text(value: Any) -> Any:
    """Allowed characters, in Unicode normal form C (``text.nfc``)."""
    if _plain(value):
        return value
    value = _allowed(value)
    return nfc(value) if isinstance(value, str) else value


Number = Annotated[int | float, BeforeValidator(_number)]
# Text people read, compare and count: normalised before its length is counted.
Text = Annotated[
    StrictStr,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_LENGTH),
    BeforeValidator(normal_text),
]
Url = Annotated[StrictStr, Field(max_length=MAX_URL_LENGTH), BeforeValidator(_allowed)]
Tag = Annotated[
    StrictStr, Field(min_length=1, max_length=MAX_TAG_LENGTH), BeforeValidator(normal_text)
]
SlugField = Annotated[
    StrictStr, Field(max_length=MAX_SLUG_FIELD_LENGTH), BeforeValidator(normal_text)
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
    day = as_date(value)
    if day is None:
        raise ValueError(f"expected a date like 2026-11-27, got {shown(value)}")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(
            f"expected a date between {FIRST_YEAR} and {LAST_YEAR} like 2026-11-27, "
            f"got {shown(value)}"
        )
    return day


def as_date(value: Any) -> date | None:
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
