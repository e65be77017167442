"""The Jinja2 environment: template search path, translations, filters and globals.

A board needs no copy of the default theme: the package carries it. A site overrides any
single template by putting a file of the same name in ``templates/`` at its root, any static
asset by putting it in ``static/``, and any translated string by putting it in
``i18n/<language>.toml``.

Every user-facing string of the theme comes from one translation table per language
(``themes/<name>/i18n/en.toml``, ``de.toml``...), read by the ``t()`` template global; dates
and money are formatted by Babel for the configured ``language``.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType, MethodType
from typing import TYPE_CHECKING, Any, TypeVar, cast

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_timedelta
from babel.numbers import format_currency
from markupsafe import Markup, escape

from site_gen.assets import AssetManifest, collect_assets
from site_gen.colors import accent_css
from site_gen.config import SiteConfig
from site_gen.errors import ConfigError, ThemeError
from site_gen.favicon import icon_files
from site_gen.folding import FoldingEnvironment
from site_gen.models import Place, Posting, Salary
from site_gen.posting_form import posting_form
from site_gen.urls import SEARCH_INDEX_ROUTE, SEARCH_ROUTE, SiteUrls, mailto

if TYPE_CHECKING:  # facets.py needs the build cache, which needs this module
    from site_gen.facets import Band, Facet, FacetValue

PACKAGE_THEMES = Path(__file__).resolve().parent / "themes"
FALLBACK_LANGUAGE = "en"
PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})  # CLDR's categories
# A translation is a string, or (for a count) a table of plural forms: {one = ..., other = ...}
Message = str | Mapping[str, str]
T = TypeVar("T")


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


def i18n_dirs(config: SiteConfig, root: Path) -> list[Path]:
    """Translation folders, lowest priority first: the theme's, then the site's own."""
    return [theme_dir(config, root) / "i18n", root / "i18n"]


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
        return _locale(self.language)

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
        if any(isinstance(v, Markup) for v in values.values()):
            return Markup(escape(message)).format(**values)
        return message.format_map(values) if values else message


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
def _locale(language: str) -> Locale:
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
    pattern = _locale(locale).currency_formats["standard"].pattern.split(";")[0]
    if float(amount).is_integer():
        pattern = pattern.replace(".00", "")
    return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)


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


def add_wording(env: jinja2.Environment, t: Translations) -> None:
    """The globals that word facet values: ``value_label``, ``listing_title`` and
    ``worded_values`` (templates call them with the value, or the facets, alone)."""

    def label(value: FacetValue) -> str:
        return value_label(value, t)

    def title(value: FacetValue) -> str:
        return listing_title(value, t)

    def worded(facets: Iterable[Facet]) -> dict[str, dict[str, str]]:
        return worded_values(facets, t)

    env.globals.update(
        value_label=by_identity(label), listing_title=by_identity(title), worded_values=worded
    )


def by_identity(function: Callable[[T], str]) -> Callable[[T], str]:
    """``function`` of one immutable argument, computed once per argument object (a value's
    label appears on thousands of pages; its hash would cost a walk over its postings)."""
    made: dict[int, tuple[T, str]] = {}

    def call(argument: T) -> str:
        found = made.get(id(argument))
        if found is None:
            if len(made) >= MAX_CARDS:
                made.clear()
            found = made[id(argument)] = (argument, function(argument))  # kept: ids stay unique
        return found[1]

    return call


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


def site_assets(config: SiteConfig, root: Path, *, minify: bool = False) -> AssetManifest:
    """Every static file of the site, fingerprinted: the theme's and the site's ``static/``
    folders, and ``accent.css`` and the icons (``favicon.svg``, ``favicon.ico``), made from
    ``accent_color`` unless a folder has a file of that name."""
    generated = {"accent.css": accent_css(config.accent_color), **icon_files(config.accent_color)}
    return collect_assets(static_dirs(config, root), minify=minify, generated=generated)


def make_environment(
    config: SiteConfig,
    root: Path,
    urls: SiteUrls,
    compiled: jinja2.BytecodeCache | None = None,  # see compiled_templates.py
) -> jinja2.Environment:
    env = FoldingEnvironment(
        loader=jinja2.FileSystemLoader([str(p) for p in template_dirs(config, root)]),
        bytecode_cache=compiled,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # an environment lives for one build; a rebuild makes a new one
        # Every template stays compiled for the environment's life: a plain dict, where the
        # default LRU cache takes a lock and reorders its queue on every include.
        cache_size=-1,
    )
    t = load_translations(config, root)
    locale = t.language
    _locale(locale)  # an unknown language fails here, once, with a clear message
    # A posting's card appears on the index and on each of its facet pages: format its dates
    # once (Babel's formatting is the slow part of rendering a listing); pay is formatted
    # once by ``t`` itself, which the feeds share.
    env.filters["salary"] = lambda salary: format_salary(salary, t)
    env.filters["long_date"] = cache(lambda day: format_date(day, format="long", locale=locale))
    env.filters["age"] = cache(lambda day, today: relative_age(day, today, t))
    env.filters["place"] = cache(lambda place: place_label(place, t))
    env.filters["mailto"] = mailto
    env.filters["iso"] = lambda day: day.isoformat() if isinstance(day, date) else str(day)
    env.globals["t"] = t
    env.globals["config"] = config
    env.globals["urls"] = urls
    env.globals["search_route"] = SEARCH_ROUTE
    env.globals["search_index_route"] = SEARCH_INDEX_ROUTE
    env.globals["asset"] = asset_function(urls)
    env.globals["card"] = Cards(env).in_template
    env.globals["posting_form"] = posting_form  # the "Post a job" form's rules
    add_wording(env, t)
    env.fold_constants(add_macros(env), MACROS_TEMPLATE)
    return env


MACROS_TEMPLATE = "partials/macros.html"


def add_macros(env: jinja2.Environment) -> list[str]:
    """Make the macros of ``partials/macros.html`` globals: ``icon(...)``, ``value_label(...)``.

    Templates call them without ``{% from ... import %}``, which costs Jinja about as much
    as the call itself on every page that imports; and each renders once per set of
    arguments (``memoised``): a listing title appears on thousands of pages. Returns their
    names.
    """
    try:
        module = env.get_template(MACROS_TEMPLATE).module
    except jinja2.TemplateNotFound:
        return []  # a theme of its own, without the default theme's macros
    except jinja2.TemplateError as exc:
        raise template_error(exc, MACROS_TEMPLATE) from None
    names = [n for n, value in vars(module).items() if isinstance(value, jinja2.runtime.Macro)]
    for name in names:
        env.globals[name] = memoised(getattr(module, name))
    return names


def memoised(macro: jinja2.runtime.Macro) -> Callable[..., Markup]:
    """A macro that renders once per set of arguments, told apart by identity.

    The arguments are immutable (strings, frozen facet values) and the macro sees only them
    and the environment's globals, so its output for the same objects never changes. The
    memo keeps the arguments alive, so an ``id`` is never reused for another object.
    """
    made: dict[tuple[int, ...], tuple[tuple[object, ...], Markup]] = {}

    def call(*args: object, **kwargs: object) -> Markup:
        # Typed as str, a macro returns Markup in an autoescaping environment, as ours are.
        if kwargs:  # rare (keyword arguments, a {% call %} block): not memoised
            return cast(Markup, macro(*args, **kwargs))
        key = tuple(map(id, args))
        found = made.get(key)
        if found is None:
            if len(made) >= MAX_CARDS:
                made.clear()
            found = made[key] = (args, cast(Markup, macro(*args)))
        return found[1]

    return call


def template_error(exc: jinja2.TemplateError, name: str) -> ThemeError:
    """A template mistake as the user reads it: the template file and line, and what is wrong."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = exc.filename or exc.name or name
        return ThemeError(f"{where}:{exc.lineno}: template syntax error: {exc.message}")
    return ThemeError(f"{_template_frame(name)}: template error: {exc}")


def _template_frame(default: str) -> str:
    """The template file and line where the current exception was raised, if known."""
    tb = sys.exc_info()[2]
    found = default
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".json")):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


CARD_TEMPLATE = "partials/posting-card.html"
MAX_CARDS = 50_000  # memoised cards per process: enough for a board of that size, bounded


class Cards:
    """The ``card(posting, heading_level=2)`` template global: a posting's card, rendered once.

    A card appears on the index, on each of its facet pages and among other postings'
    similar postings: a dozen times in a build. It is a function of the posting, the heading
    level and the build's date (its age and "new" badge), which is all the partial sees, so
    each is rendered once per environment. The key names the posting by its slug and its
    file's content hash (an edited posting gets a new card), the level and the date; an
    environment serves one theme and config (another gets a new environment). ``add`` takes
    cards rendered elsewhere (by worker processes).
    """

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.made: dict[CardKey, Markup] = {}

    @staticmethod
    def key(posting: Posting, heading_level: int, today: date) -> CardKey:
        return (posting.slug, posting.source.digest, heading_level, today)

    def render(self, site: Any, posting: Posting, heading_level: int = 2) -> Markup:
        """The card as ``site`` (a view with ``today`` and ``is_new``) shows it."""
        key = self.key(posting, heading_level, site.today)
        made = self.made.get(key)
        if made is None:
            template = self.env.get_template(CARD_TEMPLATE)
            made = Markup(template.render(site=site, posting=posting, heading_level=heading_level))
            self.add(key, made)
        return made

    def add(self, key: CardKey, card: Markup) -> None:
        if len(self.made) >= MAX_CARDS:
            self.made.clear()
        self.made[key] = card

    @jinja2.pass_context
    def in_template(
        self, context: jinja2.runtime.Context, posting: Posting, heading_level: int = 2
    ) -> Markup:
        return self.render(context["site"], posting, heading_level)


CardKey = tuple[str, str, int, date]


def translations_of(env: jinja2.Environment) -> Translations:
    """The environment's translations (its ``t`` global)."""
    t = env.globals["t"]
    assert isinstance(t, Translations)
    return t


def cards_of(env: jinja2.Environment) -> Cards:
    """The environment's memo of cards (behind its ``card`` global)."""
    card = env.globals["card"]
    if not (isinstance(card, MethodType) and isinstance(card.__self__, Cards)):
        raise TypeError("the environment's card global is not a Cards.in_template")
    return card.__self__
