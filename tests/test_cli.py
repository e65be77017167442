"""The command line: usage errors, version, config files, what each command prints."""

import subprocess
import sys
from pathlib import Path

import pytest

from site_gen import __version__
from site_gen.cli import main
from tests.helpers import posting_text


def test_version(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"sitegen {__version__}\n"


@pytest.mark.parametrize(
    "argv", [[], ["frobnicate"], ["build", "--no-such-flag"], ["build", "--now", "soon"]]
)
def test_usage_errors_exit_2(argv: list[str]):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2


@pytest.mark.parametrize("command", ["build", "check", "serve"])
@pytest.mark.parametrize("flag", ["--config", "-c"])
def test_a_missing_config_file_is_a_usage_error_naming_it(
    command: str,
    flag: str,
    board: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    monkeypatch.chdir(board)
    with pytest.raises(SystemExit) as exit_:
        main([command, flag, "nope.toml"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.endswith(
        f"sitegen {command}: error: argument -c/--config: nope.toml: no such file\n"
    )
    assert not (board / "output").exists()


def test_notify_refuses_a_missing_config_file_too(
    board: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.chdir(board)
    with pytest.raises(SystemExit) as exit_:
        main(["notify", "--previous", str(board), "-c", "nope.toml", "--dry-run"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.endswith(
        "sitegen notify: error: argument -c/--config: nope.toml: no such file\n"
    )


def test_a_folder_is_not_a_config_file(board: Path, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--config", str(board)])
    assert exit_.value.code == 2
    assert f"{board}: is a folder, not a file" in capsys.readouterr().err


def test_an_existing_config_file_elsewhere_is_used(
    board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "site"
    assert main(["build", "-c", str(board / "sitegen.toml"), "-o", str(out), "-q"]) == 0
    assert "https://jobs.example.com/" in (out / "sitemap.xml").read_text()


def test_quiet_and_verbose_exclude_each_other(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "-q", "-v"])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_quiet_build_prints_only_warnings(
    board: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    (board / "content" / "jobs" / "no-salary.md").write_text(
        posting_text(title="Unpaid Role", salary=None)
    )
    monkeypatch.chdir(board)
    assert main(["build", "--quiet", "--now", "2026-11-27"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "content/jobs/no-salary.md: warning: salary: not set; postings with pay get more "
        "applicants and show in salary filters\n"
    )


@pytest.mark.parametrize("postings", ["valid", "broken"])
def test_the_command_exits_at_once_with_its_output_flushed(board: Path, postings: str):
    """``python -m site_gen`` (``cli.run``) ends with ``os._exit``: what it printed to a pipe
    must all be there, and its exit code must be main's."""
    if postings == "broken":
        (board / "content" / "jobs" / "broken.md").write_text(posting_text(title=None))
    done = subprocess.run(
        [sys.executable, "-m", "site_gen", "build", "--now", "2026-11-27"],
        cwd=board,
        capture_output=True,
        text=True,
    )
    if postings == "valid":
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("Built 2 postings")
        assert done.stdout.endswith("gzipped, one file\n")
    else:
        assert done.returncode == 1
        assert done.stderr.endswith("; the previous output was left as it was.\n")


def test_a_build_sums_up_many_warnings_and_check_lists_them_all(
    board: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    for n in range(25):
        (board / "content" / "jobs" / f"unpaid-{n:02d}.md").write_text(
            posting_text(title=f"Unpaid Role {n}", salary=None)
        )
    monkeypatch.chdir(board)
    assert main(["build", "--quiet", "--now", "2026-11-27"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[:3] == [
        f"content/jobs/unpaid-{n:02d}.md: warning: salary: not set; postings with pay get "
        "more applicants and show in salary filters"
        for n in range(3)
    ]
    assert lines[3:] == [
        "... and 22 more files: salary: not set; postings with pay get more applicants and "
        "show in salary filters",
        "25 warnings in all; `sitegen check` lists every one",
    ]
    assert main(["check", "--quiet", "--now", "2026-11-27"]) == 0
    assert len(capsys.readouterr().err.splitlines()) == 25
