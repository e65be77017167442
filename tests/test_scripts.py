"""scripts/check (run by scripts/test and so by .ci/run) fails on a lint, format or type error.

Each case runs the real script on a copy of the package with one error put in, using the
tools of the venv running the tests (linked in as the copy's .venv).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
COPIED = ("pyproject.toml", "scripts", "site_gen", "typings")
TARGET = "site_gen/colors.py"  # any module: the error goes at its end


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module's runs, so that only the first checks every file."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    return tmp_path


def check(root: Path, mypy_cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPY_CACHE_DIR": str(mypy_cache)}
    return subprocess.run(
        [str(root / "scripts" / "check")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow  # a cold mypy run on the copy: about half a minute
def test_the_copy_passes(copy: Path, mypy_cache: Path) -> None:
    done = check(copy, mypy_cache)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("added", "tool", "reported"),
    [
        ("\n\ndef unused() -> None:\n    x = 1\n", "ruff check", "F841"),  # a local never read
        ("\nvalue = {  'a':1 }\n", "ruff format --check", "colors.py"),
        ("\n\ndef half(n: int) -> int:\n    return n / 2\n", "mypy", "colors.py:"),
    ],
    ids=["lint", "format", "types"],
)
def test_an_error_fails_the_check(
    copy: Path, mypy_cache: Path, added: str, tool: str, reported: str
) -> None:
    with (copy / TARGET).open("a", encoding="utf-8") as module:
        module.write(added)
    done = check(copy, mypy_cache)
    assert done.returncode == 1
    assert reported in done.stdout + done.stderr
    failed = [line for line in done.stderr.splitlines() if line.startswith("scripts/check: ")]
    assert len(failed) == 1 and failed[0].startswith(f"scripts/check: failed: {tool}")


def test_scripts_test_runs_the_checks_and_fails_with_them() -> None:
    """scripts/test calls scripts/check, and a failed check makes its exit status non-zero."""
    script = (REPO / "scripts" / "test").read_text()
    assert "scripts/check || checks=$?" in script
    assert script.rstrip().endswith('exit "$checks"')


def test_the_workflow_checks_and_tests_every_python_the_package_claims() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())
    (job,) = workflow["jobs"].values()
    classifiers = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["classifiers"]
    prefix = "Programming Language :: Python :: 3."
    claimed = [c.removeprefix("Programming Language :: Python :: ") for c in classifiers]
    assert job["strategy"]["matrix"]["python"] == [
        v for v, c in zip(claimed, classifiers, strict=True) if c.startswith(prefix)
    ]
    assert job["container"].endswith("-bookworm")  # Debian's chromium, as scripts/test wants
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "scripts/check" in runs and ".ci/run" in runs
