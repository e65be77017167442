"""The frontmatter's YAML, read once: the walk that records lines and checks the nodes must
build exactly what PyYAML builds, and keep its errors."""

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen import yaml_fields
from site_gen.yaml_fields import parse_yaml

# YAML that PyYAML's safe constructor reads in every way it can: each scalar type and its
# edge cases (values the resolver takes for numbers that int() then refuses), explicit
# tags, sets, ordered maps, binary, merge keys, anchors and aliases, unknown tags.
SCALARS = st.sampled_from(
    [
        *["1", "-0b101", "0b_", "0x_", "0x1F", "0o17", "017", "1_000", "1:30", "+0"],
        *["1.5", "-.inf", ".NaN", "1e3", "10e999999", "6.8e+5", "1_0.5"],
        *["2026-11-27", "2026-02-30", "2026-11-27T10:00:00Z", "2026-11-27 10:00:00.5 +01:00"],
        *["yes", "NO", "on", "true", "False", "null", "~", "", "'quoted'", '"tab\\there"'],
        *["text", "two words", "=", "!!str 5", "!!int 7", "!!int abc", "!!float 1"],
        *["!!bool maybe", "!!null x", "!!binary QUJD", "!foo x", "!!timestamp 2026-11-27"],
        *["!!str [1]", "!!seq [1]", "!!map {a: 1}", "!!set {a, b}", "!!omap [{a: 1}, {b: 2}]"],
        *["!!pairs [{a: 1}]", "*x", "*m"],
    ]
)
KEYS = st.sampled_from(
    ["a", "b", "1", "1.0", "true", "yes", "~", "=", "<<", "'a'", "2026-11-27", "[1]", "{a: 1}"]
)


def _collections(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    entries = st.tuples(KEYS, children).map(lambda kv: f"{kv[0]}: {kv[1]}")
    return st.one_of(
        st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(entries, max_size=4).map(lambda items: "{" + ", ".join(items) + "}"),
        st.tuples(st.sampled_from(["&x ", "&m ", "!!map ", "!!seq ", ""]), children).map("".join),
    )


VALUES = st.recursive(SCALARS, _collections, max_leaves=12)
DOCUMENTS = st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=6).map(
    lambda entries: "".join(f"{key}: {value}\n" for key, value in entries)
)


def _typed(data: Any) -> Any:
    """Data with the type of every value, so that 1, 1.0 and True differ."""
    if isinstance(data, dict):
        return [(_typed(key), _typed(value)) for key, value in data.items()]
    if isinstance(data, list):
        return [_typed(item) for item in data]
    return type(data).__name__, repr(data)


def _checked_then_built(text: str) -> Any:
    """What PyYAML builds from the text once the walk's checks passed, without the walk
    building anything: the order of checks and errors the walk must keep."""
    loader = yaml_fields._Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        walk = yaml_fields._Walk(loader, text, 0, check_text="\\" in text, plain=False)
        walk.visit(node, "")
        if walk.problems:
            return "problems", walk.problems
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _outcome(parse: Callable[[], Any]) -> Any:
    try:
        return _typed(parse())
    except Exception as exc:  # an error is an outcome: its type and message must match
        return type(exc), str(exc)


@settings(max_examples=300, deadline=None)
@given(text=DOCUMENTS)
def test_the_walk_builds_what_pyyaml_builds(text: str) -> None:
    """The data comes from the same walk that checks the nodes: it must be what PyYAML's
    constructor makes of the text after the checks, and every error must stay the same."""
    built = _outcome(lambda: _data_or_problems(text))
    assert built == _outcome(lambda: _checked_then_built(text))


def _data_or_problems(text: str) -> Any:
    data, _, problems = parse_yaml(text, line_offset=0)
    return ("problems", problems) if problems else data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x {b: 1}\nc: *x\n", {"a": {"b": 1}, "c": {"b": 1}}),
        ("a: &x {b: 1}\nc: {<<: *x, d: 2}\n", {"a": {"b": 1}, "c": {"b": 1, "d": 2}}),
        ("a: !!omap [x: 1]\nb: !!binary QUJD\n", {"a": [("x", 1)], "b": b"ABC"}),
        ("a: 2026-02-30\nb: 0x1F\n", {"a": "2026-02-30", "b": 31}),
    ],
)
def test_aliases_merges_and_other_tags_are_read(text: str, expected: Any) -> None:
    data, lines, problems = parse_yaml(text, line_offset=1)
    assert problems == []
    assert data == expected
    assert lines["a"] == 2


PYYAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _tags(loader_class: Any, text: str) -> Any:
    """Every node's tag and value, as a loader's resolver tags them (or its error)."""

    def tree(node: Any) -> Any:
        if isinstance(node.value, str):
            return node.tag, node.value
        if node.value and isinstance(node.value[0], tuple):
            return node.tag, [(tree(key), tree(value)) for key, value in node.value]
        return node.tag, [tree(item) for item in node.value]

    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return None if node is None else tree(node)
    except Exception as exc:
        return type(exc), str(exc)
    finally:
        loader.dispose()


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(DOCUMENTS, SCALARS.map(lambda scalar: f"a: {scalar}\n")))
def test_the_resolver_tags_every_node_as_pyyaml_does(text: str) -> None:
    """``_Loader.resolve`` is PyYAML's resolver with its per-node work done once: every
    node must get the tag PyYAML's own safe loader (the same parser) gives it."""
    assert _tags(yaml_fields._Loader, text) == _tags(PYYAML_LOADER, text)


@pytest.mark.parametrize(
    "scalar",
    [
        *["", "~", "null", "NULL", "y", "n", "yes", "Off", "0", "-1", "+.5", "1_000", "0x1F"],
        *["0o17", "1e3", ".inf", "-.NaN", "2026-11-27", "2026-11-27 10:00:00", "1:30", "<<"],
        *["=", "abc"],
        # Longer than the resolver remembers (``_KNOWN_LENGTH``): matched every time.
        *["9" * 80, "1_" * 40 + "0", "x" * 80],
    ],
)
def test_each_implicit_type_is_resolved_as_pyyaml_resolves_it(scalar: str) -> None:
    """Each form twice: the second time, a short scalar's tag is the one remembered."""
    for text in 2 * (
        f"a: {scalar}\n",
        f"- {scalar}\n",
        f"a: '{scalar}'\n",
        f"{{{scalar or 'k'}: 1}}\n",
    ):
        assert _tags(yaml_fields._Loader, text) == _tags(PYYAML_LOADER, text)


@pytest.mark.parametrize("code", [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
def test_libyaml_refuses_every_forbidden_ascii_character(code: int) -> None:
    """Why ``parse_yaml`` looks for forbidden characters only in text that is not ASCII
    (or has escapes): in ASCII they are control characters, and the reader refuses them
    (``content`` replaces them beforehand, to name their field)."""
    with pytest.raises(yaml.YAMLError, match="control characters are not allowed"):
        parse_yaml(f"a: b{chr(code)}c\n", 0)
