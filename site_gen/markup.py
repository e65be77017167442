"""Markdown to safe HTML: one interface, two engines, one sanitiser.

``comrak`` (GitHub-flavoured markdown, rendered as GitHub renders it) is the default;
``python-markdown`` stays selectable for boards that rely on its extensions. Whatever the
engine, HTML passes through nh3 before it reaches a page, because postings come from many
hands.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from functools import cache

import comrak
import nh3

from site_gen.text import FORBIDDEN_CHARS, without_forbidden

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
# The characters no page, feed or search index may carry (``text.FORBIDDEN_CHARS``): dropped
# from descriptions, refused in frontmatter values.
CONTROL_CHARS = FORBIDDEN_CHARS
# Its ASCII characters as bytes, to look for them in UTF-8 text in one C pass; a test checks
# that the lists agree.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# Lead bytes, one of which the UTF-8 of every other one has: C2 (the C1 controls), ED
# (surrogates), EF (U+FDD0-U+FDEF, U+FFFE, U+FFFF), F0-F4 (the other non-characters).
# Finding none (memchr, a fraction of a microsecond each) proves the text clean.
_SUSPECT_BYTES = (b"\xc2", b"\xed", b"\xef", b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4")


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
    """Markdown to sanitised HTML. A description's ``h1`` becomes ``h2``: the page has its own.

    Forbidden characters are dropped from the markdown, and again from the HTML: character
    references (``&#1;``, ``&#x85;``, ``&#xFDD0;``) bring them back through the engine."""
    return render_all([text], engine)[0]


def render_all(texts: Sequence[str], engine: str) -> list[str]:
    """``render_markdown`` of each text, one step at a time over all of them: the engine's
    and the sanitiser's code and tables stay in the CPU's caches through their step, which
    costs less CPU than text by text (``bench/compile_cost.py`` measures how much)."""
    to_html = get_engine(engine)
    clean = [without_control_chars(text) for text in texts]
    safe = [sanitize(to_html(text)) for text in clean]
    return [
        _H1.sub(r"<\1h2", _unreferenced(html_text, text, engine))
        for html_text, text in zip(safe, clean, strict=True)
    ]


def _unreferenced(safe_html: str, markdown: str, engine: str) -> str:
    """``safe_html`` without the forbidden characters that character references brought back.

    A reference needs an "&", and no named one stands for a forbidden character: from
    markdown without an "&" (most descriptions) comrak and the sanitiser make none, and
    the HTML need not be searched. python-markdown's HTML is always searched: its
    placeholders for stashed HTML are control characters."""
    if engine == "comrak" and "&" not in markdown:
        return safe_html
    return without_control_chars(safe_html)


def without_control_chars(text: str) -> str:
    """``text`` without CONTROL_CHARS. Descriptions nearly never have one, and proving that
    on the UTF-8 bytes costs a sixth of the regex's character-by-character search."""
    encoded = text.encode("utf-8", "surrogatepass")
    clean = len(encoded.translate(None, _CONTROL_BYTES)) == len(encoded)
    if clean and (text.isascii() or not _suspect(encoded)):
        return text
    return without_forbidden(text)


def _suspect(encoded: bytes) -> bool:
    return any(lead in encoded for lead in _SUSPECT_BYTES)


def plain_text(safe_html: str, limit: int = 300) -> str:
    """Visible text of some HTML, whitespace folded, cut at a word boundary near ``limit``.

    A summary needs the text's first ``limit + 1`` characters of thousands, so only a start
    of the HTML is read, longer and longer until its text is long enough. The text of a
    start of some HTML is the start of its text except at the very end, where a tag or a
    character reference may be cut off: ``_CUT_MARGIN`` characters more than needed keep
    that end out of the summary. A description's HTML is mostly text, so twice the text
    needed is nearly always enough; reading more than that costs more than a second try."""
    size = 2 * (limit + _CUT_MARGIN)
    while True:
        text = fold_start(html.unescape(_TEXT_ONLY.clean(safe_html[:size])), limit + 1)
        if size >= len(safe_html):
            return shorten(text, limit)
        if len(text) > limit + _CUT_MARGIN:
            return shorten(text[: limit + 1], limit)
        size *= 4


_CUT_MARGIN = 40  # more than the longest reference the sanitiser writes (&nbsp;, &quot;)


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
