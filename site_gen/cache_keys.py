"""The build cache's keys: what each kind of entry depends on, as one SHA-256.

Every key names the cache's format and (through ``code_fingerprint``) sitegen's own code
and the versions of the libraries that shape the output, so a new version never reads an
old version's entries. A page's key adds the theme's fingerprint (config, templates, static
files, translations) and what its template sees; a compiled posting's, its file's path and
content hash; a value derived from the whole board, a digest of its inputs.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache, lru_cache
from pathlib import Path

from site_gen import __version__
from site_gen.config import SiteConfig
from site_gen.theme_paths import i18n_dirs, static_dirs, template_dirs

# 10: SQLite pages of 16 KiB; 9: descriptions checked by their frame's checksum, pages
# packed with parameters of their own; 8: descriptions packed; 7: pages with Zstandard
CACHE_FORMAT = "sitegen-cache 10"
PACKAGE_DIR = Path(__file__).resolve().parent
# Libraries whose version can change the bytes of a page.
OUTPUT_LIBRARIES = ("jinja2", "comrak", "markdown", "nh3", "babel", "pydantic", "pyyaml")


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_digest(text: str) -> str:
    return digest_of(text.encode("utf-8"))


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@cache
def code_fingerprint() -> str:
    """sitegen's own code and the output-shaping libraries: any change invalidates the cache."""
    from importlib import metadata  # slow to import; a build asks once

    parts = [CACHE_FORMAT, __version__, f"{sys.version_info[0]}.{sys.version_info[1]}"]
    for name in OUTPUT_LIBRARIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=?")
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        parts.append(f"{path.name}={digest_of(path.read_bytes())}")
    return _key(*parts)


def theme_fingerprint(config: SiteConfig, root: Path) -> str:
    """Config, templates, static files and translations: what every page may depend on."""
    parts = [code_fingerprint(), config.model_dump_json()]
    dirs = [*template_dirs(config, root), *static_dirs(config, root), *i18n_dirs(config, root)]
    for number, folder in enumerate(dirs):
        # Named by its place in the search path, not where it is: a fresh clone elsewhere
        # (a CI build) has the same pages.
        parts.append(f"dir={number}")
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                parts.append(
                    f"{path.relative_to(folder).as_posix()}={digest_of(path.read_bytes())}"
                )
    return _key(*parts)


@lru_cache(maxsize=1 << 15)  # asked for each posting three times a build (compile, site, render)
def posting_key(path: str, digest: str, engine: str) -> str:
    """A compiled posting depends on its file (path and bytes), the engine and the code."""
    return _key(code_fingerprint(), engine, path, digest)


def page_key(fingerprint: str, *inputs: str) -> str:
    """A rendered page depends on the theme fingerprint and on the inputs its template sees."""
    return _key(fingerprint, *inputs)


def derived_key(name: str, *inputs: str) -> str:
    """A value derived from the whole board depends on its inputs and on the code."""
    return _key(code_fingerprint(), name, *inputs)
