"""Cheaper code for compiled templates: ``PageEnvironment``, its ``PageCode`` and
``PageContext``.

Jinja writes every ``{{ ... }}`` as ``escape(value)``, which builds a new ``Markup`` (in
Python) even for text that is already markup, such as a card, or that is about to be joined
into the page; and every call as ``context.call(f, ...)``, which looks for a
``pass_context`` mark on the function (and on its ``__call__``) each time. A page makes a
few hundred of each. Here output is escaped by ``output_text``, which gives markup as it is
and escapes plain text without wrapping it, and calls go through ``PageContext.call``,
which settles plain functions quickly; calls of the functions folding knows to be pure
(``t``, ``urls.href``, ``asset``, the macros: see folding.py) are written as plain calls.
A dotted name (``posting.title``) is looked up by Python's ``getattr`` in the template's code,
and ``a ~ b`` of plain text joined as it is. An attribute that a filter asks for by name is
looked up without first trying an item, a test it calls for each item is called as it is,
filters with an async variant are their sync functions, and a template's globals are
copied into a page's context without walking them in Python.
The page's text is the same.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, MutableMapping, Sequence
from keyword import iskeyword
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, markup_join, new_context
from jinja2.utils import _PassArg
from markupsafe import Markup, escape

try:  # MarkupSafe 3's escaping of a str, without the Markup around it
    from markupsafe._speedups import _escape_inner as escape_text
except ImportError:  # pragma: no cover - another MarkupSafe: the same text, in a Markup

    def escape_text(s: str, /) -> str:
        return escape(s)


PLAIN_CALLABLES = (FunctionType, MethodType, BuiltinFunctionType)


def output_text(value: Any) -> str:
    """What a ``{{ value }}`` adds to the page: ``escape(value)``, as text."""
    kind = type(value)
    if kind is str:
        return escape_text(value)
    if kind is Markup:
        return cast(Markup, value)  # as it is: escape() would copy it
    return escape(value)


def text_join(parts: tuple[Any, ...]) -> str:
    """What ``~`` makes of ``parts`` (Jinja's ``markup_join``): their text, or markup if one
    is markup. Its operands are nearly always plain text (``"jobs/" ~ posting.slug``), which
    need no look at each for markup."""
    for part in parts:
        if type(part) is not str:
            return markup_join(parts)
    return "".join(parts)


class PageCode(CodeGenerator):
    """Jinja's code generator, writing ``output_text`` for ``escape`` in output, and plain
    calls of the functions the environment names pure (its ``direct_call``)."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        super().visit_Template(node, frame)
        # At the end: the module's functions find the name when they run.
        self.writeline(f"from {__name__} import escape_text, output_text, text_join")

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if not self.escapes_text(frame, finalize):
            super()._output_child_pre(node, frame, finalize)
            return
        # Text, most of what a page outputs, is escaped here, without a call of output_text.
        # One variable serves every output: each reads it right after setting it.
        self.write("(escape_text(_text) if type(_text := ")

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if not self.escapes_text(frame, finalize):
            super()._output_child_post(node, frame, finalize)
            return
        self.write(") is str else output_text(_text))")

    @staticmethod
    def escapes_text(frame: Frame, finalize: Any) -> bool:
        """Whether output is escaped by ``output_text`` (else as Jinja writes it)."""
        return not frame.eval_ctx.volatile and frame.eval_ctx.autoescape and finalize.src is None

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super().visit_Concat(node, frame)
            return
        self.write("text_join((")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        env = self.environment
        if env.is_async or type(env).getattr is not jinja2.Environment.getattr:
            super().visit_Getattr(node, frame)
            return
        # ``environment.getattr(obj, "name")`` is a method call for what is nearly always
        # an attribute: Python's getattr answers it, and the environment is asked (for an
        # item, else an undefined) only when there is none.
        # Two variables serve every lookup, nested ones too: each reads them right after
        # setting them, before any other lookup runs.
        name = repr(node.attr)
        self.write("(_found if (_found := getattr((_owner := ")
        self.visit(node.node, frame)
        self.write(f"), {name}, missing)) is not missing else environment.getattr(_owner, {name}))")

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        kind = None if forward_caller else self.direct(node)
        if kind is None:
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        self.visit(node.node, frame)
        self.write("(")
        if kind == CONTEXT_CALL:  # the context Jinja's Context.call would pass
            loop_vars = "_loop_vars" if frame.loop_frame else "None"
            block_vars = "_block_vars" if frame.block_frame else "None"
            self.write(f"context.with_vars({loop_vars}, {block_vars})")
        for number, argument in enumerate([*node.args, *node.kwargs]):
            self.write(", " if number or kind == CONTEXT_CALL else "")
            self.visit(argument, frame)
        self.write(")")

    def direct(self, node: nodes.Call) -> str | None:
        """How ``node`` may be written as a direct call (``PLAIN_CALL`` or ``CONTEXT_CALL``), if it
        calls a function the environment names and its arguments are written plainly (no
        ``*args``, no keyword that is a Python keyword)."""
        env = self.environment
        if not isinstance(env, PageEnvironment) or node.dyn_args or node.dyn_kwargs:
            return None
        if any(iskeyword(k.key) for k in node.kwargs):
            return None
        return env.direct_call(node.node)


PLAIN_CALL = "plain"  # a function called as it is
CONTEXT_CALL = "context"  # a pass_context function, called with the context first


class PageContext(Context):
    """A template context whose ``call`` settles functions and methods without Jinja's
    checks: one without a mark is called as it is, one marked ``pass_context`` (the
    ``card`` global) is given this context when no variable set in a loop or block asks
    for a derived one."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # A function's or method's own ``__call__`` never carries a mark.
        if type(__obj) in PLAIN_CALLABLES:
            mark = getattr(__obj, "jinja_pass_arg", None)
            loop_vars = kwargs.pop("_loop_vars", None)
            block_vars = kwargs.pop("_block_vars", None)
            if mark is _PassArg.context and not loop_vars and not block_vars:
                args = (__self, *args)
            elif mark is not None:
                return super().call(
                    __obj, *args, _loop_vars=loop_vars, _block_vars=block_vars, **kwargs
                )
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)

    def with_vars(
        self, loop_vars: dict[str, Any] | None, block_vars: dict[str, Any] | None
    ) -> Context:
        """The context a pass_context function is given: with the variables set in the
        loop or block it is called from, as Jinja's ``Context.call`` gives it."""
        context: Context = self
        if loop_vars:
            context = context.derived(loop_vars)
        if block_vars:
            context = context.derived(block_vars)
        return context


class PageTemplate(jinja2.Template):
    """A template whose contexts are made without walking its globals in Python."""

    def new_context(
        self,
        vars: dict[str, Any] | None = None,
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,
    ) -> Context:
        # A template's globals are a ChainMap over the environment's: Jinja copies them
        # (and takes their names) through the Mapping protocol, in Python, for every page
        # and card. Flattened by dict.update, they give the same names and values.
        return new_context(
            self.environment, self.name, self.blocks, vars, shared, flat(self.globals), locals
        )


def flat(globals: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """``globals`` as one dict: a ChainMap's first layer that has a name gives its value."""
    if not isinstance(globals, ChainMap):
        return globals
    made: dict[str, Any] = {}
    for layer in reversed(globals.maps):
        made.update(layer)
    return made


class PageEnvironment(jinja2.Environment):
    """An environment whose templates are compiled by ``PageCode`` and run in ``PageContext``."""

    code_generator_class = PageCode
    context_class = PageContext
    template_class = PageTemplate

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        if not self.is_async:
            self.filters.update(sync_filters(self.filters))

    def direct_call(self, function: nodes.Expr) -> str | None:
        """How a call of ``function`` may be written directly (``PLAIN_CALL``, ``CONTEXT_CALL``), if
        it may: none here."""
        return None

    def getitem(self, obj: Any, argument: Any) -> Any:
        # ``value.facet`` asked by a filter (``rejectattr("facet", ...)``) of an object
        # without items: Jinja tries ``obj["facet"]`` first and catches the TypeError. (A
        # class may have items: ``list[int]``.)
        items = hasattr(type(obj), "__getitem__") or isinstance(obj, type)
        if type(argument) is str and not items:
            try:
                return getattr(obj, argument)
            except AttributeError:
                return self.undefined(obj=obj, name=argument)
        return super().getitem(obj, argument)

    def call_test(
        self,
        name: str,
        value: Any,
        args: Sequence[Any] | None = None,
        kwargs: Mapping[str, Any] | None = None,
        context: Context | None = None,
        eval_ctx: EvalContext | None = None,
    ) -> Any:
        # Filters such as rejectattr("facet", "equalto", "tag") call a test for each item:
        # one without a mark (``equalto`` is operator.eq) is called as it is.
        test: Any = self.tests.get(name) if isinstance(name, str) else None
        if type(test) in PLAIN_CALLABLES and not kwargs and not hasattr(test, "jinja_pass_arg"):
            return test(value, *args) if args else test(value)
        return super().call_test(name, value, args, kwargs, context, eval_ctx)


def sync_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The filters that Jinja gives an async variant (``list``, ``rejectattr``, ``join``...),
    as their sync functions, for an environment that is not async.

    Jinja's filter asks the environment on every call which of the two to run (and one
    without a mark is given the eval context, to drop it); the sync function, which
    carries its own mark, is what it runs in such an environment.
    """
    return {
        name: function.__wrapped__
        for name, function in filters.items()
        if getattr(function, "jinja_async_variant", False)
    }


def takes_context(value: object) -> bool:
    """Whether ``value`` is a function or method marked ``pass_context``."""
    mark = getattr(value, "jinja_pass_arg", None)
    return type(value) in PLAIN_CALLABLES and mark is _PassArg.context


def is_plain(value: object) -> bool:
    """Whether Jinja calls ``value`` without passing it a context or an environment."""
    marked = (value, getattr(value, "__call__", None))  # noqa: B004 - as Jinja looks
    return callable(value) and not any(hasattr(v, "jinja_pass_arg") for v in marked)
