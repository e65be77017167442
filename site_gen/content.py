"""Read posting and page files into ``SourceDocument`` values: raw fields plus line numbers.

Nothing here judges the fields (that is ``validate.py``); this module only turns bytes into
text, splits the frontmatter from the body, parses the YAML once, and records on which line
each key stands so that later errors can point at it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from site_gen.errors import Diagnostic

_HANDLER = frontmatter.YAMLHandler()
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_YAML_NODES = 10_000


@dataclass(frozen=True)
class SourceDocument:
    """One markdown file as read from disk, before validation."""

    path: str  # relative to the board root, as shown in messages
    fields: dict[str, Any]
    key_lines: dict[str, int]  # dotted field path -> 1-based line in the file
    body: str
    body_line: int
    digest: str
    frontmatter_line: int = 1
    problems: tuple[Diagnostic, ...] = field(default=())


def find_sources(folder: Path) -> list[Path]:
    """Markdown files in a folder, sorted so that builds are deterministic."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.is_file())


def read_source(path: Path, root: Path) -> SourceDocument:
    """Read one file; problems with it are returned inside the document, never raised."""
    rel = _relative(path, root)
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if len(raw) > MAX_FILE_BYTES:
        return _broken(rel, digest, None, f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return _broken(
            rel,
            digest,
            line,
            f"not valid UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return parse_text(text, rel, digest)


def parse_text(text: str, rel: str, digest: str) -> SourceDocument:
    """Split and parse already decoded text."""
    if not _HANDLER.detect(text):
        return _broken(
            rel,
            digest,
            1,
            "no frontmatter: a posting starts with a line '---', its YAML fields, and another '---'",
        )
    boundaries = list(_HANDLER.FM_BOUNDARY.finditer(text, 0))
    if len(boundaries) < 2:
        return _broken(
            rel, digest, 1, "frontmatter is not closed: add a line '---' after the fields"
        )
    yaml_text = text[boundaries[0].end() : boundaries[1].start()]
    offset = text.count("\n", 0, boundaries[0].end())  # lines before the YAML text
    body_start = boundaries[1].end()
    body = text[body_start:].lstrip("\n")
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    try:
        fields, key_lines = parse_yaml(yaml_text, line_offset=offset)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        return _broken(rel, digest, line, f"invalid YAML: {problem}")
    except (yaml.YAMLError, RecursionError, _TooComplex) as exc:
        return _broken(rel, digest, 1, f"invalid YAML: {exc}")
    if not isinstance(fields, dict):
        return _broken(
            rel, digest, 2, "frontmatter must be a mapping of fields such as 'title: ...'"
        )
    return SourceDocument(rel, fields, key_lines, body, body_line, digest)


class _TooComplex(Exception):
    pass


def parse_yaml(text: str, line_offset: int) -> tuple[Any, dict[str, int]]:
    """Parse YAML once, returning the data and the line of every key path."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        key_lines: dict[str, int] = {}
        _collect_lines(node, "", key_lines, line_offset, set())
        return loader.construct_document(node), key_lines
    finally:
        loader.dispose()


def _collect_lines(
    node: yaml.Node, prefix: str, out: dict[str, int], offset: int, seen: set[int]
) -> None:
    # Aliases reuse nodes; visiting each node once keeps an alias bomb linear.
    if id(node) in seen:
        return
    seen.add(id(node))
    if len(seen) > MAX_YAML_NODES:
        raise _TooComplex(f"more than {MAX_YAML_NODES} values; a posting needs far fewer")
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}.{key.value}" if prefix else str(key.value)
            out.setdefault(name, key.start_mark.line + 1 + offset)
            _collect_lines(value, name, out, offset, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            name = f"{prefix}.{index}"
            out.setdefault(name, item.start_mark.line + 1 + offset)
            _collect_lines(item, name, out, offset, seen)


def read_body(root: Path, source_path: str, body_line: int) -> str:
    """Read a posting's markdown body again, for rendering its page without holding all bodies."""
    text = (root / source_path).read_bytes().decode("utf-8-sig")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(text.split("\n")[body_line - 1 :])


def iter_sources(folder: Path, root: Path) -> Iterator[SourceDocument]:
    for path in find_sources(folder):
        yield read_source(path, root)


def _broken(rel: str, digest: str, line: int | None, message: str) -> SourceDocument:
    return SourceDocument(
        rel, {}, {}, "", 1, digest, problems=(Diagnostic(rel, line, None, message),)
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
