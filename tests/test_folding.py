"""Folding the build's constants into compiled templates: the same text, fewer calls."""

from pathlib import Path

import jinja2
import pytest

from site_gen.config import SiteConfig
from site_gen.errors import ThemeError
from site_gen.folding import constants_of
from site_gen.pages import render_template
from site_gen.theme import make_environment
from site_gen.urls import SiteUrls

NAMES = ("style.css", "accent.css", "theme.js", "icons.svg", "favicon.svg", "favicon.ico")
ASSETS = {name: name.replace(".", ".0123.") for name in NAMES}
SOURCE = """\
<title>{{ config.title }}</title><p title="{{ config.title }}">{{ config.footer or config.title }}
{{ t("site.all_jobs") }} {{ t("listing.count", count=3) }} {{ t("listing.count", count=n) }}
<a href="{{ urls.href(search_route) }}">{{ urls.absolute('feed.xml') }}</a>{{ asset("style.css") }}
{{ icon("pin") }}{{ t("site.all_jobs") ~ "<&>" }}{% set s = t("share.heading") %}{{ s | urlencode }}
{{ urls.link("/about/") }} {{ config.nav | length }} {{ asset(name) }}</p>"""


def environments(root: Path) -> tuple[jinja2.Environment, jinja2.Environment]:
    """The build's environment, and one with the same globals and filters that folds nothing."""
    config = SiteConfig(title='R&D "jobs" <here>', base_url="https://x.example/board/")
    env = make_environment(config, root, SiteUrls(config.base_url, ASSETS))
    plain = jinja2.Environment(
        loader=env.loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    plain.globals.update(env.globals)
    plain.filters.update(env.filters)
    return env, plain


def apart(root: Path) -> jinja2.Environment:
    """An environment that folds, with partials included rather than compiled in place."""
    config = SiteConfig(title='R&D "jobs" <here>', base_url="https://x.example/board/")
    return make_environment(config, root, SiteUrls(config.base_url, ASSETS), inline=False)


def test_constant_calls_become_text_in_the_compiled_template_and_render_the_same(tmp_path: Path):
    env, plain = environments(tmp_path)
    assert set(constants_of(env)) == {
        "t",
        "asset",
        "icon",
        "urls",
        "config",
        "search_route",
        "search_index_route",
    }
    values = {"n": 1, "name": "icons.svg"}
    folded = env.from_string(SOURCE).render(values)
    assert folded == plain.from_string(SOURCE).render(values)
    assert "R&amp;D &#34;jobs&#34; &lt;here&gt;" in folded
    assert '<a href="/board/search/">https://x.example/board/feed.xml</a>' in folded
    code = env.compile(SOURCE, raw=True)
    assert "Jobs 3 open positions" in code and "/board/assets/style.0123.css" in code
    # What is left to call (the count that is a variable, the asset named by a variable) is
    # called plainly, not through Jinja's context (template_code.py).
    assert "context.call(" not in code and "'listing.count', count=" in code


def test_a_name_any_template_assigns_is_not_folded(tmp_path: Path):
    partials = tmp_path / "templates" / "partials"
    partials.mkdir(parents=True)
    (partials / "uses.html").write_text("{{ urls.href(search_route) }}|{{ t('site.feed') }}")
    (partials / "sets.html").write_text(
        '{% with search_route = "elsewhere/" %}{% include "partials/uses.html" %}{% endwith %}'
    )
    env, _ = environments(tmp_path)
    assert "search_route" not in constants_of(env) and "t" in constants_of(env)
    assert env.get_template("partials/sets.html").render() == "/board/elsewhere/|Atom feed"
    assert env.get_template("partials/uses.html").render() == "/board/search/|Atom feed"


def test_a_call_that_fails_is_left_to_fail_on_the_page_with_its_line(tmp_path: Path):
    partials = tmp_path / "templates" / "partials"
    partials.mkdir(parents=True)
    (partials / "footer.html").write_text("<footer>\n{{ t('site.all_jobs') }}\n{{ t('no.such') }}")
    env, _ = environments(tmp_path)
    template = env.get_template("partials/footer.html")  # compiles
    with pytest.raises(jinja2.TemplateRuntimeError, match=r"'no\.such'"):
        template.render()
    with pytest.raises(ThemeError, match=r"partials/footer\.html:3: template error"):
        render_template(env, "partials/footer.html")


def test_a_board_that_overrides_a_partial_sees_its_own(tmp_path: Path):
    partials = tmp_path / "templates" / "partials"
    partials.mkdir(parents=True)
    (partials / "footer.html").write_text("<footer>{{ t('site.all_jobs') }}, {{ route }}</footer>")
    env, _ = environments(tmp_path)
    page = env.get_template("base.html").render(route="about/", site=None)
    assert "<footer>Jobs, about/</footer>" in page


def test_a_partial_the_same_on_every_page_is_included_as_its_text(tmp_path: Path):
    env, plain = environments(tmp_path)
    code = apart(tmp_path).compile(
        env.loader.get_source(env, "base.html")[0], "base.html", raw=True
    )
    assert "partials/footer.html" not in code and "partials/head.html" in code
    footer = plain.get_template("partials/footer.html").render()
    assert footer.startswith("<footer") and footer in env.get_template("base.html").render(
        route="about/", site=None
    )


def test_a_partial_that_reads_the_page_or_may_differ_is_included_as_usual(tmp_path: Path):
    templates = tmp_path / "templates"
    (templates / "partials").mkdir(parents=True)
    for name, text in {
        "partials/same.html": "{{ t('site.feed') }}",
        "partials/pick.html": "{{ [1, 2] | random }}",
        "partials/page.html": "{{ route }}",
        "partials/frame.html": "[{% block b %}{% endblock %}]",
        "child.html": '{% extends "partials/frame.html" %}{% include "partials/same.html" %}'
        '{% block b %}{% include "partials/same.html" %}{% include "partials/pick.html" %}'
        '{% include "partials/page.html" %}{% endblock %}',
    }.items():
        (templates / name).write_text(text)
    env, _ = environments(tmp_path)
    page = env.get_template("child.html").render(route="r/")
    assert page in ("Atom feed[Atom feed1r/]", "Atom feed[Atom feed2r/]")
    code = apart(tmp_path).compile((templates / "child.html").read_text(), "child.html", raw=True)
    # Outside a child template's blocks an include still shows; as text it would not.
    assert code.count("'partials/same.html'") == 1
    assert "'partials/pick.html'" in code and "'partials/page.html'" in code


def test_compiled_templates_kept_between_builds_are_loaded_only_with_the_same_constants(
    tmp_path: Path,
):
    (tmp_path / "compiled").mkdir()
    kept = jinja2.FileSystemBytecodeCache(str(tmp_path / "compiled"))

    def page(title: str) -> str:
        config = SiteConfig(title=title, base_url="https://x.example/")
        env = make_environment(config, tmp_path, SiteUrls(config.base_url, ASSETS), kept)
        return env.get_template("base.html").render(route="x/", site=None)

    first = page("First board")
    assert list((tmp_path / "compiled").iterdir()), "nothing kept: the test shows nothing"
    assert "First board" not in page("Second board")  # its folded title, not the first's
    assert page("First board") == first
    # A changed partial is written into base.html, whose own source did not change.
    (tmp_path / "templates" / "partials").mkdir(parents=True)
    (tmp_path / "templates" / "partials" / "footer.html").write_text("<footer>Ours</footer>")
    assert "<footer>Ours</footer>" in page("First board")


@pytest.mark.parametrize(
    ("partial", "inlined"),
    [
        (
            "{% for y in [7, 8] %}{{ loop.index }}{% if not loop.last %},{% endif %}{% endfor %}",
            True,
        ),
        ("{% for y in [7] %}{% for z in [9] %}{{ loop.index }}{% endfor %}{% endfor %}", True),
        ("{% for y in [7] %}{{ y }}{% endfor %}{{ loop is defined }}", False),
        ("{% for y in [] %}{% else %}{{ loop is defined }}{% endfor %}", False),
        ("{% for y in [loop is defined] %}{{ y }}{% endfor %}", False),
        ("{% for y in [7, 8] if loop is defined %}{{ y }}{% endfor %}", False),
    ],
)
def test_a_partial_with_loops_of_its_own_is_compiled_into_the_page(
    tmp_path: Path, partial: str, inlined: bool
):
    templates = tmp_path / "templates"
    (templates / "partials").mkdir(parents=True)
    (templates / "partials" / "p.html").write_text(partial)
    (templates / "page.html").write_text(
        '{% for x in [1, 2] %}<{% include "partials/p.html" %}>{% endfor %}'
    )
    env, plain = environments(tmp_path)
    assert env.get_template("page.html").render() == plain.get_template("page.html").render()
    code = env.compile((templates / "page.html").read_text(), "page.html", raw=True)
    assert ("'partials/p.html'" not in code) == inlined


def test_a_partial_is_compiled_into_the_page_and_renders_the_same(tmp_path: Path):
    templates = tmp_path / "templates"
    (templates / "partials").mkdir(parents=True)
    for name, text in {
        "partials/item.html": "{% set x = 'in' %}<{{ x }} {{ value }} {{ route }}>",
        "partials/looped.html": "{{ loop is defined }}",
        "page.html": "{% set x = 'out' %}{% for value in [1, 2] %}"
        '{% include "partials/item.html" %}{% include "partials/looped.html" %}{% endfor %}'
        '{% with value = 3 %}{% include "partials/item.html" %}{% endwith %}{{ x }}',
    }.items():
        (templates / name).write_text(text)
    env, plain = environments(tmp_path)
    page = env.get_template("page.html").render(route="r/")
    assert page == plain.get_template("page.html").render(route="r/")
    # The partial's own {% set %} stays inside it; in place, `loop` would be the page's.
    assert page == "<in 1 r/>False<in 2 r/>False<in 3 r/>out"
    code = env.compile((templates / "page.html").read_text(), "page.html", raw=True)
    assert "'partials/item.html'" not in code and "'partials/looped.html'" in code
    source = (templates / "page.html").read_text()
    assert "'partials/item.html'" in apart(tmp_path).compile(source, "page.html", raw=True)
