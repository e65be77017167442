"""Theme: the template search path, the environment, macros, and the wording globals."""

from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from site_gen.config import SiteConfig
from site_gen.errors import ConfigError, ThemeError
from site_gen.theme import make_environment
from site_gen.theme_paths import PACKAGE_THEMES, template_dirs
from site_gen.urls import SiteUrls
from tests.helpers import site_of
from tests.test_wording import WORDING_BOARD

I18N = PACKAGE_THEMES / "default" / "i18n"

TEMPLATES = PACKAGE_THEMES / "default" / "templates"


def test_site_templates_come_before_the_packaged_theme(tmp_path: Path):
    dirs = template_dirs(SiteConfig(), tmp_path)
    assert dirs == [tmp_path / "templates", PACKAGE_THEMES / "default" / "templates"]


def test_unknown_theme_is_a_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="no theme named 'fancy'"):
        template_dirs(SiteConfig(theme="fancy"), tmp_path)


def environment(tmp_path: Path) -> jinja2.Environment:
    urls = SiteUrls("https://jobs.example.com/", {"icons.svg": "icons.0123.svg"})
    return make_environment(SiteConfig(), tmp_path, urls)


def test_macros_are_globals_and_a_board_can_override_them(tmp_path: Path):
    env = environment(tmp_path)
    icon = env.from_string('{{ icon("pin") }}').render()
    assert icon.startswith('<svg class="icon"') and "#pin" in icon
    assert env.from_string('{{ icon("pin") }}').render() == icon  # memoised, the same
    (tmp_path / "templates" / "partials").mkdir(parents=True)
    (tmp_path / "templates" / "partials" / "macros.html").write_text(
        "{% macro icon(name) %}[{{ name }}]{% endmacro %}"
    )
    assert environment(tmp_path).from_string('{{ icon("pin") }}|{{ icon(name="x") }}').render() == (
        "[pin]|[x]"
    )


def test_a_broken_macros_file_names_its_line(tmp_path: Path):
    (tmp_path / "templates" / "partials").mkdir(parents=True)
    (tmp_path / "templates" / "partials" / "macros.html").write_text("ok\n{% macro icon( %}")
    with pytest.raises(ThemeError, match=r"macros\.html:2: template syntax error"):
        environment(tmp_path)


# -- facet values in words ---------------------------------------------------------------------


def test_templates_word_values_through_the_globals(tmp_path: Path):
    env = make_environment(SiteConfig(language="de"), tmp_path, SiteUrls("https://x.example/", {}))
    value = site_of(WORDING_BOARD).facets.get("location").find("germany")
    rendered = env.from_string("{{ value_label(v) }}|{{ listing_title(v) }}").render(v=value)
    assert rendered == "Deutschland|Jobs in Deutschland"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "plain-text_1.0~/path",
        "Backend Engineer at Acme – Bench board https://jobs.example.com/jobs/a/",
        "100% remote & 50%20 off: a?b=c#d",
        "Zürich, 東京, 😀, tab\tand\nnew line",
        Markup("R&amp;D <b>x</b>"),
        {"a b": "c&d", "e": 1},
        [("x", "y z")],
        42,
    ],
)
def test_the_urlencode_filter_encodes_as_jinjas_own(tmp_path: Path, value: object):
    from jinja2.filters import do_urlencode

    env = environment(tmp_path)
    assert env.filters["urlencode"](value) == do_urlencode(value)  # type: ignore[arg-type]
    page = env.from_string("{{ value | urlencode }}")
    assert page.render(value=value) == jinja2.Environment(autoescape=True).from_string(
        "{{ value | urlencode }}"
    ).render(value=value)
