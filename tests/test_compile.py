"""Compiling posting files on the workers: a chunk compiled step by step is each file
compiled alone, and what the worker makes for the build cache is what the cache makes."""

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from site_gen import parallel
from site_gen.cache import BuildCache
from site_gen.cache_descriptions import description_packer, posting_row
from site_gen.cache_file import CACHE_FILE
from site_gen.cache_keys import posting_key
from site_gen.cached_postings import metadata_digest, top_lines
from site_gen.compile import compile_files, compile_postings
from site_gen.content import read_source
from site_gen.parallel import Workers
from site_gen.validate import compile_posting

GOOD = """---
title: "Engineer {n}"
company: {{name: Acme, url: "https://acme.example"}}
date_posted: 2026-11-01
location: [{{city: Berlin, country: DE}}]
apply_email: jobs@acme.example
---
# About

Body {n} with [a link](https://acme.example) and <script>x</script>.
"""


def _board(tmp_path: Path) -> Path:
    jobs = tmp_path / "content" / "jobs"
    jobs.mkdir(parents=True)
    for n in range(40):
        (jobs / f"job-{n:02}.md").write_text(GOOD.format(n=n))
    (jobs / "job-05.md").write_text("---\ntitle: [\n---\n")  # invalid YAML
    (jobs / "job-06.md").write_text("---\ntitle: A\ncompany: B\n---\n")  # fields missing
    (jobs / "job-07.md").write_bytes(b"---\ntitle: \xff\n---\n")  # not UTF-8
    return tmp_path


def test_a_chunk_is_compiled_as_each_file_alone(tmp_path: Path) -> None:
    root = _board(tmp_path)
    paths = sorted((root / "content" / "jobs").iterdir())
    results = compile_files(str(root), "comrak", [str(p) for p in paths])
    packer = description_packer()
    for path, (digest, result, row) in zip(paths, results, strict=True):
        doc = read_source(path, root)
        alone = compile_posting(doc, "comrak")
        assert digest == doc.digest
        # The lines the build uses: a valid posting's warnings name top-level fields only;
        # the description travels packed, in the row only.
        assert result == replace(alone, description="", key_lines=top_lines(alone.key_lines))
        assert "location.0.city" in alone.key_lines or alone.posting is None
        if alone.posting is None:
            assert row is None
        else:
            assert row is not None
            assert row.posting_json == alone.posting.model_dump_json()
            assert json.loads(row.key_lines_json) == result.key_lines
            assert row.metadata_digest == metadata_digest(alone.posting, row.posting_json)
            assert packer.unpack(row.description) == alone.description.encode()  # checked
    assert sum(result.posting is None for _, result, _ in results) == 3


def test_the_cache_stores_the_same_rows_from_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The JSON, packed description and metadata digest made on the workers are what
    ``store_posting`` makes itself: the cache's rows are the same either way."""
    monkeypatch.setattr(parallel, "MIN_POOLED", 32)  # 40 postings go to the pool
    root = _board(tmp_path)
    files = sorted((root / "content" / "jobs").iterdir())
    from_workers = BuildCache(tmp_path / "workers")
    with Workers(2) as workers:
        assert workers.pooled(len(files))
        compiled = list(compile_postings(files, root, "comrak", workers, from_workers))
    assert sum(c.posting is not None for c in compiled) == 37
    made_here = BuildCache(tmp_path / "here")
    for path in files:
        result = compile_posting(read_source(path, root), "comrak")
        if result.posting is not None:
            key = posting_key(result.path, result.posting.source.digest, "comrak")
            packer = description_packer()
            row = posting_row(result.posting, result.key_lines, result.description, packer)
            made_here.store_posting(key, result.posting, row)
    assert _rows(from_workers) == _rows(made_here)
    assert len(_rows(made_here)) == 37


def _rows(cache: BuildCache) -> list[tuple[object, ...]]:
    cache.commit()
    db = sqlite3.connect(cache.folder / CACHE_FILE)  # type: ignore[operator]
    try:
        return db.execute("SELECT * FROM postings ORDER BY key").fetchall()
    finally:
        db.close()
