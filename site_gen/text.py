"""Untrusted text: the characters it may not hold, its one normal form, and how a message
shows it safely.

One rule for every field and every description (docs/security.md): C0 controls other than
tab, line feed and carriage return, DEL, C1 controls (U+0080–U+009F), the Unicode
non-characters (U+FDD0–U+FDEF and the last two code points of every plane) and lone
surrogates are refused in frontmatter values and dropped from descriptions. XML forbids or
discourages all of them, HTML calls them parse errors, and a terminal obeys some of them.
"""

from __future__ import annotations

import re
import unicodedata

_PLANE_ENDS = "".join(chr(plane * 0x10000 + end) for plane in range(17) for end in (0xFFFE, 0xFFFF))
_BMP = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
# Every forbidden character; the definition, and what tests check output with.
FORBIDDEN_CHARS = re.compile(f"[{_BMP}{_PLANE_ENDS[2:]}]")
# The same in two parts, for speed: a class with characters beyond U+FFFF makes ``re`` test
# each of them at every position (ten times slower), and such characters are rare in text.
_FORBIDDEN_BMP = re.compile(f"[{_BMP}]")
_FORBIDDEN_ASTRAL = re.compile(f"[{_PLANE_ENDS[2:]}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _has_astral(text: str) -> bool:
    return not text.isascii() and _ASTRAL.search(text) is not None


def first_forbidden(text: str) -> str | None:
    """A forbidden character of ``text`` (the first, unless only astral ones follow a BMP
    one), or None."""
    found = _FORBIDDEN_BMP.search(text)
    if found is None and _has_astral(text):
        found = _FORBIDDEN_ASTRAL.search(text)
    return None if found is None else found.group()


def without_forbidden(text: str) -> str:
    """``text`` without its forbidden characters."""
    text = _FORBIDDEN_BMP.sub("", text)
    return _FORBIDDEN_ASTRAL.sub("", text) if _has_astral(text) else text


# What a message escapes besides those: tab and line breaks (one problem, one line), and the
# characters that reorder or hide text on a terminal (bidirectional controls).
_UNPRINTABLE = re.compile(
    "[\t\n\r\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufdd0-\ufdef" + _PLANE_ENDS + "]"
)


def char_name(char: str) -> str:
    """How a message names a forbidden character: "the control character U+001B"."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "lone surrogate"
    elif code >= 0xFDD0 and not (0x80 <= code <= 0x9F):
        kind = "non-character"
    else:
        kind = "control character"
    return f"the {kind} U+{code:04X}"


def forbidden_problem(value: str) -> str | None:
    """The message for the first forbidden character in a field's value, or None."""
    found = first_forbidden(value)
    return None if found is None else f"contains {char_name(found)}; remove it"


def nfc(value: str) -> str:
    """``value`` in Unicode normal form C, so that one word typed on two systems (composed
    "ü" or "u" plus a combining diaeresis) is one value everywhere it is compared, counted,
    slugged or shown."""
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def escaped(text: str) -> str:
    """``text`` safe to print as one line of a message: control characters, line breaks,
    bidirectional controls and non-characters as Python escapes (``\\n``, ``\\x1b``,
    ``\\u202e``), and the undecodable bytes of a file name (surrogate-escaped by the OS
    layer) as ``\\xff``. Nothing in a file name, key or value can forge a line or drive the
    terminal."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")
