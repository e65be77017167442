"""Wording: translations, and money, salaries, ages, places and facet values in the board's
language."""

from datetime import date
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes
from markupsafe import Markup

from site_gen.config import SiteConfig
from site_gen.errors import ConfigError
from site_gen.models import Place, Salary
from site_gen.theme import make_environment
from site_gen.theme_paths import PACKAGE_THEMES
from site_gen.urls import SiteUrls
from site_gen.wording import (
    Translations,
    _read_strings,
    format_salary,
    language_chain,
    listing_title,
    load_translations,
    place_label,
    relative_age,
    value_label,
    worded_values,
)
from tests.helpers import pay, posting_text, site_of

I18N = PACKAGE_THEMES / "default" / "i18n"

TEMPLATES = PACKAGE_THEMES / "default" / "templates"


def strings(tmp_path: Path, language: str = "en") -> Translations:
    return load_translations(SiteConfig(language=language), tmp_path)


@pytest.mark.parametrize(
    ("salary", "language", "expected"),
    [
        (Salary(min=160000, max=240000, currency="USD"), "en", "$160,000 – $240,000 a year"),
        (Salary(value=45, currency="EUR", period="hour"), "en", "€45 an hour"),
        (Salary(value=45.5, currency="EUR", period="hour"), "en", "€45.50 an hour"),
        (Salary(min=600, max=600, currency="GBP", period="day"), "en", "£600 a day"),
        (Salary(min=5000000, max=7000000, currency="JPY"), "en", "¥5,000,000 – ¥7,000,000 a year"),
        (Salary(min=70000, max=90000, currency="EUR"), "de", "70.000\xa0€ – 90.000\xa0€ pro Jahr"),
        (Salary(value=45, currency="EUR", period="hour"), "de", "45\xa0€ pro Stunde"),
    ],
)
def test_salary_formatting(tmp_path: Path, salary: Salary, language: str, expected: str):
    assert format_salary(salary, strings(tmp_path, language)) == expected


def test_pay_is_formatted_once_per_translations_and_told_apart_by_every_input(tmp_path: Path):
    salaries = [
        Salary(min=50000, max=70000, currency="USD"),
        Salary(min=50000, max=70000, currency="EUR"),
        Salary(min=50000, max=70000, currency="USD", period="month"),
        Salary(min=50000, max=90000, currency="USD"),
        Salary(value=50000, currency="USD"),
        Salary(value=45.5, currency="USD", period="hour"),
        Salary(value=45, currency="USD", period="hour"),
    ]
    for language in ("en", "de"):
        shared = strings(tmp_path, language)
        texts = [format_salary(s, shared) for s in salaries * 2]
        fresh = [format_salary(s, strings(tmp_path, language)) for s in salaries * 2]
        assert texts == fresh
        assert len(set(texts)) == len(salaries)
        assert len(shared.formatted) == len(salaries) + 7  # the ranges, and 7 amounts


@pytest.mark.parametrize(
    ("days", "en", "de"),
    [
        (0, "today", "heute"),
        (1, "yesterday", "gestern"),
        (3, "3 days ago", "vor 3 Tagen"),
        (13, "13 days ago", "vor 13 Tagen"),
        (14, "2 weeks ago", "vor 2 Wochen"),
        (59, "8 weeks ago", "vor 8 Wochen"),
        (60, "2 months ago", "vor 2 Monaten"),
    ],
)
def test_relative_age(tmp_path: Path, days: int, en: str, de: str):
    today = date(2026, 11, 27)
    day = date.fromordinal(today.toordinal() - days)
    assert relative_age(day, today, strings(tmp_path)) == en
    assert relative_age(day, today, strings(tmp_path, "de")) == de


def test_place_names_follow_the_language(tmp_path: Path):
    place = Place(city="München", country="DE")
    assert place_label(place, strings(tmp_path)) == "München, Germany"
    assert place_label(place, strings(tmp_path, "de")) == "München, Deutschland"


def test_plural_forms_and_placeholders(tmp_path: Path):
    t = strings(tmp_path)
    assert t("listing.count", count=1) == "1 open position"
    assert t("listing.count", count=34) == "34 open positions"
    assert strings(tmp_path, "de")("listing.count", count=1) == "1 offene Stelle"
    assert t("listing_title.tag", name="c++") == "Jobs tagged c++"


def test_markup_values_are_kept_and_plain_ones_escaped(tmp_path: Path):
    t = strings(tmp_path)
    result = t("listing_title.company", name=Markup("R&amp;D"))
    assert isinstance(result, Markup) and result == "Jobs at R&amp;D"
    assert t("listing_title.company", name="R&D") == "Jobs at R&D"  # escaped by Jinja later


def test_an_unknown_string_is_a_template_error(tmp_path: Path):
    with pytest.raises(jinja2.TemplateRuntimeError, match=r"'nope\.nothing'"):
        strings(tmp_path)("nope.nothing")


def test_regional_language_falls_back_to_its_language_then_english(tmp_path: Path):
    assert language_chain("de-CH") == ["en", "de", "de_CH"]
    t = strings(tmp_path, "de-CH")
    assert t.lang_tag == "de-CH"
    assert t("card.new") == "Neu"


def test_a_board_overrides_single_strings(tmp_path: Path):
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "en.toml").write_text('[apply]\nbutton = "Apply now"\n')
    t = strings(tmp_path)
    assert t("apply.button") == "Apply now"
    assert t("card.new") == "New"


def test_unknown_language_is_a_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="language: 'xx_YY' is not a known locale"):
        make_environment(SiteConfig(language="xx_YY"), tmp_path, SiteUrls("https://x.example/"))


def test_every_language_has_every_string_and_its_plural_forms():
    english = set(_read_strings(I18N / "en.toml"))
    languages = sorted(I18N.glob("*.toml"))
    assert [p.stem for p in languages] == ["de", "en"]
    for path in languages:
        table = _read_strings(path)
        assert set(table) == english, f"{path.name}: missing {english - set(table)}"
        rules = Translations(path.stem, {}).locale
        for key, message in table.items():
            if not isinstance(message, str):
                assert set(message) >= {rules.plural_form(n) for n in range(3)}, key


def _string_keys(template: nodes.Template) -> set[str]:
    """Keys of every t("...") call with a constant key in a parsed template."""
    keys = set()
    for call in template.find_all(nodes.Call):
        name = call.node.name if isinstance(call.node, nodes.Name) else None
        if name == "t" and call.args and isinstance(call.args[0], nodes.Const):
            keys.add(call.args[0].value)
    return keys


def test_every_string_the_templates_use_is_in_the_table(tmp_path: Path):
    env = make_environment(SiteConfig(), tmp_path, SiteUrls("https://x.example/"))
    english = set(strings(tmp_path).messages)
    used: set[str] = set()
    for path in TEMPLATES.rglob("*.html"):
        used |= _string_keys(env.parse(path.read_text(encoding="utf-8")))
    assert used, "no t() calls found: the parser walk is broken"
    assert used - english == set()


WORDING_BOARD = {
    "berlin": posting_text(salary=pay(30_000, 40_000, "EUR")),
    "remote": posting_text(
        remote="remote",
        location=[],
        applicant_locations=["US"],
        employment_type="part-time",
        salary=pay(120_000, 130_000),
        tags=["python"],
    ),
    "unpaid": posting_text(salary=None, remote="hybrid", experience_level="senior"),
    "top": posting_text(salary=pay(250_000, 300_000)),
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                ("location", "germany"): ("Germany", "Jobs in Germany"),
                ("location", "germany/berlin"): ("Berlin", "Jobs in Berlin"),
                ("remote", "remote"): ("Remote", "Remote jobs"),
                ("salary", "eur-under-50k"): ("EUR under 50k", "Jobs paying EUR under 50k"),
                ("salary", "usd-100k-150k"): ("USD 100k–150k", "Jobs paying USD 100k–150k"),
                ("salary", "usd-200k-plus"): ("USD 200k+", "Jobs paying USD 200k+"),
                ("salary", "not-listed"): ("Salary not listed", "Jobs with no salary listed"),
                ("type", "part-time"): ("Part time", "Part time jobs"),
                ("level", "senior"): ("Senior", "Senior jobs"),
                ("tag", "python"): ("python", "Jobs tagged python"),
                ("company", "example-corp"): ("Example Corp", "Jobs at Example Corp"),
            },
        ),
        (
            "de",
            {
                ("location", "germany"): ("Deutschland", "Jobs in Deutschland"),
                ("location", "germany/berlin"): ("Berlin", "Jobs in Berlin"),
                ("remote", "remote"): ("Remote", "Jobs: Remote"),
                ("salary", "eur-under-50k"): ("EUR unter 50k", "Jobs mit EUR unter 50k"),
                ("salary", "usd-100k-150k"): ("USD 100k–150k", "Jobs mit USD 100k–150k"),
                ("salary", "usd-200k-plus"): ("USD ab 200k", "Jobs mit USD ab 200k"),
                ("salary", "not-listed"): ("Ohne Gehaltsangabe", "Jobs ohne Gehaltsangabe"),
                ("type", "part-time"): ("Teilzeit", "Jobs: Teilzeit"),
                ("level", "senior"): ("Senior", "Jobs: Senior"),
                ("tag", "python"): ("python", "Jobs mit Schlagwort python"),
                ("company", "example-corp"): ("Example Corp", "Jobs bei Example Corp"),
            },
        ),
    ],
)
def test_facet_values_are_worded_in_the_board_language(
    tmp_path: Path, language: str, expected: dict[tuple[str, str], tuple[str, str]]
):
    t = strings(tmp_path, language)
    facets = site_of(WORDING_BOARD).facets
    for (facet, key), (label, title) in expected.items():
        value = facets.get(facet).find(key)
        assert value is not None, (facet, key)
        assert (value_label(value, t), listing_title(value, t)) == (label, title)


def test_the_search_page_gets_the_worded_values_by_key(tmp_path: Path):
    words = worded_values(site_of(WORDING_BOARD).facets, strings(tmp_path, "de"))
    assert words["remote"] == {"remote": "Remote", "hybrid": "Hybrid"}
    assert words["type"] == {"full-time": "Vollzeit", "part-time": "Teilzeit"}
    assert words["salary"]["not-listed"] == "Ohne Gehaltsangabe"
    assert words["salary"]["usd-200k-plus"] == "USD ab 200k"
    assert words["location"] == {"germany": "Deutschland", "united-states": "Vereinigte Staaten"}
    assert words["tag"] == words["company"] == words["level"] == {}  # the postings' own words


def test_the_domain_code_carries_keys_not_english_words():
    """Facets name what the theme words by key (no English label is made in facets.py)."""
    facets = site_of(WORDING_BOARD).facets
    assert {v.label for v in facets.get("remote").values} == {"remote", "hybrid"}
    assert {v.label for v in facets.get("type").values} == {"full-time", "part-time"}
    assert facets.get("salary").find("not-listed").label == "not-listed"
    assert not hasattr(facets.get("tag"), "title")


@pytest.mark.parametrize("language", ["en", "de", "de_CH", "fr", "ja", "ar", "hi", "pt_BR", "he"])
def test_money_is_worded_as_babel_words_it(language: str):
    from babel.numbers import format_currency

    from site_gen.wording import _money_pattern, format_money

    for currency in ("USD", "EUR", "CHF", "JPY", "INR", "XOF", "XYZ"):
        for amount in (0, 1, 45.5, 999.99, 160000, 1234567, 12.345, 250000.0):
            parsed, pattern = _money_pattern(language, float(amount).is_integer())
            babel = format_currency(
                amount, currency, format=pattern, locale=parsed, currency_digits=False
            )
            assert format_money(amount, currency, language) == babel
