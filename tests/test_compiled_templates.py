"""Compiled templates in the build cache: a later build loads them instead of compiling,
an edited template is compiled again, and the pages are the same bytes either way."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest

from site_gen.cache import CACHE_DIR
from site_gen.cache_keys import code_fingerprint
from site_gen.compiled_templates import FOLDER
from tests.conftest import run_build
from tests.helpers import posting_text, tree_bytes, write_board


def compiled_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from now on (it compiles only what it
    cannot load from the bytecode cache)."""
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def compile(self: jinja2.Environment, source: str, name: str | None, *args: Any) -> Any:
        names.append(str(name))
        return compile_source(self, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return names


def test_a_second_build_compiles_no_template_and_writes_the_same_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_board(tmp_path / "board", postings={"engineer": posting_text()})
    run_build(root)
    first = tree_bytes(root / "output")
    folder = root / CACHE_DIR / FOLDER
    kept = sorted(p.name for p in folder.iterdir())
    assert kept and all(n.startswith(code_fingerprint()[:16]) for n in kept)

    compiled = compiled_names(monkeypatch)
    shutil.rmtree(root / "output")  # so that every page is written again
    run_build(root)
    assert compiled == []
    assert tree_bytes(root / "output") == first

    edited = '{% extends "base.html" %}{% block content %}<p>Edited.</p>{% endblock %}'
    (root / "templates").mkdir()
    (root / "templates" / "404.html").write_text(edited, encoding="utf-8")
    run_build(root)
    assert compiled == ["404.html"]
    assert b"<p>Edited.</p>" in (root / "output" / "404.html").read_bytes()


def test_another_version_s_compiled_templates_are_deleted(tmp_path: Path) -> None:
    root = write_board(tmp_path / "board", postings={"engineer": posting_text()})
    folder = root / CACHE_DIR / FOLDER
    folder.mkdir(parents=True)
    (folder / "0123456789abcdef-base.jinja").write_bytes(b"not Jinja's bytecode")
    run_build(root)
    assert not (folder / "0123456789abcdef-base.jinja").exists()
    assert any(folder.iterdir())


def test_without_the_cache_nothing_is_kept(tmp_path: Path) -> None:
    root = write_board(tmp_path / "board", postings={"engineer": posting_text()})
    run_build(root, cache=False)
    assert not (root / CACHE_DIR / FOLDER).exists()
