"""The Jinja2 environment: template search path (site overrides, then the theme) and filters.

A board needs no copy of the default theme: the package carries it. A site overrides any
single template by putting a file of the same name in ``templates/`` at its root, and any
static asset by putting it in ``static/``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

import jinja2
from babel.dates import format_date
from babel.numbers import format_currency

from site_gen.config import SiteConfig
from site_gen.errors import ConfigError
from site_gen.models import Salary
from site_gen.urls import SEARCH_INDEX_ROUTE, SEARCH_ROUTE, SiteUrls

PACKAGE_THEMES = Path(__file__).resolve().parent / "themes"
PERIOD_WORDS = {
    "hour": "an hour",
    "day": "a day",
    "week": "a week",
    "month": "a month",
    "year": "a year",
}


def theme_dir(config: SiteConfig, root: Path) -> Path:
    """The active theme: ``<root>/themes/<name>`` if the board has one, else the packaged one."""
    for candidate in (root / "themes" / config.theme, PACKAGE_THEMES / config.theme):
        if (candidate / "templates").is_dir():
            return candidate
    raise ConfigError(f"sitegen.toml: theme: no theme named {config.theme!r} (looked in themes/)")


def template_dirs(config: SiteConfig, root: Path) -> list[Path]:
    return [root / "templates", theme_dir(config, root) / "templates"]


def static_dirs(config: SiteConfig, root: Path) -> list[Path]:
    """Static folders, lowest priority first: the theme's, then the site's own."""
    return [theme_dir(config, root) / "static", root / "static"]


def format_money(amount: float, currency: str, locale: str) -> str:
    return format_currency(amount, currency, format="¤#,##0", locale=locale, currency_digits=False)


def format_salary(salary: Salary, locale: str = "en") -> str:
    """E.g. "$160,000 – $240,000 a year" or "€45 an hour"."""
    low = format_money(salary.low, salary.currency, locale)
    high = format_money(salary.high, salary.currency, locale)
    amount = low if low == high else f"{low} – {high}"
    return f"{amount} {PERIOD_WORDS[salary.period]}"


def asset_function(urls: SiteUrls) -> Callable[[str], str]:
    """The ``asset(name)`` template global: the link to a static file's fingerprinted name."""

    def asset(name: str) -> str:
        try:
            return urls.asset(name)
        except KeyError:
            raise jinja2.TemplateRuntimeError(
                f"asset({name!r}): no file of that name in the theme's or the site's static folder"
            ) from None

    return asset


def make_environment(config: SiteConfig, root: Path, urls: SiteUrls) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in template_dirs(config, root)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    locale = config.language
    # A posting's card appears on the index and on each of its facet pages: format its pay
    # and date once (Babel's formatting is the slow part of rendering a listing).
    env.filters["salary"] = cache(lambda salary: format_salary(salary, locale))
    env.filters["long_date"] = cache(lambda day: format_date(day, format="long", locale=locale))
    env.filters["iso"] = lambda day: day.isoformat() if isinstance(day, date) else str(day)
    env.globals["config"] = config
    env.globals["urls"] = urls
    env.globals["search_route"] = SEARCH_ROUTE
    env.globals["search_index_route"] = SEARCH_INDEX_ROUTE
    env.globals["asset"] = asset_function(urls)
    return env
