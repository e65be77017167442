"""Read posting and page files into ``SourceDocument`` values: raw fields plus line numbers.

Nothing here judges the fields (that is ``validate.py``); this module only turns bytes into
text, splits the frontmatter from the body and has its YAML read once (``yaml_fields``,
which records on which line each key stands so that later errors can point at it).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from stat import S_ISLNK
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from site_gen.errors import Diagnostic, SitegenError
from site_gen.yaml_fields import (
    TooComplex,
    YamlProblem,
    parse_yaml,
    unplaced_characters,
    yaml_problem,
)

_HANDLER = YAMLHandler()
MAX_FILE_BYTES = 10 * 1024 * 1024
# What YAML refuses to read (it allows tab, newline, NEL and the printable planes); found
# before parsing so that the message can name the line.
NOT_YAML_PRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


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
    # Problems found while reading. With ``fields`` empty the file could not be read as
    # fields at all; otherwise they are problems with some keys or values, and validation
    # still reports the others' (``validate._with_field_problems``).
    problems: tuple[Diagnostic, ...] = field(default=())


def file_digest(raw: bytes) -> str:
    """The content hash a source is known by (in ``SourceRef`` and in the build cache)."""
    return hashlib.sha256(raw).hexdigest()


def find_sources(folder: Path) -> list[Path]:
    """Markdown files in a folder, sorted so that builds are deterministic."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:  # no stat per file: boards have thousands
        names = sorted(e.name for e in entries if e.name.endswith(".md") and e.is_file())
    return [folder / name for name in names]


def read_source(path: Path, root: Path) -> SourceDocument:
    """Read one file; problems with it are returned inside the document, never raised."""
    return read_sources([path], root)[0]


def read_sources(paths: Sequence[Path], root: Path) -> list[SourceDocument]:
    """``read_source`` of each file, one step at a time: all are read, then all parsed (the
    YAML parser's code stays in the CPU's caches). A folder found not to be a symbolic link
    is looked at once, not once for each file in it (``_unlinked_stat``)."""
    folders: set[str] = set()
    found = [_file_bytes(path, root, folders) for path in paths]
    return [
        item if isinstance(item, SourceDocument) else source_from_bytes(*item) for item in found
    ]


def _file_bytes(path: Path, root: Path, folders: set[str]) -> tuple[bytes, str] | SourceDocument:
    """A file's bytes and its path as messages show it, or why it cannot be read."""
    rel = relative_path(path, root)
    if not is_text_name(rel):
        # Its slug, its URL and the build cache's records all need text; the message shows
        # the bytes that are not UTF-8 as \xNN (``text.escaped``).
        return _broken(rel, "", None, "the file name is not valid UTF-8; rename the file")
    stat = _unlinked_stat(path, root, rel, folders)
    if stat is None and not _inside(path, root):
        return _broken(rel, "", None, "is a link to a file outside the board; copy the file in")
    try:
        size = (stat or path.stat()).st_size
        if size > MAX_FILE_BYTES:
            return _broken(rel, "", None, f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
        return _read_file(path, size), rel
    except OSError as exc:
        return _broken(rel, "", None, f"cannot be read: {exc.strerror or exc}")


def _read_file(path: Path, size: int) -> bytes:
    """The file's bytes, ``size`` the length its stat gave: read in one call where it still
    has that length (``Path.read_bytes`` makes nine system calls for a posting, this three)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        data = os.read(fd, size + 1)
        if len(data) <= size:  # a short read of a file: its end
            return data
        parts = [data]  # it grew since its stat: read on to its end
        while part := os.read(fd, 1 << 16):
            parts.append(part)
        return b"".join(parts)
    finally:
        os.close(fd)


def source_from_bytes(raw: bytes, rel: str) -> SourceDocument:
    """Parse a file's bytes, already read; ``rel`` is its path as shown in messages."""
    digest = file_digest(raw)
    if len(raw) > MAX_FILE_BYTES:
        return _broken(rel, digest, None, f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        text = decoded_text(raw)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return _broken(
            rel,
            digest,
            line,
            f"not valid UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        )
    return parse_text(text, rel, digest)


def decoded_text(raw: bytes) -> str:
    """A source's text: its UTF-8 without a byte order mark, every line ending a "\\n".

    What the ``utf-8-sig`` codec decodes, and its ``UnicodeDecodeError`` (positions count
    from after the mark), without that codec's wrapper, which is Python code run for every
    file. Line endings are searched for only where a "\\r" is: the search for "\\r\\n"
    scans slowly, and most files have none."""
    text = (raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw).decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def parse_text(text: str, rel: str, digest: str) -> SourceDocument:
    """Split and parse already decoded text."""
    if not _HANDLER.detect(text):
        return _broken(
            rel,
            digest,
            1,
            "no frontmatter: a posting starts with a line '---', its YAML fields, and another '---'",
        )
    # The first two '---' lines: the body may hold more, and need not be searched for them.
    boundaries = list(islice(_HANDLER.FM_BOUNDARY.finditer(text, 0), 2))
    if len(boundaries) < 2:
        return _broken(
            rel, digest, 1, "frontmatter is not closed: add a line '---' after the fields"
        )
    yaml_text = text[boundaries[0].end() : boundaries[1].start()]
    offset = text.count("\n", 0, boundaries[0].end())  # lines before the YAML text
    body_start = boundaries[1].end()
    body = text[body_start:].lstrip("\n")
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    # Characters YAML refuses to read are reported in the fields they stand in: the YAML is
    # read with each replaced by U+FFFD, which keeps every line and column where it was.
    raw_bad = {m.start(): m.group() for m in NOT_YAML_PRINTABLE.finditer(yaml_text)}
    if raw_bad:
        yaml_text = NOT_YAML_PRINTABLE.sub("\ufffd", yaml_text)
    try:
        fields, key_lines, problems = parse_yaml(yaml_text, offset, raw_bad)
    except yaml.MarkedYAMLError as exc:
        line, problem = yaml_problem(exc, yaml_text)
        found = [*unplaced_characters(yaml_text, offset, raw_bad)]
        found.append(YamlProblem(None, line + offset, f"invalid YAML: {problem}"))
        return _broken_with(rel, digest, found)
    except TooComplex as exc:
        return _broken(rel, digest, None, f"invalid YAML: {exc}")
    except RecursionError:
        return _broken(rel, digest, None, "invalid YAML: nested too deeply")
    except yaml.YAMLError as exc:
        return _broken(rel, digest, None, f"invalid YAML: {exc}")
    if not isinstance(fields, dict):
        message = "frontmatter must be a mapping of fields such as 'title: ...'"
        return _broken_with(rel, digest, [*problems, YamlProblem(None, 2, message)])
    diagnostics = tuple(Diagnostic(rel, p.line, p.field, p.message) for p in problems)
    return SourceDocument(rel, fields, key_lines, body, body_line, digest, problems=diagnostics)


def read_body(root: Path, source_path: str, body_line: int) -> str:
    """Read a posting's markdown body again, for rendering its page without holding all bodies."""
    try:
        text = decoded_text((root / source_path).read_bytes())
    except (OSError, UnicodeDecodeError):
        raise SitegenError(
            f"{source_path}: changed or removed during the build; build again"
        ) from None
    return "\n".join(text.split("\n")[body_line - 1 :])


def iter_sources(folder: Path, root: Path) -> Iterator[SourceDocument]:
    for path in find_sources(folder):
        yield read_source(path, root)


def _broken(
    rel: str, digest: str, line: int | None, message: str, field: str | None = None
) -> SourceDocument:
    return SourceDocument(
        rel, {}, {}, "", 1, digest, problems=(Diagnostic(rel, line, field, message),)
    )


def _broken_with(rel: str, digest: str, problems: list[YamlProblem]) -> SourceDocument:
    found = tuple(Diagnostic(rel, p.line, p.field, p.message) for p in problems)
    return SourceDocument(rel, {}, {}, "", 1, digest, problems=found)


def _inside(path: Path, root: Path) -> bool:
    """False for a symbolic link that leads out of the board (a posting must not read
    a file such as ``~/.ssh/id_rsa`` into the site)."""
    try:
        path.resolve().relative_to(root.resolve())
    except (OSError, ValueError):
        return False
    return True


def _unlinked_stat(path: Path, root: Path, rel: str, folders: set[str]) -> os.stat_result | None:
    """The file's stat if it stands at ``root/rel`` and neither it nor a folder between the
    root and it is a symbolic link: then it is inside the board without resolving any path
    (which costs a ``stat`` of every folder up to ``/``, twice). None in every other case,
    for ``_inside`` to decide. ``folders`` holds folders already found not to be links (this
    adds those it finds)."""
    parts = rel.split("/")
    # Paths joined as ``os.path.join`` joins these (no part is empty or absolute), without
    # its cost; ``str(root / rel)`` without making a Path (``Path(".") / rel`` is ``rel``).
    base = str(root).rstrip("/")  # "" for "/"
    joined = rel if base == "." else f"{base}/{rel}"
    if joined != str(path) or not parts[0] or any(p in {"", ".", ".."} for p in parts):
        return None
    here = base
    try:
        for index, part in enumerate(parts, 1):
            here = f"{here}/{part}"
            last = index == len(parts)
            if not last and here in folders:
                continue
            stat = os.lstat(here)
            if S_ISLNK(stat.st_mode):
                return None
            if not last:
                folders.add(here)
    except OSError:
        return None
    return stat


def is_text_name(name: str) -> bool:
    """False for a file name whose bytes are not UTF-8 (``os.fsdecode`` keeps such bytes as
    lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def relative_path(path: Path, root: Path) -> str:
    """A source's path as shown in messages: relative to the board root where possible."""
    text, base = str(path), str(root).rstrip("/")
    if base == "." and not os.path.isabs(text) and not text.startswith(".."):
        return text.replace(os.sep, "/")
    if text.startswith(base + "/"):  # the common case, without pathlib's cost
        return text[len(base) + 1 :].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
