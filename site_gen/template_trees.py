"""Questions folding asks of a parsed template's tree (``folding``): which names it reads
from its context, loads, assigns; whether it uses a special name (``loop``, ``caller``...)
outside a loop; every template of an environment, parsed; a copy of a tree's nodes.
"""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.idtracking import VAR_LOAD_RESOLVE

# Names Jinja gives a meaning of its own in a template.
SPECIAL = frozenset({"self", "super", "loop", "caller", "varargs", "kwargs"})


class _Reads(meta.TrackingCodeGenerator):
    """Every name a template reads from its context, globals included (Jinja's
    ``meta.find_undeclared_variables`` leaves globals out)."""

    def enter_frame(self, frame: Frame) -> None:
        CodeGenerator.enter_frame(self, frame)
        for action, name in frame.symbols.loads.values():
            if action == VAR_LOAD_RESOLVE:
                self.undeclared_identifiers.add(name)


def context_reads(tree: nodes.Template, env: jinja2.Environment) -> set[str]:
    reads = _Reads(env)
    reads.visit(tree)
    return reads.undeclared_identifiers


def parsed_templates(env: jinja2.Environment) -> dict[str, tuple[str, nodes.Template]]:
    """Every template the environment's loader has: its source and its tree, by name."""
    parsed: dict[str, tuple[str, nodes.Template]] = {}
    loader = env.loader
    if loader is None:
        return parsed
    for name in loader.list_templates():
        try:
            source, _, _ = loader.get_source(env, name)
            parsed[name] = (source, env.parse(source, name))
        except (jinja2.TemplateError, UnicodeDecodeError):
            continue  # not a template, or reported when it is used
    return parsed


def copied(value: Any) -> Any:
    """``value`` with every node in it copied (copy.deepcopy without its generic steps, a few
    times faster); what is not a node (a literal's value, the environment) is shared."""
    if isinstance(value, nodes.Node):
        made = object.__new__(type(value))
        made.__dict__.update({k: copied(v) for k, v in vars(value).items()})
        return made
    if type(value) in (list, tuple):
        return type(value)(copied(v) for v in value)
    return value


def loaded_names(tree: nodes.Template) -> set[str]:
    return {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}


def outer_specials(node: nodes.Node, in_loop: bool = False) -> bool:
    """Whether ``node`` loads a name in ``SPECIAL`` but ``loop`` in the body of a for loop
    (its target, iterable, filter and else part are outside it)."""
    if isinstance(node, nodes.Name):
        return node.ctx == "load" and node.name in SPECIAL and not (in_loop and node.name == "loop")
    if isinstance(node, nodes.For):
        inside = any(outer_specials(child, True) for child in node.body)
        outside = (node.target, node.iter, node.test, *node.else_)
        return inside or any(outer_specials(c, in_loop) for c in outside if c is not None)
    return any(outer_specials(child, in_loop) for child in node.iter_child_nodes())


def assigned_names(tree: nodes.Template, macros: bool) -> set[str]:
    """The names a template assigns, takes as arguments, imports, or defines as macros (if
    ``macros``: the macros template's own are the globals). In one walk of the tree: every
    template of the theme is asked, on every build."""
    found: set[str] = set()
    for node in tree.find_all((nodes.Name, nodes.Macro, nodes.Import, nodes.FromImport)):
        if isinstance(node, nodes.Name):
            if node.ctx in ("store", "param"):
                found.add(node.name)
        elif isinstance(node, nodes.Macro):
            if macros:
                found.add(node.name)
        elif isinstance(node, nodes.Import):
            found.add(node.target)
        elif isinstance(node, nodes.FromImport):
            found.update(n if isinstance(n, str) else n[1] for n in node.names)
    return found
