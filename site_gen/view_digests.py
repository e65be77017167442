"""The digest of a view: what names a page in the build cache (``incremental.cached``).

A view holds exactly what its page shows; ``ViewDigests`` walks it field by field, so that
a value a template needs is in the view, and then in the key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from functools import partial
from itertools import chain
from operator import attrgetter
from typing import Any, cast

from pydantic import BaseModel

from site_gen.models import Posting
from site_gen.pages import View


class ViewDigests:
    """The digest of a view: of every value it holds, walked field by field.

    Parts shared by many views (a posting, a facet value, a listing's tuple of postings) are
    digested once per build, remembered by identity (and kept alive, so an identity is never
    reused). A posting is named by its file: path and content hash (a compiled posting, and
    so its description, is a function of its file, the markdown engine and the code, which
    the build's fingerprint names). A value of a type not known here is an error, never
    skipped.

    Every page's key is digested on every build, the preview server's rebuilds included, so
    this walk is written for speed: one encoder per type, found once per type; a
    dataclass's fields read in one call; strings (most fields) encoded and remembered parts
    looked up inline in the loop over a container's items; no digest of what no other view
    can share (the view itself) or of what is as short as one (scalars, dates).
    """

    def __init__(self) -> None:
        # By identity: the digest of each part digested so far (kept alive in ``_kept``, so
        # that no identity is reused while remembered), and the encodings of None, True and
        # False (alive as long as the process), found by the same lookup.
        self._memo: dict[int, bytes] = {id(v): _scalar(self, v) for v in (None, True, False)}
        self._kept: list[object] = []
        self._encoders: dict[type, tuple[bytes, Encoder]] = {}

    def key(self, fingerprint: str, view: View) -> str:
        # The view's own encoding goes into the key, not a digest of it: a view is made for
        # its page alone, so remembering it would only keep it alive.
        template: str = view.template
        kind = type(view)
        name, encode = self._encoders.get(kind) or self._encoder(kind)
        head = fingerprint.encode() + template.encode() + name
        return hashlib.sha256(head + encode(self, view)).hexdigest()

    def of(self, value: object) -> bytes:
        kind = type(value)
        if kind is str:
            text = cast(str, value).encode("utf-8", "surrogatepass")
            return b"s%d:%b" % (len(text), text)
        if kind in _SCALARS:
            return f"{kind.__name__}:{value!r};".encode()
        found = self._memo.get(id(value))
        if found is not None:
            return found
        name, encode = self._encoders.get(kind) or self._encoder(kind)
        digest = b"#" + hashlib.sha256(name + encode(self, value)).digest()
        self._memo[id(value)] = digest
        self._kept.append(value)
        return digest

    def remember(self, values: Iterable[object]) -> None:
        """Digest ``values`` now, so that their digests are looked up when views hold them
        (``incremental.cached``: the board's postings, before the page workers fork)."""
        of = self.of
        for value in values:
            of(value)

    def items(self, values: Iterable[object]) -> bytes:
        """The digests of ``values``, one after the other."""
        memo, of = self._memo, self.of
        parts = []
        for value in values:
            if type(value) is str:  # the commonest field: never remembered, encoded here
                text = value.encode("utf-8", "surrogatepass")
                parts.append(b"s%d:%b" % (len(text), text))
            else:
                parts.append(memo.get(id(value)) or of(value))
        return b"".join(parts)

    def _encoder(self, kind: type) -> tuple[bytes, Encoder]:
        """How to encode a value of ``kind``, after its type's name: found once per type.
        (Functions, not bound methods: the collector is off during a build, and a bound
        method kept in its own object's dict would keep every chunk's digests alive.)"""
        encode: Encoder
        if issubclass(kind, date):
            encode = _scalar
        elif issubclass(kind, str):  # Markup and other str subclasses
            encode = _text
        elif issubclass(kind, Posting):
            encode = _posting
        elif issubclass(kind, BaseModel):
            encode = _model
        elif issubclass(kind, (tuple, list)):
            encode = _sequence
        elif issubclass(kind, Mapping):
            encode = _mapping
        elif is_dataclass(kind):
            encode = partial(_fields, _field_values(kind))
        else:
            raise TypeError(f"a view cannot hold a {kind.__qualname__}: no digest for it")
        found = self._encoders[kind] = (kind.__qualname__.encode() + b":", encode)
        return found


Encoder = Callable[[ViewDigests, Any], bytes]


def _scalar(digests: ViewDigests, value: object) -> bytes:
    return f"{type(value).__name__}:{value!r};".encode()


def _text(digests: ViewDigests, value: str) -> bytes:
    return digests.of(str(value))


def _posting(digests: ViewDigests, posting: Posting) -> bytes:
    return f"{posting.source.path}\x1f{posting.source.digest}".encode()


def _model(digests: ViewDigests, model: BaseModel) -> bytes:
    return model.model_dump_json().encode()


def _sequence(digests: ViewDigests, value: Sequence[object]) -> bytes:
    return b"%d:" % len(value) + digests.items(value)


def _mapping(digests: ViewDigests, value: Mapping[object, object]) -> bytes:
    return b"%d:" % len(value) + digests.items(chain.from_iterable(value.items()))


def _fields(
    values: Callable[[object], Iterable[object]], digests: ViewDigests, value: object
) -> bytes:
    return digests.items(values(value))


def _field_values(kind: type) -> Callable[[object], Iterable[object]]:
    """A dataclass's field values, in order: in one call in C (``attrgetter`` of two names
    or more gives a tuple)."""
    names = [f.name for f in fields(kind)]
    if len(names) >= 2:
        return attrgetter(*names)
    return lambda value: [getattr(value, name) for name in names]


# Encoded as they are, not digested and remembered: a date is as short as its digest, and
# ``Site.today`` is a new one each time it is asked for.
_SCALARS = frozenset({int, float, bool, type(None), date, datetime})
