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
from types import MappingProxyType

from site_gen.cache import at_positions
from site_gen.models import Posting

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
    by_key: dict[str, list[int]] = defaultdict(list)  # key -> positions in ``published``
    for position, posting in enumerate(published):
        for key, _ in _keys(posting):
            if len(by_key[key]) < PER_KEY:
                by_key[key].append(position)
    own = {p.slug: i for i, p in enumerate(published)}
    result: dict[str, tuple[str, ...]] = {}
    for posting in (*published, *others):
        scores: Counter[int] = Counter()
        for key, weight in _keys(posting):
            for _ in range(weight):  # Counter.update counts in C: the hot loop of a big board
                scores.update(by_key.get(key, ()))
        scores.pop(own.get(posting.slug, -1), None)
        result[posting.slug] = tuple(published[position].slug for position in _best(scores))
    return MappingProxyType(result)


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
    rows = [[position[slug] for slug in similar[p.slug]] for p in (*published, *others)]
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
