"""Lists kept as positions into another list: how the build cache stores the facets' and
the similar postings' slugs (``facets_json``, ``similar``), decoded with a check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def at_positions(items: Sequence[T], positions: object) -> tuple[T, ...]:
    """``items`` at ``positions``, a decoded JSON list of indices: checking that it is one
    (``TypeError``, ``IndexError`` if not). In C, a list of thousands at a time."""
    if not isinstance(positions, list):
        raise TypeError("expected a list of positions")
    if not positions:
        return ()
    if set(map(type, positions)) != {int}:  # not bool, not float
        raise TypeError("expected a list of positions")
    if min(positions) < 0 or max(positions) >= len(items):
        raise IndexError("not a position in the list")
    return tuple(map(items.__getitem__, positions))
