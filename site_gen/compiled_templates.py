"""Compiled templates kept between builds: Jinja's bytecode cache, in the build cache folder.

Once a board's pages come from the build cache, compiling the templates the build still
renders (the search page, a changed posting's page and its listings) is most of what is
left of a small board's build. Jinja loads a template's code only if it was compiled from
the same source (it keeps a checksum) by the same Python; the files' names carry the code
fingerprint (sitegen and the libraries that shape pages, Jinja among them), so a new
version never runs code an old one compiled.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from site_gen.cache_keys import code_fingerprint

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
