"""Authoring commands: start a new posting (``sitegen new``) or a new board (``sitegen init``).

Both write from the templates in ``site_gen/skeleton/``, fill in today's date, and never
overwrite anything: a posting that exists, or a folder that is not empty, is refused.
What they write is a valid board: it builds as it is.
"""

from __future__ import annotations

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
RENAMED = {"gitignore": ".gitignore"}  # dotfiles are kept under plain names in the package


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
    """Create a working board in ``folder`` (new or empty); return the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SitegenError(
            f"{folder}: not an empty folder; sitegen init creates a board in a new or empty folder"
        )
    source = SKELETON / "board"
    written = []
    for template in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = template.relative_to(source)
        target = folder / relative.parent / RENAMED.get(relative.name, relative.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = fill(template.read_text(encoding="utf-8"), today, version=__version__)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def fill(template: str, today: date, **values: str) -> str:
    """Substitute ``$today``, ``$valid_through`` and ``values`` into a skeleton file."""
    until = today + timedelta(days=VALID_DAYS)
    return Template(template).safe_substitute(
        today=today.isoformat(), valid_through=until.isoformat(), **values
    )
