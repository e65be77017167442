"""Text as the search page reads it: case- and accent-insensitive words (search.js folds
queries the same way), in the order JavaScript sorts them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain

WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case, accents and other marks removed ("Zürich" -> "zurich")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def words(text: str) -> list[str]:
    """The folded words of a text, as search.js reads them: runs of letters and digits."""
    if text.isascii():
        return WORD.findall(text.lower())
    return list(chain.from_iterable(map(folded_word, WORD.findall(text))))


@lru_cache(maxsize=65536)
def folded_word(word: str) -> list[str]:
    return WORD.findall(fold(word))


def utf16_order(word: str) -> bytes:
    """Sort key matching JavaScript's string comparison (UTF-16 code units)."""
    return word.encode("utf-16-be")
