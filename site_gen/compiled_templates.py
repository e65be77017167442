"""Compiled templates kept between builds: Jinja's bytecode cache, in the build cache folder.

Once a board's pages come from the build cache, compiling the templates the build still
renders (the search page, a changed posting's page and its listings) is most of what is
left of a small board's build. Jinja loads a template's code only if it was compiled from
the same source (it keeps a checksum) by the same Python; the files' names carry the code
fingerprint (sitegen and the libraries that shape pages, Jinja among them), so a new
version never runs code an old one compiled; ``SaltedBytecode`` adds to each template's
checksum what folding wrote into its code (folding.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.bccache import Bucket

from site_gen.cache_keys import code_fingerprint
from site_gen.parallel import Workers

FOLDER = "templates"


def compiled_templates(cache_folder: Path | None) -> jinja2.BytecodeCache | None:
    """The bytecode cache in ``cache_folder`` (None with ``--no-cache``: compile every
    time). Files of other versions are deleted, so the folder holds one set."""
    if cache_folder is None:
        return None
    folder = cache_folder / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    prefix = code_fingerprint()[:16]
    for stale in folder.glob("*.jinja"):
        if not stale.name.startswith(prefix):
            stale.unlink(missing_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder), f"{prefix}-%s.jinja")


def compile_for_workers(
    env: jinja2.Environment, names: Iterable[str], workers: Workers, count: int
) -> None:
    """Compile the templates ``names``, and the layouts they extend, here, now, if workers
    will be forked to render ``count`` items: each inherits them compiled, where it would
    otherwise compile its own (on a cold cache, the cards' workers and each set of page
    workers, every one). A template that does not compile is left to fail where it is
    rendered, with the message it gives there."""
    if not workers.will_fork(count) or env.loader is None:
        return
    todo, seen = list(names), set[str]()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            # Parsed first: the build's environment parsed every template already and hands
            # that tree over; the code then comes from the bytecode cache, if it has it.
            source, _, _ = env.loader.get_source(env, name)
            todo.extend(_extended(env.parse(source, name)))
            env.get_template(name)
        except jinja2.TemplateError:
            continue


def _extended(tree: nodes.Template) -> list[str]:
    """The layouts a template extends by a literal name (Jinja loads one when it first
    renders the template, not when it compiles it)."""
    found = (node.template for node in tree.find_all(nodes.Extends))
    return [t.value for t in found if isinstance(t, nodes.Const) and isinstance(t.value, str)]


class SaltedBytecode(jinja2.BytecodeCache):
    """A bytecode cache whose checksums name the folded inputs too (``folded_inputs``), so
    that code compiled with another title, strings, asset names or partials is compiled
    again, never loaded. Stored and loaded by the cache it wraps."""

    def __init__(self, inner: jinja2.BytecodeCache, inputs: Callable[[str], str]) -> None:
        self.inner = inner
        self.inputs = inputs  # a template's name -> what its code depends on besides its source

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        salted = f"{self.inputs(name)}\x1d{source}"
        bucket = Bucket(environment, self.get_cache_key(name, filename), self.checksum(salted))
        self.load_bytecode(bucket)
        return bucket

    def checksum(self, text: str) -> str:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return self.inner.get_source_checksum(digest)

    def load_bytecode(self, bucket: Bucket) -> None:
        self.inner.load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.inner.dump_bytecode(bucket)

    def clear(self) -> None:
        self.inner.clear()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return self.inner.get_cache_key(name, filename)
