"""outputs: the files made on every build, beside the pages (a process of their own) or here."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from site_gen.errors import ThemeError
from site_gen.models import Posting
from site_gen.parallel import MIN_FORKED
from tests.conftest import run_build
from tests.helpers import posting_text, tree_bytes, write_board


def board_of(root: Path, templates: dict[str, str] | None = None) -> Path:
    """A board just large enough for the every-build files to be made beside the pages."""
    postings = {f"job-{n:03d}": posting_text(title=f"Job {n}") for n in range(MIN_FORKED)}
    write_board(root, postings=postings, pages={"about": "---\ntitle: About\n---\nWho we are.\n"})
    for name, text in (templates or {}).items():
        (root / "templates").mkdir(exist_ok=True)
        (root / "templates" / name).write_text(text, encoding="utf-8")
    return root


def test_files_made_beside_the_pages_are_those_made_here(tmp_path: Path) -> None:
    root = board_of(tmp_path / "board")
    run_build(root, output=tmp_path / "beside", jobs=2, cache=False)
    run_build(root, output=tmp_path / "here", jobs=1, cache=False)
    beside, here = tree_bytes(tmp_path / "beside"), tree_bytes(tmp_path / "here")
    assert beside == here
    for made in ("about/index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml"):
        assert made in beside, made


def test_a_template_error_beside_the_pages_names_its_file_and_line(tmp_path: Path) -> None:
    broken = (
        '{% extends "base.html" %}{% block content %}\n{{ page.missing.field }}\n{% endblock %}'
    )
    root = board_of(tmp_path / "board", {"404.html": broken})
    messages = []
    for jobs in (2, 1):
        with pytest.raises(ThemeError) as caught:
            run_build(root, output=tmp_path / f"out-{jobs}", jobs=jobs, cache=False)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "404.html:2" in messages[0], messages[0]
    assert not (tmp_path / "out-2").exists()  # nothing written


def test_the_board_s_postings_are_digested_before_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``site_files`` hands every posting, open and closed, to ``incremental.cached`` to be
    digested once before the page workers fork (see ``ViewDigests.remember``)."""
    from site_gen.view_digests import ViewDigests

    remembered: list[str] = []
    remember = ViewDigests.remember

    def recorded(digests: ViewDigests, values: Iterable[Posting]) -> None:
        postings = list(values)
        remembered.extend(p.slug for p in postings)
        remember(digests, postings)

    monkeypatch.setattr(ViewDigests, "remember", recorded)
    closed = posting_text(title="Closed", date_posted="2026-09-01", valid_through="2026-10-01")
    root = write_board(tmp_path / "board", postings={"open": posting_text(), "closed": closed})
    run_build(root, output=tmp_path / "out", jobs=1, cache=False)
    assert sorted(remembered) == ["closed", "open"]
