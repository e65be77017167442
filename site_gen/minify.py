"""``--minify``: smaller HTML, CSS and JS that show and do exactly what the originals do.

HTML goes through minify-html (a fast, whitespace-aware, spec-following minifier): it drops
comments, optional tags and quotes and collapses whitespace the way a browser would render
it. JSON-LD blocks are data, not script, and it leaves them byte for byte. Its own JS
minifier is *not* used: it removes top-level declarations it thinks unused, which changes
what a page does when another script uses them (and the pages carry no inline script
anyway). Stylesheets and scripts are minified by rcssmin and rjsmin, which only remove
comments and whitespace.

HTML pages are minified as they stream from the renderer to the writer; CSS and JS are
minified by ``assets.py`` before they are fingerprinted, so that a hashed name always names
the bytes served.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Protocol, TypeVar

import minify_html
import rcssmin
import rjsmin


class _File(Protocol):
    """An output file: a dataclass (for ``dataclasses.replace``) with a path and bytes."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def path(self) -> str: ...

    @property
    def data(self) -> bytes: ...


F = TypeVar("F", bound=_File)


def minify_page(data: bytes) -> bytes:
    """One HTML page, minified; every element, attribute and visible character kept."""
    html = minify_html.minify(
        data.decode("utf-8"),
        minify_css=True,  # style attributes and elements, if a theme has any
        minify_js=False,  # see the module docstring
        keep_comments=False,
        keep_closing_tags=False,
        keep_html_and_head_opening_tags=False,
        allow_noncompliant_unquoted_attribute_values=False,
        minify_doctype=False,  # "<!doctypehtml>" is not valid HTML
    )
    return html.encode("utf-8")


def minify_css(data: bytes) -> bytes:
    css: bytes = rcssmin.cssmin(data)  # bytes in, bytes out
    return css


def minify_js(data: bytes) -> bytes:
    js: bytes = rjsmin.jsmin(data)
    return js


def minify_files(files: Iterable[F]) -> Iterator[F]:
    """Minify the HTML pages in a stream of output files; pass everything else through."""
    for file in files:
        if file.path.endswith(".html"):
            # The digest, if the file had one, named the bytes before minifying.
            data = minify_page(file.data)
            yield dataclasses.replace(file, data=data, digest=None)
        else:
            yield file
