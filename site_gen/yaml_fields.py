"""YAML read once, with line numbers: the data, the line of every key path, and every
problem with a key or value (all of them, not only the first), for a posting's frontmatter.

Safe YAML only; a scalar its type cannot read stays a string (for the field checks to
report), and a document too big or nested (an alias bomb) is refused quickly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

import yaml

from site_gen.text import char_name, first_forbidden, forbidden_problem

MAX_YAML_NODES = 10_000
TOO_MANY = f"more than {MAX_YAML_NODES} values; a posting needs far fewer"
_MERGE = "tag:yaml.org,2002:merge"


if TYPE_CHECKING:  # libyaml's loader has the same interface as the pure-Python one
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's where PyYAML was built with it: several times faster
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# The safe schema's implicit tags by a plain scalar's first character, the wildcard ones
# (none, in the safe schema) appended to each: what ``BaseResolver.resolve`` looks up for
# every scalar.
_WILDCARD = tuple(_SafeLoader.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT = {
    first: (*resolvers, *_WILDCARD)
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
    if first is not None
}


def _implicit_tag(value: str) -> str | None:
    """The implicit tag of a plain scalar, if it has one (``BaseResolver.resolve``)."""
    for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
        if regexp.match(value):
            return cast(str, tag)
    return None


# A board's frontmatter repeats its plain scalars (every key, many dates and amounts):
# remembered, each is matched against the resolvers' patterns once per process. Only short
# ones: the cache must hold no long text, and numbers, dates, bools and nulls are short.
_KNOWN_LENGTH = 64
_known_tag = lru_cache(maxsize=4096)(_implicit_tag)


class _Loader(_SafeLoader):
    """Safe YAML whose scalars that their type cannot read stay strings: timestamps that are
    not real dates (2026-02-30), numbers that are not numbers (``0x_``, ``._``, ``!!int
    abc``), ``!!bool maybe``.

    PyYAML raises a bare exception for those (``ValueError``, ``KeyError``...); as strings
    they reach the field checks, which report them with their field and line like any other
    bad date or number.

    Its resolver is PyYAML's for a loader without path resolvers (``add_path_resolver``),
    with the per-node work done once: libyaml's composer calls back into Python three times
    for every node, and those calls were a tenth of the cost of composing a frontmatter.
    """

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
        """A node's tag, as ``BaseResolver.resolve`` finds it without path resolvers."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                text = cast(str, value)
                found = _known_tag(text) if len(text) <= _KNOWN_LENGTH else _implicit_tag(text)
                if found is not None:
                    return found
            return self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Nothing to track without path resolvers."""

    def ascend_resolver(self) -> None:
        """Nothing to track without path resolvers."""


assert not _Loader.yaml_path_resolvers  # what ``resolve`` and the two no-ops rely on


def _or_text(construct: Callable[[Any, yaml.Node], Any]) -> Callable[[Any, yaml.Node], Any]:
    def construct_or_text(loader: Any, node: yaml.Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError, KeyError, AttributeError):
            return loader.construct_scalar(node)

    return construct_or_text


for _tag in ("bool", "int", "float", "timestamp"):
    _name = f"tag:yaml.org,2002:{_tag}"
    _Loader.add_constructor(_name, _or_text(_Loader.yaml_constructors[_name]))


def yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The line (within the YAML text) and a one-line description of a YAML error."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if "end of stream" in problem and exc.context and exc.context_mark:
        # An unclosed quote or bracket: where it was opened helps, the file's end does not.
        return exc.context_mark.line + 1, f"{problem} {exc.context}"
    if mark is None:
        return 1, problem
    lines = text.split("\n")
    here = lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""
    if here == "\t" or "tab" in problem:
        problem += " (indent with spaces, not tabs)"
    return mark.line + 1, problem


class TooComplex(Exception):
    pass


@dataclass(frozen=True)
class YamlProblem:
    """A problem with one key or value (``field`` None: with the file), found in the YAML."""

    field: str | None
    line: int
    message: str


def parse_yaml(
    text: str, line_offset: int, raw_bad: dict[int, str] | None = None
) -> tuple[Any, dict[str, int], list[YamlProblem]]:
    """Parse YAML once: the data, the line of every key path, and every problem with a key
    or value (all of them, not only the first). ``raw_bad`` maps positions in ``text`` to
    the characters YAML refuses that stood there (replaced, before parsing, by U+FFFD)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, list(unplaced_characters(text, line_offset, raw_bad or {}))
        # Forbidden characters that YAML reads (non-characters) or its escapes ("\\e") bring.
        # The forbidden ASCII characters are control characters, which libyaml refuses to
        # read: ASCII text it has read holds none.
        check = "\\" in text or (not text.isascii() and first_forbidden(text) is not None)
        walk = _Walk(loader, text, line_offset, check_text=check, raw_bad=dict(raw_bad or {}))
        _, data = walk.visit(node, "")
        problems = [*walk.problems, *unplaced_characters(text, line_offset, walk.raw_bad)]
        if not walk.plain:
            # A tag, merge key or value the walk does not build: PyYAML builds it, or says
            # why not (unless there are problems already: then the walk's data will do).
            try:
                data = loader.construct_document(node)
            except yaml.YAMLError:
                if not problems:
                    raise
        return data, walk.lines, problems
    finally:
        loader.dispose()


def unplaced_characters(text: str, offset: int, positions: dict[int, str]) -> Iterator[YamlProblem]:
    """One problem for each line holding characters YAML refuses outside any key or value
    (or in YAML that cannot be read, so that no field can be named)."""
    lines: dict[int, str] = {}
    for index, char in sorted(positions.items()):
        lines.setdefault(text.count("\n", 0, index) + 1 + offset, char)
    for line, char in lines.items():
        yield YamlProblem(None, line, f"{char_name(char)} is not allowed; remove it")


_TAG = "tag:yaml.org,2002:"
_MAP, _SEQ, _STR, _SET = _TAG + "map", _TAG + "seq", _TAG + "str", _TAG + "set"
# The scalars of the safe schema whose constructors are plain functions of the node.
_SCALARS = frozenset(_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp"))


@dataclass
class _Walk:
    """One pass over the YAML nodes: the line of every key path, the checks that need the
    nodes rather than the data (the data has no lines, and may be an alias bomb), and the
    data itself, built as PyYAML's constructor builds it. Problems with keys and values are
    collected, not raised, so that a file's every problem is reported in one run.

    Aliases share nodes, so a few lines can stand for billions of values; sizes are counted
    as expanded but memoised per node, which keeps the walk linear, and an alias's data is
    the same object as its anchor's, as in PyYAML. Plain maps, lists and scalars (all a
    posting has) are built here; at anything else (``!!omap``, ``!!binary``, a merge key
    ``<<``, a value its constructor refuses) ``plain`` turns false and the loader builds
    the document after the walk, so that it, not this walk, decides what such YAML means.
    """

    loader: _Loader
    text: str
    offset: int
    check_text: bool
    lines: dict[str, int] = field(default_factory=dict)  # dotted key path -> file line
    done: dict[int, tuple[int, Any]] = field(default_factory=dict)  # node id -> size, data
    open_nodes: set[int] = field(default_factory=set)
    plain: bool = True  # every node so far was built here
    raw_bad: dict[int, str] = field(default_factory=dict)  # not yet reported: index -> char
    problems: list[YamlProblem] = field(default_factory=list)

    def visit(self, node: yaml.Node, name: str) -> tuple[int, Any]:
        """The number of values the node stands for (aliases expanded), and its data."""
        if isinstance(node, yaml.ScalarNode):  # a leaf: nothing to memoise or recurse into
            return 1, self._leaf(node, name)
        key = id(node)
        done = self.done.get(key)
        if done is not None:
            return done
        if key in self.open_nodes:
            raise TooComplex("an alias refers to the value that contains it")
        self.open_nodes.add(key)
        if isinstance(node, yaml.MappingNode):
            result: tuple[int, Any] = self._mapping(node, name)
        else:  # the only other kind of node
            result = self._sequence(cast(yaml.SequenceNode, node), name)
        self.open_nodes.discard(key)
        self.done[key] = result
        return result

    def _leaf(self, node: yaml.ScalarNode, name: str) -> Any:
        """A scalar's data (after its checks): ``visit`` for the nodes most YAML is made of
        (the collections take a text scalar with no check to run without it: ``_fast``)."""
        if self.check_text or self.raw_bad:
            self._check_text(node, name)
        if self.plain and node.tag == _STR:  # what construct_yaml_str returns, without its calls
            return node.value
        return self._scalar(node)

    def _fast(self) -> bool:
        """Whether a text scalar's data is its value with no check to run: the collections
        then take it without a call (most of a posting's values are such scalars)."""
        return self.plain and not self.check_text and not self.raw_bad

    def _mapping(self, node: yaml.MappingNode, prefix: str) -> tuple[int, dict[Any, Any]]:
        size = 1
        data: dict[Any, Any] = {}
        self.plain = self.plain and node.tag == _MAP
        # A set is refused: its order in Python, and so the pages', follows the hash seed.
        if node.tag == _SET:
            message = "a set (!!set) has no order; write a list instead, e.g. [a, b]"
            self._problem(prefix, self._line(node), message)
        seen: dict[object, int] = {}  # YAML would silently keep only the last of two keys
        lines, offset, scalar = self.lines, self.offset + 1, yaml.ScalarNode
        dotted = prefix + "." if prefix else ""
        fast = self._fast()  # again after anything that may change it
        for key, value in node.value:
            name = dotted + str(key.value)
            line = key.start_mark.line + offset
            if name not in lines:
                lines[name] = line
            if isinstance(key, scalar) and key.tag != _MERGE:
                first = seen.get(key.value)
                if first is None:
                    seen[key.value] = line
                else:
                    message = f"appears twice (lines {first} and {line}); keep one"
                    self._problem(name, line, message)
                if fast and key.tag == _STR:
                    key_data = key.value
                else:
                    key_data, fast = self._leaf(key, name), self._fast()
                size += 1
            else:
                self.plain = False  # a merge, or a list or map as a key
                key_size, key_data = self.visit(key, name)
                size += key_size
                fast = False
            if size > MAX_YAML_NODES:
                raise TooComplex(TOO_MANY)
            if fast and isinstance(value, scalar) and value.tag == _STR:
                value_data = value.value
                size += 1
            else:
                value_size, value_data = self.visit(value, name)
                size += value_size
                fast = self._fast()
            if size > MAX_YAML_NODES:
                raise TooComplex(TOO_MANY)
            if self.plain:
                data[key_data] = value_data
        return size, data

    def _sequence(self, node: yaml.SequenceNode, name: str) -> tuple[int, list[Any]]:
        size = 1
        data: list[Any] = []
        self.plain = self.plain and node.tag == _SEQ
        lines, offset, scalar = self.lines, self.offset + 1, yaml.ScalarNode
        fast = self._fast()  # again after anything that may change it
        for index, item in enumerate(node.value):
            item_name = f"{name}.{index}"
            if item_name not in lines:
                lines[item_name] = item.start_mark.line + offset
            if fast and isinstance(item, scalar) and item.tag == _STR:
                item_data = item.value
                size += 1
            else:
                item_size, item_data = self.visit(item, item_name)
                size += item_size
                fast = self._fast()
            if size > MAX_YAML_NODES:
                raise TooComplex(TOO_MANY)
            data.append(item_data)
        return size, data

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if self.plain:
            if node.tag == _STR:  # what construct_yaml_str returns, without its two calls
                return node.value
            if node.tag in _SCALARS:
                try:
                    return self.loader.yaml_constructors[node.tag](self.loader, node)
                except Exception:  # construct_document raises it again, in its turn
                    pass
        self.plain = False
        return None

    def _check_text(self, node: yaml.ScalarNode, name: str) -> None:
        """No page, feed or sitemap may carry a forbidden character (``text.py``): one that
        YAML refused to read where the scalar stands, or one its escapes ("\\0", "\\e")
        or non-characters put into the value."""
        start, end = node.start_mark.index, node.end_mark.index
        raw = [i for i in self.raw_bad if start <= i < end]
        if raw:
            first = min(raw)
            line = self._line(node) + self.text.count("\n", start, first)
            self._problem(name, line, f"contains {char_name(self.raw_bad[first])}; remove it")
            for index in raw:
                del self.raw_bad[index]
            return
        message = forbidden_problem(node.value) if self.check_text else None
        if message:
            self._problem(name, self._line(node), message)

    def _problem(self, name: str, line: int, message: str) -> None:
        self.problems.append(YamlProblem(name, line, message))

    def _line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset
