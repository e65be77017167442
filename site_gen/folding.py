"""Templates compiled with the build's constants folded in: ``FoldingEnvironment``.

Much of a page is the same on every page of a build: ``t("site.all_jobs")``,
``asset("style.css")``, ``urls.href('')``, ``icon("pin")``, ``config.title``. Jinja calls each
of them on every page, through its context and then the escaper. Their values depend only on
the environment's globals, which are fixed for the environment's life, so they are computed
once, when a template is compiled, and written into the compiled template as text, as Jinja
does with a literal. Any template is folded the same way, a board's own overrides too.

What is folded: a call with literal arguments of ``CALLS`` or of a macro global, a method of
``urls`` in ``URL_METHODS``, an attribute of ``config`` that is text, a number or a boolean,
and a global in ``NAMES`` that is text. A name is not folded anywhere if any template of the
theme or the board assigns it (``{% set t = ... %}``, a loop or a macro's argument), since the
page would then see that value. A call that fails is left alone, to fail when the page is
rendered, with the page's file and line in the message.

A partial that, once folded, reads nothing but those globals (the default theme's footer and
search box) is the same on every page: its ``{% include %}`` is replaced by its output,
rendered once. One that reads anything of the page (``route``, ``posting``), includes or
imports another, or uses the ``random`` filter is compiled into the template that includes
it, in a scope of its own (``Folding.inlined``): an include costs a new context per page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import is_dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.visitor import NodeTransformer
from markupsafe import Markup
from pydantic import BaseModel

from site_gen.compiled_templates import SaltedBytecode
from site_gen.template_code import (
    CONTEXT_CALL,
    PLAIN_CALL,
    PageEnvironment,
    is_plain,
    takes_context,
)
from site_gen.template_trees import (
    SPECIAL,
    assigned_names,
    context_reads,
    copied,
    loaded_names,
    outer_specials,
    parsed_templates,
)

CALLS = frozenset({"t", "asset"})  # pure functions of their arguments, for the environment's life
URL_METHODS = frozenset({"href", "link", "absolute"})  # of the ``urls`` global
NAMES = frozenset({"search_route", "search_index_route"})
CONFIG = "config"
URLS = "urls"
PLAIN = (str, int, float, bool, type(None))  # values a literal holds as they are
IMPURE_FILTERS = frozenset({"random"})
NESTED = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
UNINLINED = (nodes.Extends, nodes.Block, nodes.Macro, nodes.Import, nodes.FromImport)


class FoldingEnvironment(PageEnvironment):
    """A Jinja environment that folds the build's constants into templates as it compiles
    them, once ``fold_constants`` was called (after its globals were set); its templates'
    code escapes and calls more cheaply (template_code.py)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.folding: Folding | None = None
        self.parsed: dict[str, tuple[str, nodes.Template]] = {}  # source and tree, by name

    def fold_constants(
        self, macros: Iterable[str] = (), defined_in: str | None = None, *, inline: bool = True
    ) -> None:
        """Fold from now on; ``macros`` are globals made from the macros of the template
        ``defined_in``, pure functions of their arguments too. ``inline``: compile partials
        into the templates that include them (see ``Folding.inlined``)."""
        self.parsed = parsed_templates(self)
        assigned = set[str]().union(
            *(
                assigned_names(tree, macros=name != defined_in)
                for name, (_, tree) in self.parsed.items()
            )
        )
        self.folding = Folding(self, CALLS | frozenset(macros), assigned, inline)
        if self.bytecode_cache is not None:
            self.bytecode_cache = SaltedBytecode(self.bytecode_cache, self.folded_inputs())

    def folded_inputs(self) -> Callable[[str], str]:
        """What a template's folded code depends on besides its own source: the globals
        folded and their values, and the sources of the partials it includes, at any depth
        (a partial the same on every page is written into it)."""
        assert self.folding is not None
        names = sorted(self.folding.names)
        constants = "\x1e".join(f"{n}\x1f{_described(self.globals[n])}" for n in names)
        for direct in (self.folding.plain, self.folding.contextual):
            constants += "\x1e" + "\x1f".join(sorted(direct))
        sources = {name: source for name, (source, _) in self.parsed.items()}
        includes = {name: _includes(tree) for name, (_, tree) in self.parsed.items()}

        def inputs(name: str) -> str:
            seen: set[str] = set()
            todo = [name]
            while todo:
                for included in includes.get(todo.pop(), ()):
                    if included not in seen:
                        seen.add(included)
                        todo.append(included)
            partials = (f"{n}\x1f{sources.get(n, '')}" for n in sorted(seen))
            return "\x1e".join((constants, *partials))

        return inputs

    def direct_call(self, function: nodes.Expr) -> str | None:
        """How a call of ``function`` may be written directly, if it calls a global."""
        return None if self.folding is None else self.folding.direct_call(function)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Every template was parsed to find the names it assigns: not again to compile it.
        found = self.parsed.pop(name, None) if name is not None else None
        if found is not None and found[0] == source:
            return found[1]
        return super()._parse(source, name, filename)

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        # The hook Jinja offers between a template's tree and its code; ``parse`` still gives
        # the tree as written.
        tree = source if self.folding is None else self.folding.fold(source)
        return super()._generate(tree, name, filename, defer_init)


def _includes(tree: nodes.Template) -> set[str]:
    """The templates ``tree`` includes by a literal name."""
    found = (node.template for node in tree.find_all(nodes.Include))
    return {t.value for t in found if isinstance(t, nodes.Const) and isinstance(t.value, str)}


def _described(value: object) -> str:
    """A global's value as text that changes when what it gives templates changes."""
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    if is_dataclass(value) or isinstance(value, str):
        return repr(value)  # Translations and SiteUrls: their fields; the memo is left out
    return type(value).__qualname__  # a function of the others (asset, a macro)


class Folding:
    """What may be folded in one environment, and the folding of one template's tree."""

    def __init__(
        self, env: jinja2.Environment, calls: frozenset[str], assigned: set[str], inline: bool
    ) -> None:
        self.env = env
        self.inline = inline
        known = calls | NAMES | {CONFIG, URLS}
        self.names = {n for n in known if n in env.globals and n not in assigned}
        self.calls = calls & self.names
        # Globals that a call is written to call directly: without a context (``t``), or
        # with it (``card``).
        unassigned = {n: v for n, v in env.globals.items() if n not in assigned}
        self.plain = {n for n, v in unassigned.items() if is_plain(v)}
        self.contextual = {n for n, v in unassigned.items() if takes_context(v)}
        self.partials: dict[str, str | None] = {}  # a partial's output, if the same everywhere
        self.trees: dict[str, nodes.Template | None] = {}  # partials, folded
        self.names_read: dict[str, set[str]] = {}  # by each partial

    def fold(self, tree: nodes.Template) -> nodes.Template:
        extends = any(tree.find_all(nodes.Extends))
        folded = _Folder(self, extends).visit(tree)
        assert isinstance(folded, nodes.Template)
        folded.set_environment(self.env)  # the literals made here are new nodes
        return folded

    def partial(self, name: str) -> str | None:
        """The output of the template ``name`` if it is the same on every page, else None."""
        if name not in self.partials:
            self.partials[name] = None  # while it is looked at: a partial including itself
            self.partials[name] = self._render_alone(name)
        return self.partials[name]

    def _render_alone(self, name: str) -> str | None:
        tree = self.folded(name)
        if tree is None or any(tree.find_all(NESTED)) or self.reads_page(name, tree):
            return None
        if any(f.name in IMPURE_FILTERS for f in tree.find_all(nodes.Filter)):
            return None
        try:
            return self.env.get_template(name).render()
        except Exception:  # left to fail on the page
            return None

    def inlined(self, name: str) -> list[nodes.Node] | None:
        """The folded body of the partial ``name``, to compile in place of its include, or
        None if it is included as usual.

        An include makes a context for the partial (a copy of the page's variables) on every
        page, a dozen times a page; written in place, in a scope of its own (as ``{% with
        %}``), the partial sees the same variables and its ``{% set %}`` stays inside. Not
        inlined: a partial with blocks, macros or imports, one that reads ``loop``, ``self``
        or another name that means something else in place, one that does not parse.
        """
        tree = self.folded(name) if self.inline else None
        if tree is None or any(tree.find_all(UNINLINED)) or self.reads_special(name, tree):
            return None
        # A copy for each place: the compiler may rewrite nodes where they are.
        return [copied(node) for node in tree.body]

    def folded(self, name: str) -> nodes.Template | None:
        """The partial ``name``'s tree, folded (None if it does not load or parse: reported
        where it is included); folded once, as often as it is included."""
        if name not in self.trees:
            self.trees[name] = None  # while it is folded: a partial including itself
            loader = self.env.loader
            try:
                source, _, _ = loader.get_source(self.env, name) if loader else ("", None, None)
                self.trees[name] = self.fold(self.env.parse(source, name))
            except (jinja2.TemplateError, UnicodeDecodeError):
                pass
        return self.trees[name]

    def reads_page(self, name: str, tree: nodes.Template) -> bool:
        """Whether the partial ``name`` (folded: ``tree``) reads anything but the globals."""
        # A name it loads and never assigns is read from the page: no need to run Jinja's
        # code generator over it (``context_reads``) to know.
        if loaded_names(tree) - assigned_names(tree, macros=True) - SPECIAL - self.names:
            return True
        return bool(self.reads(name, tree) - self.names)

    def reads_special(self, name: str, tree: nodes.Template) -> bool:
        """Whether the partial ``name`` reads ``loop``, ``self``... from where it is."""
        # A ``loop`` inside one of its own for loops is that loop's: no need to run Jinja's
        # code generator over it (``context_reads``) to know.
        return bool(outer_specials(tree) and self.reads(name, tree) & SPECIAL)

    def reads(self, name: str, tree: nodes.Template) -> set[str]:
        """The names the partial ``name`` (folded: ``tree``) reads from its context."""
        if name not in self.names_read:
            self.names_read[name] = context_reads(tree, self.env)
        return self.names_read[name]

    def function(self, node: nodes.Expr) -> Callable[..., Any] | None:
        """The function a call node calls, if it is one that is folded."""
        found: object = None
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in self.calls:
            found = self.env.globals[node.name]
        elif isinstance(node, nodes.Getattr) and node.attr in URL_METHODS:
            found = getattr(self.env.globals[URLS], node.attr) if self.is_urls(node) else None
        return found if callable(found) else None

    def direct_call(self, node: nodes.Expr) -> str | None:
        if isinstance(node, nodes.Name) and node.ctx == "load":
            name = node.name
            found = name in self.plain, name in self.contextual
            return PLAIN_CALL if found[0] else CONTEXT_CALL if found[1] else None
        urls = isinstance(node, nodes.Getattr) and node.attr in URL_METHODS and self.is_urls(node)
        return PLAIN_CALL if urls else None

    def is_urls(self, node: nodes.Getattr) -> bool:
        return _is_global(node, URLS, self.names)


class _Folder(NodeTransformer):
    def __init__(self, folding: Folding, extends: bool) -> None:
        self.folding = folding
        self.extends = extends  # a child template: outside its blocks, output is dropped
        self.blocks = 0

    def visit_Block(self, node: nodes.Block) -> nodes.Node:
        self.blocks += 1
        self.generic_visit(node)
        self.blocks -= 1
        return node

    def visit_Include(self, node: nodes.Include) -> nodes.Node:
        self.generic_visit(node)
        name = node.template
        if node.ignore_missing or (self.extends and not self.blocks):
            return node
        if not (isinstance(name, nodes.Const) and isinstance(name.value, str)):
            return node
        text = self.folding.partial(name.value)
        if text is None:
            body = self.folding.inlined(name.value) if node.with_context else None
            return node if body is None else nodes.Scope(body, lineno=node.lineno)
        return nodes.Output([nodes.TemplateData(text, lineno=node.lineno)], lineno=node.lineno)

    def visit_Name(self, node: nodes.Name) -> nodes.Node:
        names = self.folding.names
        if node.ctx == "load" and node.name in NAMES and node.name in names:
            return _literal(self.folding.env.globals[node.name], node)
        return node

    def visit_Getattr(self, node: nodes.Getattr) -> nodes.Node:
        self.generic_visit(node)
        if _is_global(node, CONFIG, self.folding.names):
            value = self.folding.env.getattr(self.folding.env.globals[CONFIG], node.attr)
            return _literal(value, node)
        return node

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        self.generic_visit(node)
        function = self.folding.function(node.node)
        if function is None or node.dyn_args is not None or node.dyn_kwargs is not None:
            return node
        args = [a.value for a in node.args if isinstance(a, nodes.Const)]
        kwargs = {k.key: k.value.value for k in node.kwargs if isinstance(k.value, nodes.Const)}
        if len(args) < len(node.args) or len(kwargs) < len(node.kwargs):
            return node  # an argument is not a literal
        try:
            value = function(*args, **kwargs)
        except Exception:  # left to fail on the page, with its file and line
            return node
        return _literal(value, node)


def _is_global(node: nodes.Node, name: str, names: set[str]) -> bool:
    """Whether ``node`` is an attribute of the global ``name`` (``config.title``)."""
    if not isinstance(node, nodes.Getattr) or node.ctx != "load":
        return False
    owner = node.node
    return isinstance(owner, nodes.Name) and owner.name == name and name in names


def _literal(value: object, node: nodes.Expr) -> nodes.Expr:
    """A node holding ``value`` as a literal (markup stays markup), else ``node`` itself."""
    if isinstance(value, Markup):
        return nodes.MarkSafe(nodes.Const(str(value), lineno=node.lineno), lineno=node.lineno)
    if type(value) in PLAIN:
        return nodes.Const(value, lineno=node.lineno)
    return node


def constants_of(env: jinja2.Environment) -> Mapping[str, object]:
    """The globals folded in ``env`` (for tests and tools)."""
    folding = env.folding if isinstance(env, FoldingEnvironment) else None
    return {} if folding is None else {n: env.globals[n] for n in sorted(folding.names)}
