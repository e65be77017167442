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
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from pathlib import Path
from types import MethodType
from typing import Any, TypeVar, cast

import jinja2
from babel.dates import format_date
from jinja2.filters import do_urlencode
from markupsafe import Markup

from site_gen.assets import AssetManifest, collect_assets
from site_gen.card_shelf import CardShelf
from site_gen.colors import accent_css
from site_gen.config import SiteConfig
from site_gen.errors import ThemeError
from site_gen.facets import Facet, FacetValue
from site_gen.favicon import icon_files
from site_gen.folding import FoldingEnvironment
from site_gen.models import Posting
from site_gen.posting_form import posting_form
from site_gen.theme_paths import static_dirs, template_dirs
from site_gen.urls import (
    SEARCH_INDEX_ROUTE,
    SEARCH_ROUTE,
    SiteUrls,
    mailto,
    percent_encoded,
    quote_pattern,
)
from site_gen.wording import (
    Translations,
    babel_locale,
    format_salary,
    listing_title,
    load_translations,
    place_label,
    relative_age,
    value_label,
    worded_values,
)

T = TypeVar("T")


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


URL_UNSAFE = quote_pattern("/")  # what Python's quote encodes by default


def urlencode(value: object) -> str:
    """Jinja's ``urlencode`` filter, with text percent-encoded a character at a time rather
    than a byte at a time (``percent_encoded``): a posting page's share links encode its
    title and URL four times."""
    if not isinstance(value, str):
        return do_urlencode(value)  # type: ignore[arg-type]  # Jinja's, for whatever it takes
    return percent_encoded(value, URL_UNSAFE)


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
    *,
    inline: bool = True,  # partials compiled into their pages (False: to locate an error)
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
    babel_locale(locale)  # an unknown language fails here, once, with a clear message
    # A posting's card appears on the index and on each of its facet pages: format its dates
    # once (Babel's formatting is the slow part of rendering a listing); pay is formatted
    # once by ``t`` itself, which the feeds share. Pay and places are models, whose hash
    # walks their fields: their words are kept by the object (shared between postings).
    env.filters["salary"] = by_identity(lambda salary: format_salary(salary, t))
    env.filters["long_date"] = cache(lambda day: format_date(day, format="long", locale=locale))
    env.filters["age"] = cache(lambda day, today: relative_age(day, today, t))
    env.filters["place"] = by_identity(lambda place: place_label(place, t))
    env.filters["mailto"] = mailto
    env.filters["urlencode"] = urlencode
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
    env.fold_constants(add_macros(env), MACROS_TEMPLATE, inline=inline)
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
        self.shelf: CardShelf | None = None  # this build's cards on disk, on large boards

    def shelve(self, shelf: CardShelf | None) -> None:
        """Read cards from ``shelf`` (None: no more), dropping the previous one's files."""
        if self.shelf is not None:
            self.shelf.close()
        self.shelf = shelf

    @staticmethod
    def key(posting: Posting, heading_level: int, today: date) -> CardKey:
        return (posting.slug, posting.source.digest, heading_level, today)

    def render(self, site: Any, posting: Posting, heading_level: int = 2) -> Markup:
        """The card as ``site`` (a view with ``today`` and ``is_new``) shows it."""
        if self.shelf is not None:
            # The shelf first, by the posting's identity: its key would read the posting's
            # slug and source, which a page worker copies from the parent's memory as it
            # reads them (reference counts). Not memoised: memory stays flat.
            shelved = self.shelf.card(posting, heading_level)
            if shelved is not None:
                return shelved
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
