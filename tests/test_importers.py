"""``sitegen import``: the three systems' documented responses (saved under
tests/fixtures/import/) into posting files, and a second run's adds, updates and closes."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_gen.cli import main
from site_gen.content import read_source
from site_gen.importers.places import parse_place
from site_gen.importers.sync import ImportReport, import_jobs
from site_gen.models import Place
from site_gen.validate import validate_posting
from tests.conftest import run_build
from tests.helpers import json_ld, write_board

FIXTURES = Path(__file__).parent / "fixtures" / "import"
TODAY = date(2026, 11, 27)


def fixture(system: str) -> Any:
    return json.loads((FIXTURES / f"{system}-acme.json").read_text(encoding="utf-8"))


def jobs_of(root: Path) -> dict[str, dict[str, Any]]:
    """Every posting file's frontmatter, by its ``source``."""
    found = {}
    for path in sorted((root / "content" / "jobs").glob("*.md")):
        fields = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if "source" in fields:
            found[fields["source"]] = {**fields, "_path": path}
    return found


def run(root: Path, system: str, response: Any, **options: Any) -> ImportReport:
    return import_jobs(root, system, "acme", response, TODAY, **options)


@pytest.fixture
def board(tmp_path: Path) -> Path:
    return write_board(tmp_path / "board")


# -- places ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hint", "place"),
    [
        ("San Francisco, CA", None, Place(city="San Francisco", region="CA", country="US")),
        ("München, Deutschland", None, Place(city="München", country="DE")),
        ("Zürich, Schweiz", None, Place(city="Zürich", country="CH")),
        ("São Paulo, SP, Brasil", None, Place(city="São Paulo", region="SP", country="BR")),
        ("東京、日本", None, Place(city="東京", country="JP")),
        ("Toronto, ON", None, Place(city="Toronto", region="ON", country="CA")),
        ("London, UK", None, Place(city="London", country="GB")),
        ("Remote - US", None, Place(country="US")),
        ("Remote (Germany)", None, Place(country="DE")),
        ("Berlin", "DE", Place(city="Berlin", country="DE")),
        ("Berlin", None, None),
        ("Atlantis", None, None),
    ],
)
def test_places_get_iso_country_codes(text: str, hint: str | None, place: Place | None) -> None:
    assert parse_place(text, hint) == place


# -- each system -------------------------------------------------------------------------


def test_greenhouse_jobs_become_postings(board: Path) -> None:
    report = run(board, "greenhouse", fixture("greenhouse"))
    jobs = jobs_of(board)
    assert set(jobs) == {f"greenhouse:{n}" for n in (4012345, 4012346, 4012347, 4012348)}
    first = jobs["greenhouse:4012345"]
    assert first["title"] == 'Senior Backend Engineer: "Rust" & C++ #1'  # quoted for YAML
    assert first["company"] == "Acme Robotics"
    assert first["date_posted"] == date(2026, 11, 18)
    assert first["employment_type"] == "full-time"
    assert first["location"] == [{"city": "San Francisco", "region": "CA", "country": "US"}]
    assert first["remote"] == "onsite"
    assert first["apply_url"] == "https://job-boards.greenhouse.io/acme/jobs/4012345"
    remote = jobs["greenhouse:4012346"]
    assert (remote["remote"], remote["applicant_locations"]) == ("remote", ["US"])
    assert "location" not in remote
    munich = jobs["greenhouse:4012347"]
    assert munich["location"] == [{"city": "München", "country": "DE"}]
    assert munich["employment_type"] == "other"  # "Teilzeit" is no word the importer knows
    # No first_published, no company_name, no content: updated_at, NAME, an empty body.
    analyst = jobs["greenhouse:4012348"]
    assert analyst["date_posted"] == date(2026, 11, 23)
    assert analyst["company"] == "acme"
    assert (analyst["remote"], analyst["location"]) == (
        "hybrid",
        [{"city": "Zürich", "country": "CH"}],
    )
    assert report.counts == {"added": 4, "skipped": 2}
    assert "skipped greenhouse:4012349: no id, title or absolute_url" in report.lines
    assert (
        "skipped greenhouse:4012350: location: at least one place is needed unless remote: remote"
        in report.lines
    )


def test_lever_jobs_become_postings(board: Path) -> None:
    report = run(board, "lever", fixture("lever"), company="Acme Robotics")
    jobs = jobs_of(board)
    designer = jobs["lever:5ac21346-8e0c-4494-8e7a-3eb92ff77902"]
    assert designer["company"] == "Acme Robotics"
    assert designer["remote"] == "hybrid"
    assert designer["location"] == [{"city": "London", "country": "GB"}]
    assert designer["salary"] == {"min": 60000, "max": 75000, "currency": "GBP", "period": "year"}
    assert designer["date_posted"] == date(2025, 11, 24)  # createdAt, ms since 1970
    assert designer["apply_url"].endswith("/apply")
    body = designer["_path"].read_text(encoding="utf-8")
    assert "### Requirements\n\n- Figma\n- Empathy \\& care" in body  # lists under headings
    assert "We offer 30 days of leave." in body
    platform = jobs["lever:7b9e0c2a-1111-4a4a-9f9f-0123456789ab"]
    assert (platform["remote"], platform["applicant_locations"]) == ("remote", ["DE"])
    assert platform["salary"]["period"] == "month"
    data = jobs["lever:9c8d7e6f-2222-4b4b-8e8e-fedcba987654"]
    assert data["employment_type"] == "contract"
    assert [p["city"] for p in data["location"]] == ["São Paulo", "Rio de Janeiro"]
    assert "salary" not in data  # a one-time amount is no salary
    # Only an id, a title and hostedUrl: remote by workplaceType, hostedUrl to apply.
    sales = jobs["lever:aaaaaaaa-3333-4c4c-7d7d-000000000001"]
    assert sales["apply_url"] == "https://jobs.lever.co/acme/aaaaaaaa-3333-4c4c-7d7d-000000000001"
    assert report.counts == {"added": 4, "skipped": 1}


def test_ashby_jobs_become_postings(board: Path) -> None:
    report = run(board, "ashby", fixture("ashby"))
    jobs = jobs_of(board)
    manager = jobs["ashby:c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8"]
    assert manager["location"] == [
        {"city": "Houston", "region": "Texas", "country": "US"},
        {"city": "San Francisco", "region": "California", "country": "US"},
    ]
    assert manager["salary"] == {"min": 81000, "max": 87000, "currency": "USD", "period": "year"}
    assert manager["employment_type"] == "full-time"
    # The documented example has no id: the job URL's last part is.
    sre = jobs["ashby:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"]
    assert (sre["remote"], sre["applicant_locations"], sre["employment_type"]) == (
        "remote",
        ["DE"],
        "contract",
    )
    zurich = jobs["ashby:e9f8a7b6-c5d4-4e3f-a2b1-c0d9e8f7a6b5"]
    assert zurich["location"] == [{"city": "Zürich", "region": "ZH", "country": "CH"}]
    assert zurich["salary"] == {"min": 7000, "max": 9000, "currency": "CHF", "period": "month"}
    assert zurich["remote"] == "hybrid"
    assert not any("Unlisted" in j["title"] for j in jobs.values())  # isListed: false
    assert report.counts == {"added": 3, "skipped": 1}


@pytest.mark.parametrize("system", ["greenhouse", "lever", "ashby"])
def test_hostile_html_is_sanitised_and_kept_as_text(board: Path, system: str) -> None:
    run(board, system, fixture(system))
    bodies = "\n".join(j["_path"].read_text(encoding="utf-8") for j in jobs_of(board).values())
    assert "We build robots." in bodies
    for gone in (
        "alert(",
        "onerror",
        "javascript:",
        "<iframe",
        "evil.example",
        "onclick",
        "style=",
    ):
        assert gone not in bodies
    # Text that looks like markup or frontmatter stays text: escaped, not executed.
    assert r"\<script\> is text" in bodies
    assert "\n\\---\n" in bodies


@pytest.mark.parametrize("system", ["greenhouse", "lever", "ashby"])
def test_imported_postings_validate_and_build_with_job_posting_json_ld(
    board: Path, system: str
) -> None:
    run(board, system, fixture(system), company="Acme Robotics")
    for job in jobs_of(board).values():
        assert not isinstance(validate_posting(read_source(job["_path"], board), "comrak"), tuple)
    run_build(board)
    for job in jobs_of(board).values():
        slug = job["_path"].stem
        page = board / "output" / "jobs" / slug / "index.html"
        (data,) = json_ld(page)
        assert data["@type"] == "JobPosting"
        assert data["title"] == job["title"]
        assert data["hiringOrganization"]["name"] == "Acme Robotics"
        assert data["datePosted"] == job["date_posted"].isoformat()
        if job["remote"] == "remote":
            assert data["jobLocationType"] == "TELECOMMUTE"
        else:
            countries = [p["address"]["addressCountry"] for p in data["jobLocation"]]
            assert countries == [p["country"] for p in job["location"]]
        if "salary" in job:
            assert data["baseSalary"]["currency"] == job["salary"]["currency"]
        assert "<script" not in data["description"]


# -- a second run ------------------------------------------------------------------------


@pytest.mark.parametrize("system", ["greenhouse", "lever", "ashby"])
def test_a_second_run_adds_updates_and_closes_exactly(board: Path, system: str) -> None:
    first = fixture(system)
    run(board, system, first)
    before = {s: j["_path"].read_text(encoding="utf-8") for s, j in jobs_of(board).items()}
    second = copy.deepcopy(first)
    listed = second if isinstance(second, list) else second["jobs"]
    key = "text" if system == "lever" else "title"
    # The first job is removed, the second one renamed, one job is new.
    gone = listed.pop(0)
    listed[0][key] = "Renamed role"
    new = copy.deepcopy(listed[0])
    new["id"] = "99999" if system == "greenhouse" else "12345678-0000-4000-8000-000000000000"
    if system == "ashby":
        new["jobUrl"] = new["applyUrl"] = "https://jobs.ashbyhq.com/acme/" + new["id"]
    new[key] = "Brand new role"
    listed.append(new)
    report = run(board, system, second)
    after = jobs_of(board)
    assert report.counts["added"] == 1 and report.counts["updated"] == 1
    assert report.counts["closed"] == 1
    gone_source = f"{system}:{gone['id']}"
    assert after[gone_source]["valid_through"] == date(2026, 11, 26)  # the day before
    renamed = [s for s, j in after.items() if j["title"] == "Renamed role"]
    assert len(renamed) == 1 and before[renamed[0]] != after[renamed[0]]["_path"].read_text()
    unchanged = set(before) - {gone_source, renamed[0]}
    for source in unchanged:
        assert after[source]["_path"].read_text(encoding="utf-8") == before[source]
    assert report.counts.get("unchanged", 0) == len(unchanged)
    # The closed posting builds: as an expired job, kept or dropped as the board says.
    run_build(board)


@pytest.mark.parametrize("system", ["greenhouse", "lever", "ashby"])
def test_importing_twice_changes_nothing(board: Path, system: str) -> None:
    run(board, system, fixture(system))
    files = {p: p.read_bytes() for p in (board / "content" / "jobs").glob("*.md")}
    report = run(board, system, fixture(system))
    assert {p: p.read_bytes() for p in (board / "content" / "jobs").glob("*.md")} == files
    assert set(report.counts) == {"unchanged", "skipped"}
    # A closed job stays closed, once.
    run(board, system, {"jobs": []} if system != "lever" else [])
    closed = {p: p.read_bytes() for p in (board / "content" / "jobs").glob("*.md")}
    again = run(board, system, {"jobs": []} if system != "lever" else [])
    assert {p: p.read_bytes() for p in (board / "content" / "jobs").glob("*.md")} == closed
    assert set(again.counts) == {"unchanged"}


def test_a_job_that_comes_back_opens_again(board: Path) -> None:
    run(board, "ashby", fixture("ashby"))
    run(board, "ashby", {"apiVersion": "1", "jobs": []})
    assert all("valid_through" in j for j in jobs_of(board).values())
    report = run(board, "ashby", fixture("ashby"))
    assert report.counts["updated"] == 3
    assert not any("valid_through" in j for j in jobs_of(board).values())


def test_a_file_edited_by_hand_is_kept_unless_forced(board: Path) -> None:
    run(board, "greenhouse", fixture("greenhouse"))
    path = jobs_of(board)["greenhouse:4012345"]["_path"]
    edited = path.read_text(encoding="utf-8").replace("remote: onsite", "remote: hybrid")
    path.write_text(edited, encoding="utf-8")
    changed = fixture("greenhouse")
    changed["jobs"][0]["title"] = "Principal Backend Engineer"
    report = run(board, "greenhouse", changed)
    assert path.read_text(encoding="utf-8") == edited
    assert report.counts["kept"] == 1
    assert (
        f"kept {path.relative_to(board).as_posix()}: edited by hand; --force overwrites it"
        in report.lines
    )
    # Gone from the board: still kept without --force.
    changed["jobs"].pop(0)
    assert run(board, "greenhouse", changed).counts["kept"] == 1
    assert path.read_text(encoding="utf-8") == edited
    forced = run(board, "greenhouse", changed, force=True)
    assert forced.counts["closed"] == 1
    assert jobs_of(board)["greenhouse:4012345"]["valid_through"] == date(2026, 11, 26)


def test_postings_of_other_boards_and_by_hand_are_left_alone(board: Path) -> None:
    by_hand = board / "content" / "jobs" / "by-hand.md"
    by_hand.write_text("---\ntitle: x\n---\nhand", encoding="utf-8")
    import_jobs(board, "lever", "other", fixture("lever"), TODAY)
    report = run(board, "lever", [])
    assert report.counts == {}  # the other board's postings are not this board's to close
    assert by_hand.read_text(encoding="utf-8") == "---\ntitle: x\n---\nhand"


def test_a_response_of_another_shape_is_a_clear_error(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tmp_path / "wrong.json"
    saved.write_text(json.dumps(fixture("lever")), encoding="utf-8")
    monkeypatch.chdir(board)
    assert main(["import", "greenhouse", "acme", "--from", str(saved)]) == 1
    assert capsys.readouterr().err == (
        'error: not a greenhouse job board response: expected an object with a "jobs" list\n'
    )
    saved.write_text("<html>", encoding="utf-8")
    assert main(["import", "ashby", "acme", "--from", str(saved)]) == 1
    assert "not a JSON response" in capsys.readouterr().err
    assert list((board / "content" / "jobs").iterdir()) == []


def test_cli_import_reports_what_it_did(
    board: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(board)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796212800")  # 2026-12-01
    saved = FIXTURES / "ashby-acme.json"
    assert main(["import", "ashby", "acme", "--from", str(saved), "--company", "Acme"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        out[-1]
        == "Imported ashby acme: 3 added, 0 updated, 0 closed, 0 unchanged, 0 kept, 1 skipped"
    )
    assert (
        "added content/jobs/acme-product-manager-c1a2b3c4.md (ashby:c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8)"
        in out
    )
    assert main(["check"]) == 0
