"""Theme filters and the template search path."""

from pathlib import Path

import pytest

from site_gen.config import SiteConfig
from site_gen.errors import ConfigError
from site_gen.models import Salary
from site_gen.theme import PACKAGE_THEMES, format_salary, template_dirs


@pytest.mark.parametrize(
    ("salary", "locale", "expected"),
    [
        (Salary(min=160000, max=240000, currency="USD"), "en", "$160,000 – $240,000 a year"),
        (Salary(value=45, currency="EUR", period="hour"), "en", "€45 an hour"),
        (Salary(min=600, max=600, currency="GBP", period="day"), "en", "£600 a day"),
        (Salary(min=5000000, max=7000000, currency="JPY"), "en", "¥5,000,000 – ¥7,000,000 a year"),
    ],
)
def test_salary_formatting(salary: Salary, locale: str, expected: str):
    assert format_salary(salary, locale) == expected


def test_site_templates_come_before_the_packaged_theme(tmp_path: Path):
    dirs = template_dirs(SiteConfig(), tmp_path)
    assert dirs == [tmp_path / "templates", PACKAGE_THEMES / "default" / "templates"]


def test_unknown_theme_is_a_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="no theme named 'fancy'"):
        template_dirs(SiteConfig(theme="fancy"), tmp_path)
