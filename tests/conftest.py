"""Shared fixtures: a fixture board in tmp_path, and the build entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.build import BuildOptions, BuildReport, build
from tests.helpers import NOW, posting_text, write_board


@pytest.fixture
def board(tmp_path: Path) -> Path:
    """A small valid board with two postings and an About page."""
    return write_board(
        tmp_path / "board",
        postings={
            "backend-engineer": posting_text(),
            "remote-designer": posting_text(
                title="Product Designer",
                remote="remote",
                location=[],
                applicant_locations=["US", "CA"],
                salary={"min": 50, "max": 70, "currency": "USD", "period": "hour"},
                date_posted="2026-11-25",
            ),
        },
        pages={"about": "---\ntitle: About\n---\nAbout this board.\n"},
    )


def run_build(root: Path, **options: object) -> BuildReport:
    """Build ``root`` with the fixed test clock unless told otherwise."""
    options.setdefault("now", NOW)
    return build(BuildOptions(root=root, **options))  # type: ignore[arg-type]
