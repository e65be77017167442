"""Similar postings: for each posting, a few open ones that share its company or its tags.

Computed once per build from the published postings (newest first), so a posting's page
names its neighbours without the template searching. Scores: a shared company counts 3, each
shared tag 1; ties go to the newer posting. To stay fast on big boards, only the newest
``PER_KEY`` postings of a tag or company are candidates: a tag on thousands of postings adds
little to tell them apart.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from types import MappingProxyType

from site_gen.models import Posting
from site_gen.positions import at_positions

SIMILAR_COUNT = 3
PER_KEY = 100
COMPANY_WEIGHT = 3


def _keys(posting: Posting) -> list[tuple[str, int]]:
    """What a posting can share with another, with its weight."""
    keys = [(f"company:{posting.company.name.casefold()}", COMPANY_WEIGHT)]
    return keys + [(f"tag:{tag.casefold()}", 1) for tag in posting.tags]


def similar_postings(
    published: tuple[Posting, ...], others: Iterable[Posting] = ()
) -> Mapping[str, tuple[str, ...]]:
    """Posting slug -> slugs of up to ``SIMILAR_COUNT`` similar published postings.

    ``published`` is newest first and is both the candidates and the postings to match;
    ``others`` (expired postings, whose pages suggest open alternatives) are matched only.
    """
    others = tuple(others)  # iterated twice: matched, then named
    found = matching(published, others)
    matched = (*published, *others)
    slugs = [p.slug for p in published]
    return MappingProxyType(
        {p.slug: tuple(map(slugs.__getitem__, found.best(i))) for i, p in enumerate(matched)}
    )


@dataclass(frozen=True)
class Matching:
    """What matching the postings takes, worked out from them once: each matched posting's
    keys (one tuple for the same key and weight) and own position, and each key's
    candidates. A process forked to match them reads this alone, not the postings, whose
    memory it would otherwise copy (CPython writes a reference count into what it reads)."""

    keys_of: list[list[tuple[str, int]]]  # per matched posting (published, then others)
    own: list[int]  # per matched posting: its position in ``published``, or -1
    candidates: dict[str, list[int]]  # see ``_candidates``

    def best(self, index: int) -> list[int]:
        """The positions of the ``index``-th matched posting's similar postings."""
        # One count in C over every candidate of every key: the hot loop of a big board.
        keys = self.keys_of[index]
        scores = Counter(chain.from_iterable(self.candidates.get(key, ()) for key, _ in keys))
        scores.pop(self.own[index], None)
        return _best(scores)


def matching(published: tuple[Posting, ...], others: Iterable[Posting] = ()) -> Matching:
    """What matching takes, as ``similar_postings`` takes its arguments."""
    matched = (*published, *others)
    shared: dict[tuple[str, int], tuple[str, int]] = {}
    keys_of = [[shared.setdefault(k, k) for k in _keys(p)] for p in matched]  # once each
    own = {p.slug: i for i, p in enumerate(published)}
    return Matching(
        keys_of, [own.get(p.slug, -1) for p in matched], _candidates(keys_of[: len(published)])
    )


def encoded_rows(found: Matching) -> bytes:
    """``encode_similar`` of the postings' map, made from their ``matching`` alone."""
    return _rows_json([found.best(i) for i in range(len(found.keys_of))])


def _candidates(keys_of: list[list[tuple[str, int]]]) -> dict[str, list[int]]:
    """Key -> the positions of its newest ``PER_KEY`` postings (``keys_of``: each published
    posting's keys, newest first), each as many times as the key weighs, so that counting
    them adds up the scores."""
    positions: dict[str, list[int]] = defaultdict(list)
    weights: dict[str, int] = {}
    for position, keys in enumerate(keys_of):
        for key, weight in keys:
            if len(positions[key]) < PER_KEY:
                positions[key].append(position)
                weights[key] = weight
    return {key: found * weights[key] for key, found in positions.items()}


def _best(scores: Counter[int]) -> list[int]:
    """The ``SIMILAR_COUNT`` best-scoring positions, ties to the lower (newer) position."""
    # Only a candidate scoring at least the third-best score can be among the best: a few
    # of the hundreds of candidates, found by a sort of plain integers.
    scored = sorted(scores.values(), reverse=True)
    least = scored[SIMILAR_COUNT - 1] if len(scored) > SIMILAR_COUNT else 0
    ranked = sorted((-score, position) for position, score in scores.items() if score >= least)
    return [position for _, position in ranked[:SIMILAR_COUNT]]


# --- kept in the build cache ----------------------------------------------------------------
# The map is a pure function of the postings' companies, tags and order, so the build cache
# keeps it (``site.assemble_site``): as JSON, one list per matched posting (published, then
# others) of the positions of its similar postings in ``published``.


def encode_similar(
    similar: Mapping[str, tuple[str, ...]],
    published: tuple[Posting, ...],
    others: tuple[Posting, ...] = (),
) -> bytes:
    position = {p.slug: i for i, p in enumerate(published)}
    return _rows_json([[position[slug] for slug in similar[p.slug]] for p in (*published, *others)])


def _rows_json(rows: list[list[int]]) -> bytes:
    """How the cache keeps the map: each matched posting's similar postings, by their
    positions among the published ones (``decode_similar`` reads it)."""
    return json.dumps(rows, separators=(",", ":")).encode("utf-8")


def decode_similar(
    data: bytes, published: tuple[Posting, ...], others: tuple[Posting, ...] = ()
) -> Mapping[str, tuple[str, ...]] | None:
    """What ``encode_similar`` made of these postings' map; None if not that."""
    slugs = [p.slug for p in published]
    matched = (*published, *others)
    try:
        rows = json.loads(data)
        if not isinstance(rows, list) or len(rows) != len(matched):
            return None
        result = {
            posting.slug: at_positions(slugs, row)
            for posting, row in zip(matched, rows, strict=True)
        }
    except (ValueError, TypeError, IndexError):
        return None  # ValueError covers bad JSON and bad UTF-8
    return MappingProxyType(result)
