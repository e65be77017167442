"""CPU cost of compiling one posting, step by step (issues 7 and 12).

Compiles every posting of a board in this one process, each step on its own over all
postings, and prints the median per-posting CPU time (``time.process_time``) of each step
over several runs, then of the whole: file by file, and in chunks as the workers compile
them (``compile.compile_files``), with and without sending the results back (pickled, as
the pool sends them). CPU time, not wall time: the machine is shared, and a step's CPU time
depends less than its wall time on how busy the other cores are. The cyclic garbage
collector is off, as in ``sitegen build`` (``cli.run_build``).

    .venv/bin/python bench/compile_cost.py [BOARD] [--runs 7] [--engine comrak]

BOARD defaults to ``bench/boards/1000`` (made with ``bench/generate.py`` if missing).
The steps' sum is under the file-by-file total: a step run over all postings keeps its
library's code in the CPU's caches, while file by file the libraries evict one another
(which is why the workers read, parse and compile a chunk one step at a time).
"""

from __future__ import annotations

import argparse
import gc
import pickle
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

from site_gen import content, markup, yaml_fields
from site_gen.compile import compile_files
from site_gen.models import Frontmatter, Posting, SourceRef
from site_gen.parallel import MAX_CHUNK
from site_gen.urls import slugify
from site_gen.validate import compile_posting, shown_digest

HERE = Path(__file__).resolve().parent
TOTAL = "all of it, file by file (read_source, compile_posting)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("board", nargs="?", type=Path, default=HERE / "boards" / "1000")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per step (median)")
    parser.add_argument("--engine", default="comrak", help="markdown engine")
    args = parser.parse_args()
    gc.disable()  # as a build runs (cli.run_build)
    board: Path = args.board
    if not (board / "content" / "jobs").is_dir():
        print(f"generating a board of 1,000 postings in {board}", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "1000", str(board)], check=True)
    files = content.find_sources(board / "content" / "jobs")
    steps = make_steps(files, board, args.engine)
    print(f"{len(files)} postings in {board}, engine {args.engine}, {args.runs} runs, median")
    print()
    print("| step | µs per posting |")
    print("| --- | ---: |")
    total_steps = 0.0
    for name, run in steps:
        cost = median_cost(run, len(files), args.runs)
        if name == TOTAL:
            print(f"| sum of the steps | {total_steps:.0f} |")
        if not name.startswith("all of it"):
            total_steps += cost
        print(f"| {name} | {cost:.0f} |")


def median_cost(run: Callable[[], None], count: int, runs: int) -> float:
    """Median CPU time of ``run`` (which handles ``count`` postings), in µs per posting."""
    run()  # warm up: engines, caches, imports
    times = []
    for _ in range(runs):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times) / count * 1e6


def make_steps(files: list[Path], root: Path, engine: str) -> list[tuple[str, Callable[[], None]]]:
    """Each step as a function over all postings, fed the previous steps' results."""
    rels = [content.relative_path(path, root) for path in files]
    raws = [path.read_bytes() for path in files]
    texts = [content.decoded_text(raw) for raw in raws]
    docs = [content.parse_text(text, rel, "") for text, rel in zip(texts, rels, strict=True)]
    yaml_texts = [_yaml_text(text) for text in texts]
    nodes = [_compose(text) for text in yaml_texts]
    fields = [Frontmatter.model_validate(doc.fields) for doc in docs]
    get = markup.get_engine(engine)
    unsafe = [get(markup.without_control_chars(doc.body)) for doc in docs]
    html = [markup.render_markdown(doc.body, engine) for doc in docs]
    paths = [str(path) for path in files]
    chunked = [
        compile_files(str(root), engine, paths[start : start + MAX_CHUNK])
        for start in range(0, len(paths), MAX_CHUNK)
    ]
    pickled = [pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL) for chunk in chunked]

    def read() -> None:
        folders: set[str] = set()  # as read_sources reads a chunk
        for path in files:
            found = content._file_bytes(path, root, folders)
            assert not isinstance(found, content.SourceDocument), found.problems
            content.file_digest(found[0])

    def split() -> None:
        for raw in raws:
            _yaml_text(content.decoded_text(raw))

    def yaml_compose() -> None:
        for text in yaml_texts:
            _compose(text)

    def yaml_walk() -> None:
        for node, text in zip(nodes, yaml_texts, strict=True):
            loader = yaml_fields._Loader("")
            yaml_fields._Walk(loader, text, 0, check_text="\\" in text).visit(node, "")
            loader.dispose()

    def pydantic() -> None:
        for doc in docs:
            Frontmatter.model_validate(doc.fields)

    def slug() -> None:
        for doc in docs:
            slugify(doc.path.rsplit("/", 1)[-1][:-3])

    def markdown() -> None:
        for doc in docs:
            get(markup.without_control_chars(doc.body))

    def sanitise() -> None:
        for text in unsafe:
            markup.sanitize(text)

    def after_sanitising() -> None:
        for text, doc in zip(html, docs, strict=True):
            markup._H1.sub(r"<\1h2", markup._unreferenced(text, doc.body, engine))

    def shown() -> None:
        for doc, valid in zip(docs, fields, strict=True):
            shown_digest(valid, doc.body)

    def summary() -> None:
        for text in html:
            markup.plain_text(text)

    def construct() -> None:
        for doc, valid, text in zip(docs, fields, html, strict=True):
            source = SourceRef(path=doc.path, body_line=doc.body_line, digest=doc.digest)
            derived = {"slug": "x", "source": source, "summary": text[:10]}
            Posting.model_construct(**{**valid.__dict__, **derived})

    def one_by_one() -> None:
        for path in files:
            compile_posting(content.read_source(path, root), engine)

    def send() -> None:
        for chunk in chunked:
            pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)

    def receive() -> None:
        for data in pickled:
            pickle.loads(data)

    def chunks() -> None:
        for start in range(0, len(paths), MAX_CHUNK):
            compile_files(str(root), engine, paths[start : start + MAX_CHUNK])

    def chunks_sent() -> None:
        for start in range(0, len(paths), MAX_CHUNK):
            data = compile_files(str(root), engine, paths[start : start + MAX_CHUNK])
            pickle.loads(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))

    return [
        ("read (link check, stat, read, hash)", read),
        ("decode + split frontmatter", split),
        ("YAML compose (libyaml nodes)", yaml_compose),
        ("YAML walk: key lines, hardening, data", yaml_walk),
        ("pydantic validation", pydantic),
        ("slugify", slug),
        ("markdown render (comrak)", markdown),
        ("sanitise (nh3)", sanitise),
        ("forbidden characters dropped from the HTML, h1 to h2", after_sanitising),
        ("summary (plain_text)", summary),
        ("digest of what the page shows (shown_digest)", shown),
        ("Posting.model_construct", construct),
        ("results pickled in the worker", send),
        ("results unpickled in the main process", receive),
        (TOTAL, one_by_one),
        (f"all of it, in chunks of {MAX_CHUNK} (as the workers run)", chunks),
        (f"all of it, in chunks of {MAX_CHUNK}, results pickled and unpickled", chunks_sent),
    ]


def _yaml_text(text: str) -> str:
    """What ``content.parse_text`` does before the YAML parser runs."""
    content._HANDLER.detect(text)
    boundaries = list(islice(content._HANDLER.FM_BOUNDARY.finditer(text, 0), 2))
    yaml_text = text[boundaries[0].end() : boundaries[1].start()]
    text.count("\n", 0, boundaries[0].end())
    body = text[boundaries[1].end() :].lstrip("\n")
    text.count("\n", 0, len(text) - len(body))
    content.NOT_YAML_PRINTABLE.search(yaml_text)
    return yaml_text


def _compose(text: str) -> Any:
    loader = yaml_fields._Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


if __name__ == "__main__":
    main()
