"""What ``sitegen notify`` tells the user: its report, filled in by each engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from site_gen.notify.changes import Change


@dataclass
class NotifyReport:
    """What ``notify`` did: lines for the user, and one line per error (non-zero exit)."""

    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def not_sent(report: NotifyReport, engine: str, changes: Sequence[Change]) -> None:
    for change in changes:
        report.lines.append(f"{engine}: not sent: {change.kind} {change.url}")
