"""A posting Google for Jobs would reject is built without JobPosting markup, and said so.

The case from the example board: a fully remote posting with no ``applicant_locations``
and no office. Its page is built (people can still read and apply), it carries no
JobPosting markup, the build and ``sitegen check`` warn and name it, and ``--strict`` fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.cli import main
from tests.google_jobs import violations
from tests.helpers import json_ld, posting_text, write_board

WARNING = (
    "content/jobs/anywhere.md:16: warning: applicant_locations: not eligible for Google for "
    "Jobs, so its page has no JobPosting markup: a fully remote job needs the countries "
    "applicants may live in (Google requires applicantLocationRequirements with TELECOMMUTE), "
    "e.g. applicant_locations: [US, CA]"
)


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_board(
        tmp_path / "board",
        postings={
            "anywhere": posting_text(remote="remote", location=[]),
            "berlin": posting_text(),
            "empty": posting_text(body=""),
        },
    )
    monkeypatch.chdir(root)
    return root


def test_the_page_is_built_without_markup_and_the_build_says_why(
    board: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--now", "2026-11-27"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert WARNING in err
    assert (
        "content/jobs/empty.md:19: warning: description: not eligible for Google for Jobs, so "
        "its page has no JobPosting markup: the posting has no description text below its "
        "frontmatter; Google requires the job's full description"
    ) in err
    assert (board / "output/jobs/anywhere/index.html").is_file()
    assert json_ld(board / "output/jobs/anywhere/index.html") == []
    assert json_ld(board / "output/jobs/empty/index.html") == []
    (data,) = json_ld(board / "output/jobs/berlin/index.html")
    assert violations(data) == []


def test_check_lists_the_postings_not_eligible_and_strict_fails(
    board: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--now", "2026-11-27"]) == 0
    out, err = capsys.readouterr()
    assert WARNING in err.splitlines()
    assert out.splitlines()[-1] == (
        "Not eligible for Google for Jobs (2 postings; see the warnings): "
        "content/jobs/anywhere.md, content/jobs/empty.md"
    )
    assert main(["check", "--now", "2026-11-27", "--strict"]) == 1
    assert WARNING.replace("warning: ", "") in capsys.readouterr().err.splitlines()


def test_applicant_locations_make_the_posting_eligible(
    board: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixed = posting_text(remote="remote", location=[], applicant_locations=["US", "CA"])
    (board / "content/jobs/anywhere.md").write_text(fixed, encoding="utf-8")
    assert main(["build", "--now", "2026-11-27"]) == 0
    assert "anywhere.md" not in capsys.readouterr().err
    (data,) = json_ld(board / "output/jobs/anywhere/index.html")
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert violations(data) == []
