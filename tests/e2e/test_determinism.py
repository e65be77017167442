"""Class 6 of issue 17: the same input and clock give byte-identical output under any
``PYTHONHASHSEED``.

YAML's ``!!set`` builds a Python set, whose order follows the hash seed: it is refused
(a list says the same thing in an order). Ordered constructs (``!!omap``, ``!!pairs``,
merge keys ``<<``) keep the order they are written in. Whole builds run in fresh processes
under several hash seeds and must agree to the byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_gen.content import parse_text
from site_gen.validate import validate_posting
from tests.helpers import posting_text, tree_bytes, write_board
from tests.security.corpus import posting

PATH = "content/jobs/job.md"
SET_MESSAGE = "a set (!!set) has no order; write a list instead, e.g. [a, b]"


def problems_of(text: str) -> list[str]:
    result = validate_posting(parse_text(text, PATH, "d"), "comrak")
    return [str(d) for d in result] if isinstance(result, tuple) else []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"tags": "!!set {python, go, rust}"}, f"{PATH}:9: tags: {SET_MESSAGE}"),
        ({"tags": "!!set\n  ? python\n  ? go"}, f"{PATH}:9: tags: {SET_MESSAGE}"),
        (
            {"applicant_locations": "!!set {US, DE}", "remote": "remote"},
            f"{PATH}:9: applicant_locations: {SET_MESSAGE}",
        ),
        (
            {"location": "[!!set {country: DE}]"},
            f"{PATH}:6: location.0: {SET_MESSAGE}",
        ),
        ({"company": "!!set {Acme}"}, f"{PATH}:3: company: {SET_MESSAGE}"),
    ],
)
def test_a_set_is_refused_where_it_stands(fields: dict[str, str], expected: str) -> None:
    assert expected in problems_of(posting(**fields))


def test_a_set_of_the_whole_frontmatter_is_refused() -> None:
    found = problems_of("---\n!!set {title: x}\n---\n")
    assert found and SET_MESSAGE in found[0]


def test_ordered_constructs_keep_their_order() -> None:
    text = posting(
        location="[&berlin {city: Berlin, country: DE}, {<<: *berlin, city: Potsdam}]",
        tags="[zeta, alpha, Mid]",
    )
    result = validate_posting(parse_text(text, PATH, "d"), "comrak")
    assert not isinstance(result, tuple), result
    assert [p.city for p in result.location] == ["Berlin", "Potsdam"]
    assert result.tags == ("zeta", "alpha", "Mid")
    omap = problems_of(posting(tags="!!omap [a: 1, b: 2]"))
    assert omap and all("!!set" not in line for line in omap)  # refused as not text, in order


SEEDS = ["0", "1", "42", "4294967295"]


def board(root: Path) -> Path:
    """Postings that exercise every grouping the build does: tags in several spellings and
    cases, places, pay in several currencies, companies, levels, types, expired ones."""
    postings = {}
    for i in range(12):
        postings[f"job-{i}"] = posting_text(
            title=f"Engineer {i} Zu\u0308rich",
            company={"name": ["Acme", "acme", "Umbrella", "Initech"][i % 4]},
            date_posted=f"2026-11-{10 + i:02d}",
            valid_through="2026-11-25" if i == 3 else "2027-01-31",
            employment_type=["full-time", "contract", ["part-time", "temporary"]][i % 3],
            location=[
                {"city": ["Berlin", "Zürich", "Zu\u0308rich", "Paris"][i % 4], "country": "DE"},
                {"city": "Wien", "country": "AT"},
            ][: 1 + i % 2],
            remote=["onsite", "hybrid", "remote"][i % 3],
            applicant_locations=["US", "DE", "FR"] if i % 3 == 2 else None,
            salary={
                "min": 1000 * (i + 40),
                "max": 1000 * (i + 60),
                "currency": ["EUR", "USD"][i % 2],
            },
            tags=[
                ["PostgreSQL", "postgresql", "Go", "go", "Rust", "C++", "c#"][(i + k) % 7]
                for k in range(3)
            ],
            experience_level=["Senior", "senior", "Junior"][i % 3],
        )
    root = write_board(root, postings=postings)
    (root / "content" / "pages" / "about.md").write_text(
        "---\ntitle: About\n---\nWho we are.\n", encoding="utf-8"
    )
    return root


def build_with_seed(source: Path, target: Path, seed: str) -> dict[str, bytes]:
    shutil.copytree(source, target)
    env = {**os.environ, "PYTHONHASHSEED": seed}
    command = [sys.executable, "-m", "site_gen", "build", "--now", "2026-11-27T12:00:00Z"]
    done = subprocess.run(
        command, cwd=target, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return tree_bytes(target / "output")


def test_builds_are_byte_identical_under_any_hash_seed(tmp_path: Path) -> None:
    source = board(tmp_path / "source")
    first = build_with_seed(source, tmp_path / f"seed-{SEEDS[0]}", SEEDS[0])
    assert len(first) > 50
    for seed in SEEDS[1:]:
        other = build_with_seed(source, tmp_path / f"seed-{seed}", seed)
        assert sorted(other) == sorted(first), seed
        differ = [path for path in first if other[path] != first[path]]
        assert differ == [], (seed, differ)
