"""sitegen as a user gets it: a wheel installed into a fresh virtual environment.

The wheel is built from a copy of the files a source distribution holds (not the checkout, so
nothing the checkout happens to have, such as a symbolic link or a stray file, can make it
work), installed with its pinned dependencies into a new venv, and run from a folder outside the
source tree: `sitegen init` and `sitegen build` must make a board from the installed package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from lxml import html

from site_gen import __version__
from tests.hosting import REPO

# What setuptools needs to build the wheel; the rest of the checkout must not matter.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "site_gen")
DISTRIBUTION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["name"]


def run(command: list[str], cwd: Path) -> str:
    """Run ``command`` with a clean environment: no PYTHONPATH, no inherited venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel built from this source installed; returns its bin/."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(REPO / name, source / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy2(REPO / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    run([*pip, "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(source)], cwd=work)
    (wheel,) = (work / "dist").glob("*.whl")
    run([sys.executable, "-m", "venv", str(work / "venv")], cwd=work)
    bin_dir = work / "venv" / "bin"
    run(
        [str(bin_dir / "pip"), "install", "-q", "--disable-pip-version-check", str(wheel)], cwd=work
    )
    return bin_dir


pytestmark = pytest.mark.slow


def test_the_wheel_is_named_for_pypi_and_carries_its_version(installed: Path) -> None:
    script = (
        "import importlib.metadata as m, site_gen; "
        f"print(m.version({DISTRIBUTION!r})); print(site_gen.__version__); print(site_gen.__file__)"
    )
    metadata_version, module_version, module_file = run(
        [str(installed / "python"), "-c", script], cwd=installed
    ).split()
    assert metadata_version == module_version == __version__
    package = Path(module_file).parent
    assert package.is_relative_to(installed.parent)  # the venv's copy, not the checkout
    assert (package / "py.typed").is_file()
    assert not any(path.is_symlink() for path in package.rglob("*"))
    assert (package / "themes" / "default" / "templates" / "base.html").is_file()
    run([str(installed / "pip"), "show", DISTRIBUTION], cwd=installed)
    assert (
        run([str(installed / "sitegen"), "--version"], cwd=installed) == f"sitegen {__version__}\n"
    )


def test_an_installed_sitegen_inits_and_builds_a_board(installed: Path, tmp_path: Path) -> None:
    sitegen = str(installed / "sitegen")
    run([sitegen, "init", "board"], cwd=tmp_path)
    board = tmp_path / "board"
    requirements = (board / "requirements.txt").read_text()
    assert f"\n{DISTRIBUTION}=={__version__}\n" in requirements

    run([sitegen, "build"], cwd=board)
    output = board / "output"
    page = html.parse(str(output / "jobs" / "example-backend-engineer" / "index.html"))
    assert page.xpath("//script[@type='application/ld+json']")
    stylesheets = page.xpath("//link[@rel='stylesheet']/@href")
    assert stylesheets, "the packaged theme's stylesheet is linked"
    assert list((output / "assets").glob("style.*.css")), "and written"
    assert (output / "about" / "index.html").is_file()
