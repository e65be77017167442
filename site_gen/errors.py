"""Errors and warnings as values the user reads.

Content problems are collected as ``Diagnostic`` values and raised together in one
``ContentErrors``; only these user-fixable types are caught by the CLI. Anything else is
a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from site_gen.text import escaped


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, printed as ``path:line: field: message``."""

    path: str
    line: int | None
    field: str | None
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        if self.field:
            return one_line(f"{where}: {prefix}{self.field}: {self.message}")
        return one_line(f"{where}: {prefix}{self.message}")


# More warnings than this from a build are summed up: a few of each kind, and how many
# more there are. Thousands of lines (a large board's postings without an end date) would
# bury the one warning that is new; ``sitegen check`` lists every one.
WARNINGS_IN_FULL = 20
EXAMPLES = 3


def summed_up(warnings: Sequence[Diagnostic]) -> list[str]:
    """The lines a build prints of its ``warnings``: all of them, or past WARNINGS_IN_FULL,
    the first EXAMPLES of each kind (field and message) and a line counting the rest."""
    if len(warnings) <= WARNINGS_IN_FULL:
        return [str(w) for w in warnings]
    kinds: dict[tuple[str | None, str], list[Diagnostic]] = {}
    for warning in warnings:
        kinds.setdefault((warning.field, warning.message), []).append(warning)
    lines = []
    for (field, message), found in kinds.items():
        lines += [str(w) for w in found[:EXAMPLES]]
        if len(found) > EXAMPLES:
            what = f"{field}: {message}" if field else message
            more = len(found) - EXAMPLES
            lines.append(one_line(f"... and {more:,} more file{'s' if more > 1 else ''}: {what}"))
    lines.append(f"{len(warnings):,} warnings in all; `sitegen check` lists every one")
    return lines


def one_line(text: str) -> str:
    """``text`` as one safe line: a file name, key or value quoted in a message cannot
    break it into two lines or drive the terminal (``text.escaped``)."""
    return escaped(text)


class SitegenError(Exception):
    """Base class of the errors a user can fix; the CLI prints them without a traceback."""


class ContentErrors(SitegenError):
    """Every content problem found in one build, reported together."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=_sort_key))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class ConfigError(SitegenError):
    """A problem in ``sitegen.toml`` (one line, naming the file and the setting)."""


class ThemeError(SitegenError):
    """A template that fails to load or render, named with its file and line."""


def _sort_key(d: Diagnostic) -> tuple[str, int, str]:
    return (d.path, d.line or 0, d.field or "")
