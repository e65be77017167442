"""Issue to pull request: ``sitegen new --from-issue`` on recorded GitHub ``issues`` event
payloads (tests/fixtures/issues/), and the issue form and workflow ``sitegen init`` writes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_gen.authoring import init_board
from site_gen.cli import main
from site_gen.content import read_source
from site_gen.issue_form import FormErrors, posting_from_issue, read_form
from site_gen.models import Frontmatter
from site_gen.validate import validate_posting
from tests.conftest import run_build
from tests.helpers import json_ld

FIXTURES = Path(__file__).parent / "fixtures" / "issues"
TODAY = date(2026, 11, 27)


@pytest.fixture
def board(tmp_path: Path) -> Path:
    init_board(tmp_path / "board", TODAY)
    return tmp_path / "board"


def frontmatter(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])  # type: ignore[no-any-return]


def errors_of(board: Path, name: str) -> list[str]:
    with pytest.raises(FormErrors) as caught:
        posting_from_issue(board, FIXTURES / name)
    assert sorted((board / "content" / "jobs").iterdir()) == [
        board / "content" / "jobs" / "example-backend-engineer.md"
    ]  # nothing written
    return caught.value.lines


def test_a_complete_form_becomes_a_valid_posting(board: Path) -> None:
    path = posting_from_issue(board, FIXTURES / "post-a-job-valid.json")
    assert path == board / "content" / "jobs" / "senior-backend-engineer.md"
    assert frontmatter(path) == {
        "title": "Senior Backend Engineer",
        "company": {"name": "Example Corp", "url": "https://example.com"},
        "date_posted": date(2026, 11, 27),  # the day the issue was opened
        "valid_through": date(2027, 1, 31),
        "employment_type": ["full-time", "contract"],
        "location": [
            {"city": "Berlin", "country": "DE"},
            {"city": "München", "region": "Bayern", "country": "DE"},
        ],
        "remote": "hybrid",
        "salary": {"min": 70000, "max": 90000, "currency": "EUR", "period": "year"},
        "experience_level": "senior",
        "apply_url": "https://example.com/jobs/42",
        "tags": ["Python", "Kubernetes"],
        "draft": False,
    }
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "---\n# From issue #42 (https://github.com/example-org/jobs-board/issues/42), "
        "opened by @employer-jane\n"
    )
    assert text.endswith("---\nWe build **things**.\n\n## What you do\n\n- Ship\n- Review\n")
    assert not isinstance(validate_posting(read_source(path, board), "comrak"), tuple)


def test_empty_optional_fields_are_left_out(board: Path) -> None:
    path = posting_from_issue(board, FIXTURES / "post-a-job-valid-remote.json")
    assert frontmatter(path) == {
        "title": "Support Engineer",
        "company": {"name": "Remote Co"},
        "date_posted": date(2026, 11, 27),
        "valid_through": date(2026, 12, 27),  # 30 days, as sitegen new gives
        "employment_type": ["part-time"],
        "remote": "remote",
        "applicant_locations": ["US", "CA"],
        "apply_email": "jobs@remote.example",
        "draft": False,
    }


def test_invalid_fields_give_the_exact_error_lines(board: Path) -> None:
    assert errors_of(board, "post-a-job-invalid.json") == [
        "location: line 2: expected city, country such as Berlin, DE, got 'Atlantis'",
        "salary_min: expected a number, got '80k'",
        "salary_currency: expected an ISO 4217 currency code such as USD or EUR, got 'EURO'",
        "apply_url: expected an http(s) URL such as https://example.com/apply, got 'javascript:alert(1)'",
        "valid_through: expected a date like 2026-11-27, got '31.01.2027'",
    ]


def test_missing_required_fields_are_named(board: Path) -> None:
    assert errors_of(board, "post-a-job-invalid-empty.json") == [
        "title: must not be empty",
        "company: must not be empty",
        "location: at least one place is needed unless remote: remote",
        "apply_url: give apply_url or apply_email so people can apply",
    ]


def test_hostile_text_stays_text(board: Path) -> None:
    path = posting_from_issue(board, FIXTURES / "post-a-job-hostile.json")
    fields = frontmatter(path)
    assert fields["title"] == 'Engineer "Ops" #1: ${{ secrets.GITHUB_TOKEN }} $(rm -rf ~) `id`'
    assert fields["company"] == {"name": "Acme: <script>alert(1)</script>"}
    assert fields["tags"] == ["yes", "no", "null", "~"]  # strings, not YAML's booleans and nulls
    assert fields["apply_url"] == "https://acme.example/apply?a=1&b=2#x"
    assert fields["draft"] is False  # the description's "draft: true" is body text
    # A heading inside the description is description: the last field runs to the end.
    assert "### Apply URL\n\nhttps://evil.example/phish" in path.read_text(encoding="utf-8")
    report = run_build(board)
    slug = path.stem
    assert slug in {p.slug for p in report.site.published}
    page = (board / "output" / "jobs" / slug / "index.html").read_text(encoding="utf-8")
    assert "alert('x')</script>" not in page and "onerror" not in page
    assert 'href="javascript:' not in page
    (data,) = json_ld(board / "output" / "jobs" / slug / "index.html")
    assert data["title"] == fields["title"]


def test_injected_headings_and_control_characters_are_errors(board: Path) -> None:
    assert errors_of(board, "post-a-job-hostile-injection.json") == [
        "company: holds a control or direction character; remove it",
        "employment_type: expected one of 'full-time', 'part-time', 'contract', 'temporary', "
        "'intern', 'volunteer', 'per-diem' or 'other', got 'boss'",
        "applicant_locations: must be one line",
    ]


def test_an_issue_not_from_the_form_is_refused(board: Path) -> None:
    assert errors_of(board, "not-a-posting.json") == [
        "issue: not written with the Post a job form (no '### Job title')"
    ]


def test_a_taken_file_name_gets_the_issue_number(board: Path) -> None:
    first = posting_from_issue(board, FIXTURES / "post-a-job-valid.json")
    second = posting_from_issue(board, FIXTURES / "post-a-job-valid.json")
    assert (first.name, second.name) == (
        "senior-backend-engineer.md",
        "senior-backend-engineer-issue-42.md",
    )
    with pytest.raises(FormErrors) as caught:
        posting_from_issue(board, FIXTURES / "post-a-job-valid.json")
    assert caught.value.lines == [
        "title: content/jobs/senior-backend-engineer-issue-42.md already exists; choose another title"
    ]


def test_the_board_may_reword_its_form(board: Path) -> None:
    form = board / ".github" / "ISSUE_TEMPLATE" / "post-a-job.yml"
    form.write_text(
        form.read_text(encoding="utf-8").replace("label: Job title", "label: Stellentitel")
    )
    assert errors_of(board, "post-a-job-valid.json")[0] == "title: must not be empty"


def test_cli_prints_the_lines_and_exits_1(
    board: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(board)
    assert main(["new", "--from-issue", str(FIXTURES / "post-a-job-invalid-empty.json")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "title: must not be empty\ncompany: must not be empty\n"
        "location: at least one place is needed unless remote: remote\n"
        "apply_url: give apply_url or apply_email so people can apply\n"
    )
    assert main(["new", "--from-issue", str(FIXTURES / "post-a-job-valid.json")]) == 0
    assert capsys.readouterr().out == "Created content/jobs/senior-backend-engineer.md\n"
    assert main(["check"]) == 0
    assert main(["new", "--from-issue", str(board / "missing.json")]) == 1
    assert "missing.json: cannot be read" in capsys.readouterr().err


# -- what sitegen init writes ------------------------------------------------------------

ID = re.compile(r"^[A-Za-z0-9_-]+$")  # what GitHub's form schema allows in an id
FORM_ONLY = {
    "company_url",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "description",
}
NOT_IN_FORM = {
    "date_posted",
    "draft",
    "slug",
    "featured",
    "featured_until",
    "imported_from",
    "salary",
}


def test_the_issue_form_follows_githubs_form_schema(board: Path) -> None:
    form = yaml.safe_load((board / ".github/ISSUE_TEMPLATE/post-a-job.yml").read_text())
    assert {"name", "description", "body"} <= set(form)
    ids = []
    for element in form["body"]:
        assert element["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert set(element) <= {"type", "id", "attributes", "validations"}
        if element["type"] == "markdown":
            assert "value" in element["attributes"]
            continue
        assert ID.match(element["id"])
        assert element["attributes"]["label"].strip()
        if element["type"] == "dropdown":
            assert element["attributes"]["options"]
        ids.append(element["id"])
    assert len(ids) == len(set(ids))
    labels = [f.label for f in read_form(board)]
    assert len(labels) == len(set(labels))
    # One field per posting field, named as in the posting format.
    assert set(ids) - FORM_ONLY == set(Frontmatter.model_fields) - NOT_IN_FORM


def test_the_workflow_reads_the_issue_from_the_event_file(board: Path) -> None:
    workflow = board / ".github" / "workflows" / "post-a-job.yml"
    data = yaml.safe_load(workflow.read_text())
    assert "opened" in data[True]["issues"]["types"]  # YAML 1.1 reads the key "on" as true
    steps = data["jobs"]["posting"]["steps"]
    scripts = "\n".join(step.get("run", "") for step in steps)
    assert 'sitegen new --from-issue "$GITHUB_EVENT_PATH"' in scripts
    assert "gh pr create" in scripts and "gh issue comment" in scripts
    # The employer's text never becomes part of a script: only via env or the event file.
    assert "${{" not in scripts


def test_the_import_workflow_runs_daily(board: Path) -> None:
    data = yaml.safe_load((board / ".github/workflows/import-jobs.yml").read_text())
    assert data[True]["schedule"] == [{"cron": "17 5 * * *"}]
    scripts = "\n".join(s.get("run", "") for s in data["jobs"]["import"]["steps"])
    assert 'sitegen import "$ATS_SYSTEM" "$ATS_BOARD"' in scripts
    assert "${{" not in scripts
