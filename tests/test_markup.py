"""Markdown engines and the sanitiser."""

import pytest

from site_gen.markup import plain_text, render_markdown

GFM_SAMPLE = """## Stack

| Tool | Use |
| :--- | ---: |
| Rust | storage |

- [x] ship it
- [ ] test it

~~old~~ new, see https://example.com/jobs and www.example.org.
"""


def test_default_engine_renders_github_flavoured_markdown():
    assert render_markdown(GFM_SAMPLE, "comrak") == (
        "<h2>Stack</h2>\n<table>\n<thead>\n<tr>\n"
        '<th align="left">Tool</th>\n<th align="right">Use</th>\n'
        "</tr>\n</thead>\n<tbody>\n<tr>\n"
        '<td align="left">Rust</td>\n<td align="right">storage</td>\n'
        "</tr>\n</tbody>\n</table>\n<ul>\n"
        '<li><input type="checkbox" checked="" disabled=""> ship it</li>\n'
        '<li><input type="checkbox" disabled=""> test it</li>\n</ul>\n'
        "<p><del>old</del> new, see "
        '<a href="https://example.com/jobs" rel="noopener nofollow ugc">https://example.com/jobs</a>'
        ' and <a href="http://www.example.org" rel="noopener nofollow ugc">www.example.org</a>.</p>\n'
    )


def test_python_markdown_engine_renders_tables_and_fenced_code():
    html = render_markdown("| a |\n|---|\n| b |\n\n```\ncode\n```\n", "python-markdown")
    assert "<table>" in html and "<td>b</td>" in html
    assert "<pre><code>code\n</code></pre>" in html


@pytest.mark.parametrize("engine", ["comrak", "python-markdown"])
def test_scripts_handlers_and_bad_urls_are_removed(engine: str):
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src="x.png" onerror="alert(1)" alt="a">\n\n'
        "[click](javascript:alert(1)) <a href='data:text/html,x'>d</a>",
        engine,
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "data:" not in html


def test_description_h1_becomes_h2():
    assert render_markdown("# Title\n", "comrak") == "<h2>Title</h2>\n"


def test_plain_text_folds_and_cuts_at_a_word():
    assert plain_text("<p>Hello   <b>big</b>\nworld &amp; more</p>") == "Hello big world & more"
    assert plain_text("<p>one two three four</p>", limit=9) == "one two…"
