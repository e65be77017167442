"""sitegen check warns about postings that expire within 7 days, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.cli import main
from tests.helpers import posting_text, write_board


def test_check_warns_about_postings_expiring_within_7_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    board = write_board(
        tmp_path / "board",
        postings={
            "today": posting_text(valid_through="2026-11-27"),
            "in-7-days": posting_text(valid_through="2026-12-04"),
            "in-8-days": posting_text(valid_through="2026-12-05"),
            "expired": posting_text(valid_through="2026-11-26"),
        },
    )
    monkeypatch.chdir(board)
    assert main(["check", "--now", "2026-11-27"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "expires" in line]
    assert warnings == [
        "content/jobs/in-7-days.md:7: warning: valid_through: expires on 2026-12-04, within 7 days",
        "content/jobs/today.md:7: warning: valid_through: expires on 2026-11-27, within 7 days",
    ]
    assert main(["check", "--now", "2026-11-27", "--strict"]) == 1
