"""Fingerprinted static assets: every file under ``assets/`` is named by its content hash.

``style.css`` is written as ``style.3f2a9c1e.css``, so a host can let browsers cache it
forever: a changed file gets a new name. The manifest (name -> fingerprinted name, and the
bytes to serve) is computed once, before rendering, from the theme's and the site's static
folders. Templates link to an asset with ``asset("style.css")``; links in the settings and
postings (``/assets/logo.png``) are mapped through the same manifest by ``SiteUrls``; and the
static-file producer writes exactly these bytes under exactly these names.

A stylesheet's ``url(...)`` and ``@import`` references to other static files are rewritten to
their fingerprinted names, so a font or image a stylesheet uses is cacheable too, and the
stylesheet's own hash changes when one of them does. With ``minify``, CSS and JS are minified
*before* they are hashed, so a fingerprinted name always names the bytes that are served.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

HASH_LENGTH = 8  # hex digits: 4 billion names per file, plenty to tell versions apart

# url(x), url('x'), url("x") and @import 'x' / "x" in a stylesheet.
_CSS_REFERENCE = re.compile(
    r"""(?P<head>url\(\s*(?P<q1>['"]?)|@import\s+(?P<q2>['"]))(?P<ref>[^'")\s]+)"""
)


@dataclass(frozen=True)
class Asset:
    """One static file as served."""

    name: str  # its path in the static folder, e.g. "style.css" or "fonts/inter.woff2"
    hashed: str  # the fingerprinted path, e.g. "style.3f2a9c1e.css"
    data: bytes  # the bytes served: minified if asked, references rewritten


@dataclass(frozen=True)
class AssetManifest:
    """Every static file of the build, sorted by name."""

    files: tuple[Asset, ...] = ()

    @cached_property
    def names(self) -> dict[str, str]:
        """Static file name -> fingerprinted name."""
        return {asset.name: asset.hashed for asset in self.files}


def fingerprinted_name(name: str, data: bytes) -> str:
    """``fonts/inter.woff2`` -> ``fonts/inter.<hash>.woff2``; the hash is of ``data``."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    folder, base = posixpath.split(name)
    stem, dot, suffix = base.rpartition(".")
    hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{base}.{digest}"
    return posixpath.join(folder, hashed)


def find_static(folders: Iterable[Path]) -> dict[str, Path]:
    """Static files by name; a later folder wins on equal names (the site's over the theme's).

    Hidden files (``.DS_Store``, editor leftovers) are not part of a site and are skipped.
    """
    chosen: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder)
                if path.is_file() and not any(p.startswith(".") for p in relative.parts):
                    chosen[relative.as_posix()] = path
    return dict(sorted(chosen.items()))


def collect_assets(
    folders: Iterable[Path], *, minify: bool = False, generated: Mapping[str, bytes] | None = None
) -> AssetManifest:
    """Read, (minify,) rewrite and fingerprint every static file.

    ``generated`` are files made by the build (the theme's ``accent.css``); a static file of
    the same name wins over one.
    """
    found = find_static(folders)
    sources: dict[str, Callable[[], bytes]] = {
        **{name: partial(bytes, data) for name, data in (generated or {}).items()},
        **{name: path.read_bytes for name, path in found.items()},
    }
    sources = dict(sorted(sources.items()))
    done: dict[str, Asset] = {}

    def build(name: str, visiting: frozenset[str]) -> Asset:
        if name not in done:
            data = prepare(name, sources[name](), minify=minify)
            if name.endswith(".css"):
                data = rewrite_css(name, data, lambda ref: resolve(ref, visiting | {name}))
            done[name] = Asset(name, fingerprinted_name(name, data), data)
        return done[name]

    def resolve(ref: str, visiting: frozenset[str]) -> str | None:
        # A stylesheet that (indirectly) references itself keeps that reference as written.
        if ref in sources and ref not in visiting:
            return build(ref, visiting).hashed
        return None

    return AssetManifest(tuple(build(name, frozenset()) for name in sources))


def prepare(name: str, data: bytes, *, minify: bool) -> bytes:
    if not minify:
        return data
    from site_gen.minify import minify_css, minify_js  # only a minified build needs them

    if name.endswith(".css"):
        return minify_css(data)
    if name.endswith((".js", ".mjs")):
        return minify_js(data)
    return data


def rewrite_css(name: str, data: bytes, hashed_of: Callable[[str], str | None]) -> bytes:
    """Point a stylesheet's relative references to static files at their fingerprinted names."""
    folder = posixpath.dirname(name)
    text = data.decode("utf-8")

    def replace(match: re.Match[str]) -> str:
        ref = match["ref"]
        path, sep, rest = _split_query(ref)
        if not path or "://" in path or path.startswith(("/", "data:", "#")):
            return match[0]
        target = posixpath.normpath(posixpath.join(folder, path))
        hashed = hashed_of(target)
        if hashed is None:
            return match[0]
        new_path = posixpath.join(posixpath.dirname(path), posixpath.basename(hashed))
        return match["head"] + new_path + sep + rest

    return _CSS_REFERENCE.sub(replace, text).encode("utf-8")


def _split_query(ref: str) -> tuple[str, str, str]:
    """``font.woff2?v=2#x`` -> (``font.woff2``, ``?``, ``v=2#x``)."""
    cut = min((i for i in (ref.find("?"), ref.find("#")) if i >= 0), default=-1)
    if cut < 0:
        return ref, "", ""
    return ref[:cut], ref[cut], ref[cut + 1 :]
