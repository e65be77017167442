"""Free-text places from applicant-tracking systems ("San Francisco, CA", "München,
Deutschland", "Remote - US") as ``Place`` values with ISO country codes."""

from __future__ import annotations

import re
from functools import cache

import pycountry
from babel import Locale

from site_gen.field_types import country_codes
from site_gen.models import Place

# Country names are looked up in these languages too ("Deutschland", "Brasil", "日本").
NAME_LANGUAGES = (
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "pl",
    "sv",
    "da",
    "nb",
    "fi",
    "ja",
    "zh",
)
ALIASES = {"usa": "US", "u.s.": "US", "u.s.a.": "US", "uk": "GB", "england": "GB", "uae": "AE"}
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
    ]
)
CANADIAN_PROVINCES = frozenset(
    ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]
)
# "Remote - US", "Remote (Germany)", "Hybrid: Berlin": the workplace words around a place.
WORKPLACE_WORDS = re.compile(r"\b(remote|hybrid|on-?site|anywhere|first)\b", re.IGNORECASE)
SEPARATORS = re.compile(r"\s*[,，、]\s*")


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = dict(ALIASES)
    for language in NAME_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in country_codes():
                names.setdefault(name.casefold(), code)
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                names.setdefault(name.casefold(), country.alpha_2)
        names.setdefault(country.alpha_3.casefold(), country.alpha_2)
    return names


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country given by code (DE, DEU) or by name in one of
    ``NAME_LANGUAGES``; None if it is none of these."""
    cleaned = text.strip().strip(".()[]").strip()
    if len(cleaned) == 2 and cleaned.upper() in country_codes():
        return cleaned.upper()
    return _country_names().get(cleaned.casefold())


def parse_place(text: str, country_hint: str | None = None) -> Place | None:
    """``City[, Region], Country`` (or ``City, US-state``) as a ``Place``; a place without a
    country takes ``country_hint``. None when no country can be told."""
    parts = [p for p in SEPARATORS.split(strip_workplace(text)) if p]
    if not parts:
        return Place(country=country_hint) if country_hint else None
    last = parts[-1]
    country: str | None = None
    if len(parts) >= 2 and last.upper() in US_STATES and country_hint in (None, "US"):
        country, rest = "US", parts
    elif len(parts) >= 2 and last.upper() in CANADIAN_PROVINCES and country_hint in (None, "CA"):
        country, rest = "CA", parts
    else:
        country = country_code(last)
        rest = parts[:-1] if country else parts
    country = country or country_hint
    if country is None:
        return None
    city = rest[0] if rest else None
    region = ", ".join(rest[1:]) if len(rest) > 1 else None
    return Place(city=city, region=region, country=country)


def strip_workplace(text: str) -> str:
    """The place in ``text`` without words such as Remote or Hybrid and their punctuation."""
    without = WORKPLACE_WORDS.sub(" ", text)
    return re.sub(r"^[\s\-–—:|/()]+|[\s\-–—:|/()]+$", "", re.sub(r"\(\s*\)", "", without)).strip()


def workplace_of(text: str) -> str | None:
    """ "remote" or "hybrid" when a location text says so, else None."""
    lowered = text.casefold()
    if "hybrid" in lowered:
        return "hybrid"
    if "remote" in lowered or "anywhere" in lowered:
        return "remote"
    return None
