"""The board's language: its translations (``t``) and what they word: money and salaries,
a posting's age, places, and facet values ("Remote", "Vollzeit", "EUR 50k–100k").

Every user-facing string of the theme comes from one translation table per language
(``themes/<name>/i18n/en.toml``, ``de.toml``...), overridden by a board's
``i18n/<language>.toml``; dates and money are formatted by Babel for the configured
``language``. The templates reach these through the environment (``theme.py``); feeds, the
search index and the views call them directly.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_timedelta
from babel.numbers import NumberPattern, format_currency, get_currency_symbol, parse_pattern
from markupsafe import Markup, escape

from site_gen.config import SiteConfig
from site_gen.errors import ConfigError, ThemeError
from site_gen.facets import Band, Facet, FacetValue
from site_gen.models import Place, Salary
from site_gen.theme_paths import PACKAGE_THEMES, i18n_dirs

FALLBACK_LANGUAGE = "en"
PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})  # CLDR's categories
# A translation is a string, or (for a count) a table of plural forms: {one = ..., other = ...}
Message = str | Mapping[str, str]


# ---- translations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Translations:
    """One language's strings: ``t("card.new")``, ``t("listing.count", count=3)``."""

    language: str  # a Babel locale name, e.g. "en" or "de_CH"
    messages: Mapping[str, Message]  # flat: "section.key" -> message
    # Money and pay in these words, by every input besides the language and the messages:
    # Babel is slow, and a board shows the same few amounts on thousands of cards, pages and
    # feed entries. Owned here, so it lives as long as the environment that holds ``t``.
    formatted: dict[tuple[object, ...], str] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    @property
    def locale(self) -> Locale:
        return babel_locale(self.language)

    @property
    def lang_tag(self) -> str:
        """The BCP 47 tag for ``<html lang>``: ``de_CH`` -> ``de-CH``."""
        return self.language.replace("_", "-")

    def raw(self, key: str) -> Message:
        """A message as written, placeholders and plural forms unresolved (for scripts)."""
        try:
            return self.messages[key]
        except KeyError:
            raise jinja2.TemplateRuntimeError(
                f"t({key!r}): no such string in the theme's i18n/{FALLBACK_LANGUAGE}.toml"
            ) from None

    def section(self, prefix: str) -> dict[str, Message]:
        """Every message under ``prefix.``, by the rest of its key (for scripts)."""
        start = f"{prefix}."
        return {k.removeprefix(start): v for k, v in self.messages.items() if k.startswith(start)}

    def __call__(self, key: str, /, count: int | None = None, **values: object) -> str:
        """The message for ``key`` with ``{name}`` placeholders filled in.

        A message with plural forms picks one by ``count`` under the language's plural rules.
        Values that are already markup (a macro's output) are kept; others are escaped.
        """
        message = self.raw(key)
        if not isinstance(message, str):
            form = self.locale.plural_form(count if count is not None else 1)
            message = message.get(form) or message["other"]
        if count is not None:
            values["count"] = count
        elif not values:  # most calls: a word of the theme, as it is
            return message
        if any(isinstance(v, Markup) for v in values.values()):
            return Markup(escape(message)).format(**values)
        return message.format_map(values)


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, Message]:
    """TOML sections into dotted keys; a table of plural forms stays one message."""
    flat: dict[str, Message] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and "other" in value and value.keys() <= PLURAL_FORMS:
            flat[name] = dict(value)
        elif isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


def _read_strings(path: Path) -> dict[str, Message]:
    if not path.is_file():
        return {}
    try:
        return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"{path}: {exc}") from None


def language_chain(language: str) -> list[str]:
    """Files to read, most general first: ``de_CH`` -> en, de, de_CH."""
    name = language.replace("-", "_")
    chain = [FALLBACK_LANGUAGE, name.split("_")[0], name]
    return list(dict.fromkeys(chain))


def load_translations(config: SiteConfig, root: Path) -> Translations:
    """The theme's strings for the configured language over English, then the board's own."""
    messages: dict[str, Message] = {}
    for folder in i18n_dirs(config, root):
        for name in language_chain(config.language):
            messages.update(_read_strings(folder / f"{name}.toml"))
    return Translations(config.language.replace("-", "_"), MappingProxyType(messages))


@cache
def babel_locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        raise ConfigError(
            f"sitegen.toml: language: {language!r} is not a known locale (e.g. en, de, pt_BR)"
        ) from None


# ---- formatting -----------------------------------------------------------------------------


def format_money(amount: float, currency: str, locale: str) -> str:
    """The locale's currency pattern, without cents for whole amounts: "$160,000", "160.000 €".

    Uncached; ``format_salary`` formats each amount once per ``Translations``.
    """
    parsed, pattern = _money_pattern(locale, float(amount).is_integer())
    symbol = get_currency_symbol(currency, parsed)
    if "'" in symbol or "¤¤" in pattern.pattern:  # rare: Babel's own order of steps matters
        return format_currency(
            amount, currency, format=pattern, locale=parsed, currency_digits=False
        )
    # The pattern applied without a currency leaves its "¤" for the symbol, which is all a
    # standard pattern shows: Babel would also word the currency's name for the amount's
    # plural (about a third of its time), for a "¤¤¤" the pattern does not have.
    text: str = pattern.apply(amount, parsed, currency_digits=False)
    return text.replace("¤", symbol)


@cache
def _money_pattern(locale: str, whole: bool) -> tuple[Locale, NumberPattern]:
    """The locale and its currency pattern, parsed once: Babel parses both on every call,
    half the time of formatting an amount (and a board has about one amount a posting)."""
    parsed = babel_locale(locale)
    pattern = parsed.currency_formats["standard"].pattern.split(";")[0]
    return parsed, parse_pattern(pattern.replace(".00", "") if whole else pattern)


@cache
def default_translations(language: str) -> Translations:
    """The packaged default theme's strings for a language (for text outside templates)."""
    messages: dict[str, Message] = {}
    for name in language_chain(language):
        messages.update(_read_strings(PACKAGE_THEMES / "default" / "i18n" / f"{name}.toml"))
    return Translations(language.replace("-", "_"), MappingProxyType(messages))


def format_salary(salary: Salary, t: Translations | str) -> str:
    """E.g. "$160,000 – $240,000 a year" or "45 € pro Stunde".

    ``t`` is the theme's translations, or a language for the default theme's words.
    """
    if isinstance(t, str):
        return _default_salary_text(salary, t)
    key = ("salary", salary.low, salary.high, salary.currency, salary.period)
    found = t.formatted.get(key)
    if found is None:
        low = _money(salary.low, salary.currency, t)
        high = _money(salary.high, salary.currency, t)
        amount = low if low == high else f"{low} – {high}"
        found = t.formatted[key] = t(f"salary.per.{salary.period}", amount=amount)
    return found


def _money(amount: float, currency: str, t: Translations) -> str:
    key = ("money", amount, currency)
    found = t.formatted.get(key)
    if found is None:
        found = t.formatted[key] = format_money(amount, currency, t.language)
    return found


@lru_cache(maxsize=4096)
def _default_salary_text(salary: Salary, language: str) -> str:
    """Feeds format the same few hundred pay ranges thousands of times: once each."""
    return format_salary(salary, default_translations(language))


def relative_age(day: date, today: date, t: Translations) -> str:
    """How long ago ``day`` was: "today", "yesterday", "3 days ago", "2 weeks ago".

    Units switch once there are two of the larger one (13 days, then 2 weeks), as Babel does
    with a threshold of 2; the search page's script follows the same rule.
    """
    days = (today - day).days
    if days <= 0:
        return t("age.today")
    if days == 1:
        return t("age.yesterday")
    return format_timedelta(
        timedelta(days=-days), threshold=2, add_direction=True, locale=t.language
    )


def place_label(place: Place, t: Translations) -> str:
    """A place with its country's name in the board's language."""
    country = t.locale.territories.get(place.country, place.country_name)
    return ", ".join(p for p in (place.city, place.region, country) if p)


# ---- facet values in words ------------------------------------------------------------------
# Facets carry keys (``facets.py``); these word them in the board's language.

WORDED_FACETS = frozenset({"remote", "type", "salary"})  # every value worded by the theme


def value_label(value: FacetValue, t: Translations) -> str:
    """A facet value as people read it: "Remote", "Vollzeit", "EUR 50k–100k", "Deutschland";
    tags, cities, levels and companies as the postings write them."""
    if value.facet in ("remote", "type"):
        return t(f"{value.facet}.{value.key}")
    if value.facet == "salary":  # a band, or the postings without pay
        return band_label(value.band, t) if value.band else t("salary.not_listed")
    if value.country is not None:
        return str(t.locale.territories.get(value.country, value.label))
    return value.label


def band_label(band: Band, t: Translations) -> str:
    """E.g. "USD under 50k", "EUR 50k–100k", "CHF 200k+" (amounts a year)."""
    low, high = band.amounts
    if high is None:
        return t("salary.band.over", currency=band.currency, amount=low)
    if band.low == 0:
        return t("salary.band.under", currency=band.currency, amount=high)
    return t("salary.band.between", currency=band.currency, low=low, high=high)


def listing_title(value: FacetValue, t: Translations) -> str:
    """The heading of a value's listing page and the title of its feed: "Jobs in Germany"."""
    if value.facet == "salary" and value.band is None:
        return t("listing_title.salary_not_listed")
    return t(f"listing_title.{value.facet}", name=value_label(value, t))


def worded_values(facets: Iterable[Facet], t: Translations) -> dict[str, dict[str, str]]:
    """The values the theme words, by facet and value key (for the search page's script,
    which finds only keys and the postings' own words in the search index)."""
    return {
        facet.key: {
            v.key: value_label(v, t)
            for v in facet.values
            if v.facet in WORDED_FACETS or v.country is not None
        }
        for facet in facets
    }
