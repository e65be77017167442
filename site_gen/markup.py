"""Markdown to safe HTML: one interface, two engines, one sanitiser.

``comrak`` (GitHub-flavoured markdown, rendered as GitHub renders it) is the default;
``python-markdown`` stays selectable for boards that rely on its extensions. Whatever the
engine, HTML passes through nh3 before it reaches a page, because postings come from many
hands.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache

import comrak
import nh3

MarkdownEngine = Callable[[str], str]

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "input",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "input": {"checked", "disabled"},  # task-list boxes only: see SET_ATTRIBUTES
    "code": {"class"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "li": {"class"},
    "ul": {"class"},
}
# Whatever a description says, an <input> is a checkbox (GitHub's task lists), never a text
# or password field that could pose as part of the page. One attribute only: ammonia adds
# several in hash order, which would make builds differ byte for byte.
SET_ATTRIBUTES = {"input": {"type": "checkbox"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow ugc"
# Characters XML forbids (and HTML calls parse errors): dropped from descriptions, refused in
# frontmatter values, so that no page, feed or search index carries them.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Its ASCII characters as bytes, to look for them in UTF-8 text in one C pass (the others are
# U+FFFE and U+FFFF). A test checks that the two lists agree.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _comrak_engine() -> MarkdownEngine:
    extensions = comrak.ExtensionOptions()
    extensions.table = True
    extensions.strikethrough = True
    extensions.autolink = True
    extensions.tasklist = True
    extensions.tagfilter = True
    render = comrak.RenderOptions()
    render.unsafe_ = True  # raw HTML is passed on to nh3, which decides what survives

    def to_html(text: str) -> str:
        return comrak.render_markdown(text, extension_options=extensions, render_options=render)

    return to_html


def _python_markdown_engine() -> MarkdownEngine:
    import markdown as python_markdown  # slow to import; a board on comrak never needs it

    converter = python_markdown.Markdown(
        extensions=["tables", "fenced_code", "attr_list", "sane_lists"], output_format="html"
    )

    def to_html(text: str) -> str:
        return converter.reset().convert(text)

    return to_html


ENGINES: dict[str, Callable[[], MarkdownEngine]] = {
    "comrak": _comrak_engine,
    "python-markdown": _python_markdown_engine,
}


@cache
def get_engine(name: str) -> MarkdownEngine:
    """The engine of that name, built once per process."""
    return ENGINES[name]()


# Both sanitisers are built once per process: nh3 compiles its rules into a cleaner, and
# passing the sets on every call would rebuild them for each posting.
_SANITISER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    set_tag_attribute_values=SET_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
)
_TEXT_ONLY = nh3.Cleaner(tags=set())


def sanitize(unsafe_html: str) -> str:
    """Keep only markup fit for a job description; drop scripts, handlers and bad URLs."""
    return _SANITISER.clean(unsafe_html)


_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def render_markdown(text: str, engine: str) -> str:
    """Markdown to sanitised HTML. A description's ``h1`` becomes ``h2``: the page has its own."""
    return _H1.sub(r"<\1h2", sanitize(get_engine(engine)(without_control_chars(text))))


def without_control_chars(text: str) -> str:
    """``text`` without CONTROL_CHARS. Descriptions nearly never have one, and proving that
    on the UTF-8 bytes costs a sixth of the regex's character-by-character search."""
    encoded = text.encode("utf-8", "surrogatepass")
    clean = len(encoded.translate(None, _CONTROL_BYTES)) == len(encoded)
    if clean and "\ufffe" not in text and "\uffff" not in text:
        return text
    return CONTROL_CHARS.sub("", text)


def plain_text(safe_html: str, limit: int = 300) -> str:
    """Visible text of some HTML, whitespace folded, cut at a word boundary near ``limit``."""
    text = html.unescape(_TEXT_ONLY.clean(safe_html))
    return shorten(fold_start(text, limit + 1), limit)


def fold_start(text: str, at_least: int) -> str:
    """``text`` with its whitespace folded to single spaces and stripped, as far as needed:
    all of it, or a start of at least ``at_least`` characters.

    A summary keeps 300 characters of a text of thousands; folding only a start that is
    long enough gives the same cut, as the folded start of a text is the start of the
    folded text.
    """
    size = 2 * at_least
    while True:
        folded = " ".join(text[:size].split())  # str.split's whitespace is re's ``\s``
        if len(folded) >= at_least or size >= len(text):
            return folded
        size *= 4


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else cut at a word boundary, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"
