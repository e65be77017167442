"""Authoring commands: start a new posting (``sitegen new``) or a new board (``sitegen init``).

Both write from the templates in ``site_gen/skeleton/``, fill in today's date, and never
overwrite anything: a posting that exists is refused, and so is a folder holding anything
but version control's metadata, editors' leftovers and a repository's README and LICENSE
(a fresh ``git init`` or clone is fine). What they write is a valid board: it builds as it is.
"""

from __future__ import annotations

import fnmatch
import json
from datetime import date, timedelta
from pathlib import Path
from string import Template

import yaml

from site_gen import __version__
from site_gen.errors import SitegenError
from site_gen.urls import slugify

SKELETON = Path(__file__).resolve().parent / "skeleton"
VALID_DAYS = 30  # a new posting's valid_through: Google recommends an end date
# Dotfiles and dot-folders are kept under plain names in the package.
RENAMED = {"gitignore": ".gitignore", "github": ".github"}
# What ``sitegen init`` finds in a folder and leaves alone (shell patterns, matched against
# names in the folder itself): version control's metadata, editors' and file managers'
# leftovers, and the front files a hosted repository starts with.
VCS_FILES = (".git", ".gitattributes", ".gitmodules", ".hg", ".hgignore", ".svn", ".bzr", ".jj")
EDITOR_FILES = (
    ".vscode", ".idea", ".fleet", ".zed", ".DS_Store", "Thumbs.db", "desktop.ini",
    "*.swp", "*.swo", "*~", ".#*", "#*#",
)  # fmt: skip
FRONT_FILES = ("README", "README.*", "LICENSE", "LICENSE.*", "COPYING", "COPYING.*")


def yaml_text(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value``: plain if it can be, else quoted."""
    try:
        plain = yaml.safe_load(value) == value and "#" not in value
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def posting_path(root: Path, title: str) -> Path:
    slug = slugify(title)
    if not slug:
        raise SitegenError(
            f"cannot make a file name from the title {title!r}: use letters or digits"
        )
    return root / "content" / "jobs" / f"{slug}.md"


def new_posting(root: Path, title: str, company: str, today: date) -> Path:
    """Write a draft posting for ``title`` under ``content/jobs/``; return its path."""
    if not title.strip() or not company.strip():
        raise SitegenError(
            "a new posting needs a title and a company, e.g. "
            'sitegen new "Staff Data Engineer" --company "Example Corp"'
        )
    path = posting_path(root, title)
    text = fill(
        (SKELETON / "new-posting.md").read_text(encoding="utf-8"),
        today,
        title=yaml_text(title.strip()),
        company=yaml_text(company.strip()),
        slug=path.stem,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": never overwrite
            file.write(text)
    except FileExistsError:
        raise SitegenError(
            f"{path.relative_to(root).as_posix()} already exists; edit it, or choose another title"
        ) from None
    return path


def init_board(folder: Path, today: date) -> list[Path]:
    """Create a working board in ``folder`` (new, or holding only what ``may_hold``
    accepts); return the files written. Nothing is written if anything is in the way."""
    board = skeleton_files()
    check_init_folder(folder, {relative.parts[0] for relative in board})
    written = []
    for relative, template in board.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as file:  # "x": never overwrite
            file.write(fill(template.read_text(encoding="utf-8"), today, version=__version__))
        written.append(target)
    return written


def skeleton_files() -> dict[Path, Path]:
    """The new board's files: path in the board -> template in the package."""
    source = SKELETON / "board"
    files = {}
    for template in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = template.relative_to(source)
        files[Path(*(RENAMED.get(part, part) for part in relative.parts))] = template
    return files


def may_hold(name: str) -> bool:
    """Whether ``sitegen init`` accepts a folder holding this (and leaves it alone)."""
    patterns = (*VCS_FILES, *EDITOR_FILES, *FRONT_FILES)
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def check_init_folder(folder: Path, writes: set[str]) -> None:
    """Refuse a folder where ``init`` would overwrite something (``writes``: the top-level
    names it writes) or that holds anything but what ``may_hold`` accepts, naming it."""
    if folder.exists() and not folder.is_dir():
        raise SitegenError(f"{folder}: not a folder; sitegen init creates a board in a folder")
    if not folder.exists():
        return
    names = sorted(entry.name for entry in folder.iterdir())
    for name in names:
        if name in writes:
            what = "write into it" if (folder / name).is_dir() else "overwrite it"
            raise SitegenError(
                f"{folder / name}: already exists, and sitegen init would {what}; "
                "move it away, or create the board in a new folder"
            )
    others = [name for name in names if not may_hold(name)]
    if others:
        listed = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise SitegenError(
            f"{folder}: not an empty folder (it holds {listed}); sitegen init creates a board "
            "in a new folder, or one holding only version control and editor files"
        )


def fill(template: str, today: date, **values: str) -> str:
    """Substitute ``$today``, ``$valid_through`` and ``values`` into a skeleton file."""
    until = today + timedelta(days=VALID_DAYS)
    return Template(template).safe_substitute(
        today=today.isoformat(), valid_through=until.isoformat(), **values
    )
