"""The pinned packages whose code or data reach the output still make the same bytes.

sitegen promises that the same postings and clock give the same site, and pyproject.toml pins
exactly the packages that could change it. This test records, in tests/golden/dependencies.json,
what each of them produced for inputs that exercise what sitegen uses them for, and the version
that produced it. An upgrade, whether of a pin or of a package in someone's environment, is
noticed here, with the package named, instead of as unexplained changes in deployed boards.

After a deliberate upgrade: raise the pin, run ``python -m tests.test_dependencies --update``,
read the diff of the golden file, and say in the release notes what changed on boards.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections.abc import Callable
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import TypedDict

import jinja2
import pycountry
import pytest
from babel import Locale
from babel.dates import format_date, format_timedelta

from site_gen.markup import render_markdown, sanitize
from site_gen.minify import minify_css, minify_js, minify_page
from site_gen.urls import slugify
from site_gen.wording import format_money

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "dependencies.json"

MARKDOWN = """# Heading *with* emphasis

Text with `code`, **bold**, ~~strike~~, an autolink https://example.com/a?b=c&d and
www.example.org, a [link](https://example.com "title"), an image ![alt](/logo.png), and
"quotes" -- dashes... and a footnote.[^1]

| Left | Right |
| :--- | ----: |
| a \\| b | 1 |

- [x] done
- [ ] to do
  1. nested
  2. list

> quoted

```python
print("<fenced>")
```

<details><summary>More</summary><p onclick="x()">hidden <script>alert(1)</script></p></details>

Zürich · 北京 · emoji 🎉 · &amp; &copy; &#x1F600;

[^1]: The footnote.
"""

HOSTILE_HTML = (
    '<p style="color:red" class="x">a<a href="javascript:alert(1)">b</a>'
    '<a href="https://example.com/" target="_blank">c</a><img src="x" onerror="y">'
    "<iframe src=https://evil.example></iframe><svg><script>1</script></svg>"
    '<ul class="contains-task-list"><li class="task-list-item"><input type="checkbox" checked>'
    "</li></ul><table><tr><td colspan=2 align=center>d</td></tr></table><!-- comment --></p>"
)

PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title> A  page </title>
  <style> body { color : red ; } </style>
  <script type="application/ld+json">{ "@type" : "JobPosting",  "title" : "A  B" }</script>
</head>
<body>
  <p class="a  b" data-x = "y">Text   with
     spaces <b> bold </b> <span>and</span>&nbsp;more</p>
  <ul> <li> one </li> <li> two </li> </ul>
  <pre>  keep
    this  </pre>
  <!-- gone -->
  <a href="/x/?a=1&amp;b=2">link</a>
</body>
</html>
"""

CSS = b"""/* comment */
:root { --accent : #0b57d0 ; }
@media (min-width: 40rem) { .a > .b , .c { margin : 0 0 1rem 0 ; color : rgb( 0 , 0 , 0 ) } }
a[href^="https://"]::after { content : " \\2197 " }
"""

JS = b"""// comment
/* block */
const answer = 42 ;
function search ( query ) {
  const words = query.split( / +/ ) ;  // a regex literal
  return `found ${ words.length }` + '  spaces  ' ;
}
window.sitegen = { search : search } ;
"""

TEMPLATE = """{% macro card(p) -%}
<li>{{ p.title }} {{ p.title|e }} {{ p.title|safe|striptags }}</li>
{%- endmacro %}
<ul>{% for p in postings %}
  {{ card(p) }}
{% endfor %}</ul>
{{ data|tojson }} {{ "a b&c"|urlencode }} {{ "  text  "|trim }} {{ 1234567|filesizeformat }}
{{ "Title case words"|title }} {{ "x" * 3 }} {{ "%.2f"|format(3.14159) }}
"""

DAY = date(2026, 11, 27)


def comrak_samples() -> dict[str, str]:
    return {"render": render_markdown(MARKDOWN, "comrak")}


def markdown_samples() -> dict[str, str]:
    return {"render": render_markdown(MARKDOWN, "python-markdown")}


def nh3_samples() -> dict[str, str]:
    return {"sanitize": sanitize(HOSTILE_HTML)}


def jinja2_samples() -> dict[str, str]:
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    postings = [{"title": "<Engineer> & \"Lead\" 'Ops'"}, {"title": "Zürich – 北京"}]
    data = {"html": "</script><!--", "quote": "'\"&", "unicode": "é\u2028"}
    return {"render": env.from_string(TEMPLATE).render(postings=postings, data=data)}


def markupsafe_samples() -> dict[str, str]:
    from markupsafe import Markup, escape

    text = "<a href='x'>\"&amp;\"</a>"
    return {
        "escape": str(escape(text)),
        "format": str(Markup("<b>{}</b>").format(text)),
        "striptags": Markup("<p>a  <b>b</b>\n&amp; c</p>").striptags(),
    }


def babel_samples() -> dict[str, str]:
    samples = {}
    for language in ("en", "de", "fr", "pt_BR", "ja"):
        locale = Locale.parse(language)
        samples[language] = " | ".join(
            [
                format_date(DAY, format="long", locale=language),
                format_money(160000, "USD", language),
                format_money(45.5, "EUR", language),
                format_money(1234567, "JPY", language),
                format_timedelta(
                    timedelta(days=-16), threshold=2, add_direction=True, locale=language
                ),
                format_timedelta(
                    timedelta(days=-3), threshold=2, add_direction=True, locale=language
                ),
                ", ".join(
                    locale.territories[code] for code in ("US", "DE", "CH", "TW", "KR", "CI")
                ),
            ]
        )
    return samples


def pycountry_samples() -> dict[str, str]:
    # Only the code lists are used: which postings validate.
    countries = sorted(c.alpha_2 for c in pycountry.countries)
    currencies = sorted(c.alpha_3 for c in pycountry.currencies)
    return {"countries": " ".join(countries), "currencies": " ".join(currencies)}


def python_slugify_samples() -> dict[str, str]:
    titles = [
        "Senior Software Engineer - Backend/Infrastructure",
        "Zürich: Straße & Co. — Ærø Øresund",
        "北京 開発者",
        "Инженер по данным",
        "C++ / C# Developer (m/w/d) 100%",
        "  ---  ",
    ]
    return {"slugify": " | ".join(slugify(title) for title in titles)}


def minify_html_samples() -> dict[str, str]:
    return {"page": minify_page(PAGE).decode()}


def rcssmin_samples() -> dict[str, str]:
    return {"css": minify_css(CSS).decode()}


def rjsmin_samples() -> dict[str, str]:
    return {"js": minify_js(JS).decode()}


# Pinned distribution -> what it produces. text-unidecode is python-slugify's transliteration.
SAMPLES: dict[str, Callable[[], dict[str, str]]] = {
    "babel": babel_samples,
    "comrak": comrak_samples,
    "jinja2": jinja2_samples,
    "markdown": markdown_samples,
    "markupsafe": markupsafe_samples,
    "minify-html": minify_html_samples,
    "nh3": nh3_samples,
    "pycountry": pycountry_samples,
    "python-slugify": python_slugify_samples,
    "rcssmin": rcssmin_samples,
    "rjsmin": rjsmin_samples,
    "text-unidecode": python_slugify_samples,
}


def pinned() -> dict[str, str]:
    """The exact pins in pyproject.toml's dependencies: name -> version."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pins = (re.fullmatch(r"([A-Za-z0-9._-]+)==([^;\s]+)", d) for d in project["dependencies"])
    return {m[1].lower(): m[2] for m in pins if m}


class Recorded(TypedDict):
    version: str
    output: dict[str, str]


def record() -> dict[str, Recorded]:
    return {name: Recorded(version=version(name), output=SAMPLES[name]()) for name in SAMPLES}


def golden() -> dict[str, Recorded]:
    recorded: dict[str, Recorded] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return recorded


def test_the_pins_are_the_versions_the_golden_output_was_made_with() -> None:
    made_with = {name: entry["version"] for name, entry in golden().items()}
    assert pinned() == made_with, (
        "pyproject.toml's exact pins differ from the versions tests/golden/dependencies.json "
        "was made with: after raising a pin, run python -m tests.test_dependencies --update"
    )


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_pinned_package_makes_the_recorded_output(name: str) -> None:
    entry = golden()[name]
    installed = version(name)
    output = SAMPLES[name]()
    assert output == entry["output"], (
        f"{name} {installed} makes different output from {name} {entry['version']}, which the "
        "golden output was made with: boards built with it would change. See this file's "
        "docstring before upgrading."
    )
    assert installed == entry["version"], (
        f"{name} {installed} is installed, but pyproject.toml pins {entry['version']}: "
        "pip install -e '.[test]' installs the pinned version"
    )


def test_the_golden_output_exercises_the_packages() -> None:
    """A sample that lost its input would record nothing and so could not fail."""
    outputs = {name: entry["output"] for name, entry in golden().items()}
    comrak = outputs["comrak"]["render"]
    assert "<table>" in comrak and "footnote" in comrak and "<script" not in comrak
    assert "&lt;Engineer&gt;" in outputs["jinja2"]["render"]
    assert "zurich" in outputs["python-slugify"]["slugify"]
    assert len(outputs["pycountry"]["countries"].split()) > 240
    assert "160.000" in outputs["babel"]["de"]
    assert "<!--" not in outputs["minify-html"]["page"]


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m tests.test_dependencies --update")
    GOLDEN.parent.mkdir(exist_ok=True)
    text = json.dumps(record(), ensure_ascii=False, indent=2, sort_keys=True)
    GOLDEN.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(REPO)}")
