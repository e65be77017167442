"""Bigger fixture boards for the build-engine tests: many varied, realistic postings."""

from __future__ import annotations

import random
from pathlib import Path

from tests.helpers import posting_text, write_board

WORDS = [
    "platform",
    "team",
    "customers",
    "data",
    "reliable",
    "build",
    "ship",
    "review",
    "design",
    "systems",
    "mentor",
    "growth",
    "remote",
    "hybrid",
    "office",
    "product",
    "research",
    "users",
    "latency",
    "scale",
    "support",
    "quality",
    "budget",
    "roadmap",
    "security",
    "infrastructure",
    "hiring",
    "process",
    "benefits",
    "equity",
    "learning",
    "conference",
]
CITIES = [("Berlin", "DE"), ("Paris", "FR"), ("Austin", "US"), ("Toronto", "CA"), ("Oslo", "NO")]
TAGS = ["python", "go", "rust", "design", "sql", "kubernetes", "sales", "finance"]


def body(rng: random.Random, size: int) -> str:
    """Markdown of about ``size`` bytes: headings, paragraphs, a list."""
    parts = []
    while sum(len(p) for p in parts) < size:
        parts.append("## " + " ".join(rng.choices(WORDS, k=3)).title())
        parts.append(" ".join(rng.choices(WORDS, k=60)).capitalize() + ".")
        parts.append("\n".join(f"- {' '.join(rng.choices(WORDS, k=6))}" for _ in range(4)))
    return "\n\n".join(parts) + "\n"


def posting(index: int, rng: random.Random, body_size: int = 800) -> str:
    city, country = rng.choice(CITIES)
    return posting_text(
        body=body(rng, body_size),
        title=f"{rng.choice(['Senior ', '', 'Lead '])}{rng.choice(WORDS).title()} Engineer {index}",
        company={"name": f"Company {index % 7}", "url": "https://example.com"},
        date_posted=f"2026-{rng.randint(8, 10):02d}-{rng.randint(1, 28):02d}",
        valid_through=rng.choice(["2027-01-31", "2026-11-01", "2026-12-31"]),
        location=[{"city": city, "country": country}],
        tags=rng.sample(TAGS, 3),
        salary=rng.choice([None, {"min": 50000, "max": 90000, "currency": "EUR"}]),
    )


def big_board(root: Path, count: int, *, seed: int = 1, body_size: int = 800) -> Path:
    """A board of ``count`` postings (a few of them expired), deterministic for ``seed``."""
    rng = random.Random(seed)
    postings = {f"job-{i:05d}": posting(i, rng, body_size) for i in range(count)}
    return write_board(
        root, postings=postings, config='title = "Big"\nbase_url = "https://jobs.example.com/"\n'
    )
