"""Bad input through the CLI: exact one-line messages, exit 1, and the previous output intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.cache import CACHE_DIR
from site_gen.cli import main
from tests.helpers import posting_text, tree_bytes, write_board

CASES = [
    (
        "bad yaml",
        {"acme": "---\ntitle: Engineer\ncompany: [unclosed\n---\nbody\n"},
        ["content/jobs/acme.md:4: invalid YAML: did not find expected ',' or ']'"],
    ),
    (
        "missing required field",
        {"acme": posting_text(company=None)},
        ["content/jobs/acme.md: company: required field is missing"],
    ),
    (
        "wrong type",
        {"acme": posting_text(salary={"min": "160k", "max": 200000, "currency": "USD"})},
        ["content/jobs/acme.md:13: salary.min: expected a number, got '160k'"],
    ),
    (
        "unknown currency",
        {"acme": posting_text(salary={"min": 1, "max": 2, "currency": "DOGE"})},
        [
            "content/jobs/acme.md:15: salary.currency: expected an ISO 4217 currency code such as USD or EUR, got 'DOGE'"
        ],
    ),
    (
        "unknown country",
        {"acme": posting_text(location=[{"country": "ZZ"}])},
        [
            "content/jobs/acme.md:10: location.0.country: expected an ISO 3166-1 alpha-2 country code such as US or DE, got 'ZZ'"
        ],
    ),
    (
        "min above max",
        {"acme": posting_text(salary={"min": 90, "max": 10, "currency": "USD", "period": "hour"})},
        ["content/jobs/acme.md:14: salary.max: must be at least salary.min (10 < 90)"],
    ),
    (
        "apply_url not http",
        {"acme": posting_text(apply_url="javascript:alert(1)")},
        [
            "content/jobs/acme.md:17: apply_url: expected an http(s) URL such as https://example.com/apply, got 'javascript:alert(1)'"
        ],
    ),
    (
        "duplicate slug",
        {"acme": posting_text(), "other": posting_text(slug="acme")},
        [
            "content/jobs/other.md: slug: 'acme' is already used by the posting content/jobs/acme.md; give one of them another slug"
        ],
    ),
    (
        "unknown key",
        {"acme": posting_text(salry={"min": 1})},
        [
            "content/jobs/acme.md:18: salry: unknown field (a typo?); see the posting format in the README"
        ],
    ),
    (
        "problems in two files reported together",
        {"a": posting_text(title=None), "b": posting_text(employment_type="sometimes")},
        [
            "content/jobs/a.md: title: required field is missing",
            "content/jobs/b.md:8: employment_type: expected one of 'full-time', 'part-time', 'contract', "
            "'temporary', 'intern', 'volunteer', 'per-diem' or 'other', got 'sometimes'",
        ],
    ),
]


@pytest.mark.parametrize(("name", "postings", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_with_exact_messages_and_keeps_the_output(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    postings: dict[str, str],
    expected: list[str],
):
    root = write_board(tmp_path, postings={"good": posting_text(slug="good-one")})
    monkeypatch.chdir(root)
    assert main(["build", "--now", "2026-11-27"]) == 0
    before = tree_bytes(root / "output")
    capsys.readouterr()

    for stem, text in postings.items():
        (root / "content/jobs" / f"{stem}.md").write_text(text)
    assert main(["build", "--now", "2026-11-27"]) == 1

    err = capsys.readouterr().err.splitlines()
    problems = len(expected)
    assert err == [
        *expected,
        f"Build failed: {problems} problem{'s' if problems > 1 else ''}; the previous output was left as it was.",
    ]
    assert tree_bytes(root / "output") == before
    left = sorted(p.name for p in root.iterdir())
    assert left == [CACHE_DIR, "content", "output", "sitegen.toml"]  # no staging leftovers


def test_strict_turns_warnings_into_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    write_board(tmp_path, postings={"acme": posting_text(salary=None)})
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--now", "2026-11-27"]) == 0
    assert "content/jobs/acme.md: warning: salary: not set" in capsys.readouterr().err
    assert main(["build", "--strict", "--now", "2026-11-27"]) == 1
    assert (
        capsys.readouterr().err.splitlines()[0].startswith("content/jobs/acme.md: salary: not set")
    )


def test_check_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    write_board(tmp_path, postings={"acme": posting_text()})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--now", "2026-11-27"]) == 0
    assert capsys.readouterr().out == "Checked 1 postings and 0 pages: no errors, 0 warnings\n"
    assert not (tmp_path / "output").exists()


def test_config_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    write_board(tmp_path, config="colour = 'red'\n")
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: sitegen.toml:1: colour: unknown setting")


def test_template_error_names_the_template_and_keeps_the_output(
    tmp_path: Path, monkeypatch, capsys
):
    root = write_board(tmp_path, postings={"acme": posting_text()})
    monkeypatch.chdir(root)
    assert main(["build", "--now", "2026-11-27"]) == 0
    before = tree_bytes(root / "output")
    (root / "templates").mkdir()
    (root / "templates/404.html").write_text(
        "{% extends 'base.html' %}\n{% block content %}{{ oops( }}{% endblock %}\n"
    )
    assert main(["build", "--now", "2026-11-27"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: ") and "404.html:2: template syntax error" in line
    assert tree_bytes(root / "output") == before


def test_a_template_error_while_the_workers_compile_the_postings(
    tmp_path: Path, monkeypatch, capsys
):
    """The templates are made ready while the pool compiles the postings: an error there
    is the same one line, and the workers are stopped (the build returns)."""
    from site_gen.parallel import MIN_POOLED
    from tests.e2e.boards import big_board

    root = big_board(tmp_path / "board", MIN_POOLED)
    (root / "templates").mkdir()
    (root / "templates/404.html").write_text("{% block content %}{{ oops( }}{% endblock %}\n")
    monkeypatch.chdir(root)
    assert main(["build", "--now", "2026-11-27", "--no-cache", "--jobs", "2"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: ") and "404.html:1: template syntax error" in line
    assert not (root / "output").exists()


@pytest.mark.parametrize(
    ("file", "text", "line"),
    [
        ("tags", "---\ntitle: Tags\n---\nOur tags.\n", ""),
        ("about", "---\ntitle: About\nslug: Search\n---\nAbout us.\n", ":3"),
    ],
)
def test_a_page_cannot_take_a_folder_the_board_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, file: str, text: str, line: str
):
    root = write_board(tmp_path, postings={"acme": posting_text()})
    monkeypatch.chdir(root)
    assert main(["build", "--now", "2026-11-27"]) == 0
    before = tree_bytes(root / "output")
    (root / "content" / "pages" / f"{file}.md").write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--now", "2026-11-27"]) == 1
    (message, *_) = capsys.readouterr().err.splitlines()
    slug = "search" if file == "about" else file
    assert message == (
        f"content/pages/{file}.md{line}: slug: '{slug}' is a folder the board's own pages use "
        "(assets, companies, hybrid, jobs, levels, locations, page, remote, salary, search, "
        "tags, types); choose another"
    )
    assert tree_bytes(root / "output") == before
