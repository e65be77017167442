"""Compiled templates in the build cache: a later build loads them instead of compiling,
an edited template is compiled again, and the pages are the same bytes either way."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest

from site_gen.cache import CACHE_DIR
from site_gen.cache_keys import code_fingerprint
from site_gen.compiled_templates import FOLDER, compile_for_workers
from site_gen.parallel import MIN_FORKED, Workers
from site_gen.theme import CARD_TEMPLATE
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


def test_a_board_rendered_by_forked_workers_has_its_templates_compiled_once_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without it each forked worker (cards', pages') compiles the templates it renders.
    The templates only the every-build files use (404.html, page.html) are compiled once,
    by the process that makes those files (beside the pages)."""
    postings = {f"engineer-{n}": posting_text(title=f"Engineer {n}") for n in range(MIN_FORKED)}
    root = write_board(tmp_path / "board", postings=postings)
    log = tmp_path / "compiled.log"
    compile_source = jinja2.Environment.compile

    def compile(self: jinja2.Environment, source: str, name: str | None, *args: Any) -> Any:
        with log.open("a", encoding="utf-8") as f:  # a file: forked workers write to it too
            f.write(f"{os.getpid()} {name}\n")
        return compile_source(self, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    run_build(root, jobs=2, cache=False)  # no bytecode cache: every process compiles
    lines = [line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines()]
    names = [name for _, name in lines]
    assert len(names) == len(set(names))
    shared = {"posting.html", "base.html", "list.html", CARD_TEMPLATE}
    assert {pid for pid, name in lines if name in shared} == {str(os.getpid())}
    assert shared <= set(names)
    run_build(root, output=tmp_path / "alone", jobs=1, cache=False)  # the same pages
    assert tree_bytes(tmp_path / "alone") == tree_bytes(root / "output")


def templates(**sources: str) -> jinja2.Environment:
    loader = jinja2.DictLoader({f"{name}.html": source for name, source in sources.items()})
    return jinja2.Environment(loader=loader, cache_size=-1)


def test_compile_for_workers_compiles_the_layouts_too_and_leaves_broken_ones_alone() -> None:
    env = templates(
        page='{% extends "layout.html" %}{% block b %}x{% endblock %}',
        layout='{% block b %}{% endblock %}{% include "part.html" %}',
        part="p",
        broken="{% if %}",
        unused="u",
    )
    with Workers(2) as workers:
        if not workers.can_fork():
            pytest.skip("no fork here")
        compile_for_workers(env, ["page.html", "broken.html"], workers, MIN_FORKED - 1)
        assert env.cache is not None and len(env.cache) == 0  # too few for workers
        compile_for_workers(env, ["page.html", "broken.html", "missing.html"], workers, MIN_FORKED)
    assert sorted(key[1] for key in env.cache) == ["layout.html", "page.html"]
    with pytest.raises(jinja2.TemplateSyntaxError):  # still fails where it is rendered
        env.get_template("broken.html")
    one = Workers(1)
    compile_for_workers(env := templates(page="x"), ["page.html"], one, MIN_FORKED)
    assert env.cache is not None and len(env.cache) == 0  # one job: no workers to share with
