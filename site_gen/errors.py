"""Errors and warnings as values the user reads.

Content problems are collected as ``Diagnostic`` values and raised together in one
``ContentErrors``; only these user-fixable types are caught by the CLI. Anything else is
a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
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
