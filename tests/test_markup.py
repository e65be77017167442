"""Markdown engines and the sanitiser."""

import html as html_module
import re
import subprocess
import sys

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

from site_gen.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    CONTROL_CHARS,
    URL_SCHEMES,
    fold_start,
    get_engine,
    plain_text,
    render_markdown,
    sanitize,
    shorten,
    without_control_chars,
)

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
        '<li><input checked="" disabled="" type="checkbox"> ship it</li>\n'
        '<li><input disabled="" type="checkbox"> test it</li>\n</ul>\n'
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


# Runs of spaces, tabs, newlines and the Unicode spaces, among short words.
WHITESPACE = st.sampled_from([" ", " " * 40, "\t", "\n \n", "\xa0", "\u2003", "\u3000", "\x1c"])
SPACED_TEXT = st.lists(st.one_of(WHITESPACE, st.text("ab,.é", max_size=9)), max_size=120).map(
    "".join
)


@given(text=SPACED_TEXT, at_least=st.integers(1, 80))
def test_folding_only_a_start_cuts_where_folding_everything_does(text: str, at_least: int) -> None:
    whole = re.sub(r"\s+", " ", text).strip()
    start = fold_start(text, at_least)
    assert whole.startswith(start)
    assert start == whole or len(start) >= at_least
    limit = at_least - 1
    if limit:
        assert shorten(start, limit) == shorten(whole, limit)


# Markup a sanitised description may hold, among text with references and spaces.
HTML_PARTS = st.one_of(
    SPACED_TEXT,
    st.sampled_from(
        [
            "<p>",
            "</p>",
            '<a href="https://x.example/?a=1&amp;b=2">',
            "</a>",
            "<br>",
            "&amp;",
            "&lt;",
            "&gt;",
            "&nbsp;",
            "&quot;",
            "<ul><li>",
            "</li></ul>",
            "<h2>",
            "</h2>",
        ]
    ),
)


@given(parts=st.lists(HTML_PARTS, max_size=200), limit=st.integers(1, 120))
def test_a_summary_read_from_a_start_of_the_html_is_the_whole_texts(
    parts: list[str], limit: int
) -> None:
    safe_html = "".join(parts)
    whole = " ".join(html_module.unescape(nh3.clean(safe_html, tags=set())).split())
    assert plain_text(safe_html, limit) == shorten(whole, limit)


def test_a_summary_is_not_cut_inside_a_reference_or_a_tag() -> None:
    """Every place the start of the HTML can end: inside ``&nbsp;`` (a space when whole, four
    letters when cut), inside a tag, between words."""
    for tags in range(4):  # how much markup there is for each character of text
        for pad in range(3):
            unit = "&nbsp;x" + "<i>y</i>" * tags + "&amp;" + "<br>" * (2 * tags)
            safe_html = "a" * pad + unit * 150
            whole = " ".join(html_module.unescape(nh3.clean(safe_html, tags=set())).split())
            for limit in range(1, 50):
                assert plain_text(safe_html, limit) == shorten(whole, limit), (tags, pad, limit)


ENGINES = ["comrak", "python-markdown"]


def test_the_allow_list_has_nothing_active() -> None:
    active = {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "form",
        "base",
        "link",
        "meta",
        "svg",
        "math",
        "template",
        "frame",
        "frameset",
        "applet",
        "button",
        "textarea",
        "select",
        "noscript",
        "video",
        "audio",
        "source",
    }
    assert not active & ALLOWED_TAGS
    attributes = {a for names in ALLOWED_ATTRIBUTES.values() for a in names}
    assert not {a for a in attributes if a.startswith("on")}
    assert not attributes & {"style", "srcset", "action", "formaction", "id", "name", "target"}
    assert set(URL_SCHEMES) == {"http", "https", "mailto"}


@pytest.mark.parametrize("engine", ENGINES)
def test_every_input_is_a_checkbox(engine: str) -> None:
    out = render_markdown('<input type="password" name="pw"><input type=text value=x>', engine)
    inputs = html.fragment_fromstring(out, create_parent="div").xpath("//input")
    assert len(inputs) == 2
    assert all(dict(i.attrib) == {"type": "checkbox"} for i in inputs)


def test_sanitised_html_is_the_same_in_every_process() -> None:
    """Reproducible builds: nh3 must not add attributes in a per-process hash order."""
    code = (
        "from site_gen.markup import render_markdown;"
        "print(render_markdown('- [x] a\\n\\n<input type=text disabled checked>', 'comrak'))"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
        for _ in range(4)
    }
    assert len(outputs) == 1, outputs


def test_task_lists_keep_their_state() -> None:
    out = render_markdown("- [x] done\n- [ ] open\n", "comrak")
    boxes = html.fragment_fromstring(out, create_parent="div").xpath("//input")
    assert [b.get("checked") is not None for b in boxes] == [True, False]


@pytest.mark.parametrize("engine", ENGINES)
def test_control_characters_are_dropped(engine: str) -> None:
    out = render_markdown('a\x00b\x07c\x1bd <a href="java\x00script:alert(1)">x</a>', engine)
    assert "abcd" in out
    assert not [c for c in out if ord(c) < 32 and c not in "\t\n\r"]
    assert "href" not in out  # joined up, the URL is javascript: and is removed


def test_every_control_character_is_found() -> None:
    """The quick look on UTF-8 bytes must miss none of the characters the regex drops."""
    controls = [chr(c) for c in range(sys.maxunicode + 1) if CONTROL_CHARS.match(chr(c))]
    # C0 but tab, LF, CR (29); DEL; C1 (32); surrogates (2048); non-characters (32 + 34)
    assert len(controls) == 29 + 1 + 32 + 2048 + 32 + 34
    for char in controls:
        assert without_control_chars(f"Zürich{char}€ 🙂") == "Zürich€ 🙂"
        assert without_control_chars(f"{char}") == ""
    text = "Zürich\t€ 🙂\r\n\u2028 © « » \ufdcf\ufdf0\ufffd 한국어 \U0001fffd\U0010fffd"
    assert without_control_chars(text) is text


def test_no_named_reference_stands_for_a_forbidden_character() -> None:
    """Why comrak's HTML of markdown without an "&" is not searched for them: only a
    numeric reference can bring one back (``markup._unreferenced``)."""
    named = html_module.entities.html5
    assert len(named) > 2000
    assert [name for name, text in named.items() if CONTROL_CHARS.search(text)] == []


@settings(max_examples=500, deadline=None)
@given(
    body=st.lists(
        st.one_of(
            st.text(max_size=5),
            st.sampled_from(["<b title='", "'>", "[", "](", ")", "`", "<", "# ", "\\", "\n"]),
            st.sampled_from(["<h1>", "<!--", "-->", "<![CDATA[", "]]>", "\x00", "\x85", "\ufffe"]),
        ),
        max_size=12,
    ).map(lambda parts: "".join(parts).replace("&", "")),
)
def test_comrak_makes_no_forbidden_character_of_markdown_without_an_ampersand(body: str) -> None:
    html_text = sanitize(get_engine("comrak")(without_control_chars(body)))
    assert CONTROL_CHARS.search(html_text) is None, repr(html_text)


@pytest.mark.parametrize("engine", ENGINES)
def test_links_get_rel_and_lose_target(engine: str) -> None:
    out = render_markdown(
        '<a href="https://evil.example" target="_blank" rel="opener">x</a>', engine
    )
    (link,) = html.fragment_fromstring(out, create_parent="div").xpath("//a")
    assert dict(link.attrib) == {"href": "https://evil.example", "rel": "noopener nofollow ugc"}
