"""A compiled posting as the build cache keeps it: in memory, compact (parts shared between
postings), and read back from its JSON, validated again by its model.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import lru_cache

from pydantic import ValidationError

from site_gen.cache_keys import text_digest
from site_gen.models import Posting


class SharedParts:
    """One object for equal parts of many postings, to keep a large board's metadata small.

    A board of 100,000 postings has a few thousand companies and places: each posting that
    names them points to one shared value instead of a copy. The field sets pydantic keeps
    per model are shared too (postings are frozen, so nothing changes them in place).
    About a third less memory per posting; the postings compare equal to the originals.
    """

    def __init__(self) -> None:
        self._values: dict[object, object] = {}
        self._field_sets: dict[frozenset[str], set[str]] = {}

    def posting(self, posting: Posting) -> Posting:
        """``posting``, its parts swapped for shared equal ones in place (cheaper than a new
        model by far): only for a posting just made, that nothing else holds yet."""
        values = posting.__dict__
        for name in ("company", "salary", "employment_type", "applicant_locations"):
            values[name] = self._one(values[name])
        values["location"] = tuple(self._one(place) for place in values["location"])
        values["tags"] = tuple(sys.intern(tag) for tag in values["tags"])
        fields = posting.model_fields_set
        shared = self._field_sets.setdefault(frozenset(fields), set(fields))
        object.__setattr__(posting, "__pydantic_fields_set__", shared)
        return posting

    def _one(self, value: object) -> object:
        return self._values.setdefault(value, value)


@dataclass(frozen=True, slots=True)  # one per posting: no dict each
class CachedPosting:
    posting: Posting
    # Kept as text, a third of the memory of the dict, and interned (``sys.intern``):
    # postings laid out alike, most of a board, have the same lines. Read rarely.
    key_lines_json: str
    metadata_digest: str  # of the posting without its description: what listings show

    @property
    def key_lines(self) -> dict[str, int]:
        """Decoded on use (every build); damaged lines only cost a message its line number."""
        return dict(decoded_lines(self.key_lines_json))


@lru_cache(maxsize=4096)  # postings laid out alike have the same lines: decoded once
def decoded_lines(text: str) -> tuple[tuple[str, int], ...]:
    try:
        lines = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(lines, dict):
        return ()
    return tuple((str(k), v) for k, v in lines.items() if isinstance(v, int))


def top_lines(key_lines: dict[str, int]) -> dict[str, int]:
    """The lines of top-level fields: all a valid posting's messages (warnings) name; the
    nested ones (location.0.city...) are most of the lines."""
    return {name: line for name, line in key_lines.items() if "." not in name}


def lines_json(key_lines: dict[str, int]) -> str:
    """A valid posting's key lines as the cache keeps them (``top_lines``)."""
    return json.dumps(top_lines(key_lines), separators=(",", ":"))


def metadata_digest(posting: Posting, posting_json: str) -> str:
    """What the posting shows outside its own page: its JSON without the file's hash and the
    digest of what its page shows (both change with an edit to the description alone)."""
    source = posting.source
    return text_digest(posting_json.replace(source.digest, "").replace(source.shown_digest, ""))


def load_posting(row: tuple[object, ...]) -> CachedPosting | None:
    """A stored posting, validated again by its model; None if it does not pass."""
    posting_json, lines_json = row
    if not isinstance(posting_json, str) or not isinstance(lines_json, str):
        return None
    try:
        posting = Posting.model_validate_json(posting_json)
    except ValidationError:
        return None
    return CachedPosting(posting, sys.intern(lines_json), metadata_digest(posting, posting_json))
