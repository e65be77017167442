"""Write imported jobs into ``content/jobs/``: add new ones, update changed ones, close the
ones that disappeared, and leave alone the files someone edited by hand.

Each file the import writes starts its frontmatter with a comment naming the board and a
digest of the rest of the file::

    # sitegen import greenhouse acme 5f2c9a0b1d3e4f60a7b8

An edit by hand changes the file but not its digest, so the next import sees it and keeps
the file (``--force`` overwrites it). A job that disappeared is closed, not deleted: its
``valid_through`` becomes the day before the import (its page then follows the board's
``expired`` setting), and it opens again if the job comes back.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from markdownify import markdownify

from site_gen import __version__
from site_gen.content import find_sources, parse_text
from site_gen.errors import SitegenError, one_line
from site_gen.importers import SYSTEMS, System
from site_gen.importers.jobs import ImportedJob
from site_gen.markup import sanitize, without_control_chars
from site_gen.urls import slugify
from site_gen.validate import compile_posting

MARKER = re.compile(r"^# sitegen import (\S+) (\S+) ([0-9a-f]{20})\n", re.MULTILINE)
MAX_RESPONSE_BYTES = 64 * 2**20
TIMEOUT_SECONDS = 60


@dataclass
class ImportReport:
    """What one import did, file by file."""

    system: str
    name: str
    lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def note(self, what: str, line: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1
        self.lines.append(one_line(line))

    def summary(self) -> str:
        order = ("added", "updated", "closed", "unchanged", "kept", "skipped")
        done = ", ".join(f"{self.counts.get(k, 0)} {k}" for k in order)
        return f"Imported {self.system} {self.name}: {done}"


@dataclass(frozen=True)
class Existing:
    """A posting file that came from this system and board."""

    path: Path
    text: str
    fields: dict[str, Any]
    by_hand: bool  # changed since the import wrote it


def fetch(system: System, name: str, base_url: str | None) -> Any:
    """The API's JSON response for ``name``."""
    url = system.url((base_url or system.base_url).rstrip("/"), name)
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": f"sitegen/{__version__}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            raw = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        hint = f" (is {name!r} the {system.name} board name?)" if exc.code == 404 else ""
        raise SitegenError(f"{url}: HTTP {exc.code} {exc.reason}{hint}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SitegenError(f"{url}: cannot be read ({reason})") from None
    if len(raw) > MAX_RESPONSE_BYTES:
        raise SitegenError(f"{url}: the response is larger than {MAX_RESPONSE_BYTES // 2**20} MB")
    return parse_json(raw, url)


def parse_json(raw: bytes, where: str) -> Any:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SitegenError(f"{where}: not a JSON response ({exc})") from None


def read_saved(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SitegenError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return parse_json(raw, str(path))


def import_jobs(
    root: Path,
    system_name: str,
    name: str,
    response: Any,
    today: date,
    *,
    company: str | None = None,
    force: bool = False,
) -> ImportReport:
    """Bring ``content/jobs/`` in line with ``response``, the API's answer for board ``name``."""
    system = SYSTEMS[system_name]
    try:
        reading = system.read(response, company, name, today)
    except ValueError as exc:
        raise SitegenError(f"not a {system_name} job board response: {exc}") from None
    report = ImportReport(system_name, name)
    folder = root / "content" / "jobs"
    existing = existing_files(folder, system_name, name)
    for skipped in reading.skipped:
        report.note("skipped", f"skipped {skipped.source}: {skipped.reason}")
    seen = set()
    for job in reading.jobs:
        if job.source in seen:
            continue
        seen.add(job.source)
        found = existing.get(job.source)
        path = found.path if found else new_path(folder, job)
        text = posting_text(job, name)
        problem = first_problem(text, root, path)
        if problem:
            report.note("skipped", f"skipped {job.source}: {problem}")
            continue
        write_or_keep(report, root, path, found, text, force, job.source)
    for source, found in sorted(existing.items()):
        if source not in seen:
            close(report, root, found, today, force, source)
    return report


def write_or_keep(
    report: ImportReport,
    root: Path,
    path: Path,
    found: Existing | None,
    text: str,
    force: bool,
    source: str,
) -> None:
    rel = path.relative_to(root).as_posix()
    if found is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        report.note("added", f"added {rel} ({source})")
    elif found.text == text:
        report.note("unchanged", f"unchanged {rel}")
    elif found.by_hand and not force:
        report.note("kept", f"kept {rel}: edited by hand; --force overwrites it")
    else:
        path.write_text(text, encoding="utf-8")
        report.note("updated", f"updated {rel} ({source})")


def close(
    report: ImportReport,
    root: Path,
    found: Existing,
    today: date,
    force: bool,
    source: str,
) -> None:
    """Give a job that disappeared an end date: the day before ``today``."""
    rel = found.path.relative_to(root).as_posix()
    posted = found.fields.get("date_posted")
    last_day = today - timedelta(days=1)
    if isinstance(posted, date) and posted > last_day:
        last_day = posted
    current = found.fields.get("valid_through")
    if isinstance(current, date) and current <= last_day:
        report.note("unchanged", f"unchanged {rel} (closed on {current})")
        return
    if found.by_hand and not force:
        gone = f"gone from {report.system}, but edited by hand; --force closes it"
        report.note("kept", f"kept {rel}: {gone}")
        return
    fields = {**found.fields, "valid_through": last_day}
    body = parse_text(found.text, rel, "").body
    found.path.write_text(file_text(fields, body, report.system, report.name), encoding="utf-8")
    report.note("closed", f"closed {rel} ({source}): valid_through {last_day}")


def existing_files(folder: Path, system: str, name: str) -> dict[str, Existing]:
    """The posting files whose ``source`` is a job of ``system``, by source. Files another
    board of the same system wrote are not this import's."""
    found: dict[str, Existing] = {}
    for path in find_sources(folder):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "source:" not in text or f"{system}:" not in text:
            continue  # cheap: most files are not imported
        doc = parse_text(text, path.name, "")
        source = doc.fields.get("source")
        if not isinstance(source, str) or not source.startswith(f"{system}:"):
            continue
        marker = MARKER.search(text)
        if marker and (marker.group(1), marker.group(2)) != (system, name):
            continue
        by_hand = marker is None or marker.group(3) != digest(MARKER.sub("", text, count=1))
        found[source] = Existing(path, text, doc.fields, by_hand)
    return found


def new_path(folder: Path, job: ImportedJob) -> Path:
    """``<company>-<title>-<id>.md``; the id keeps two jobs of one title apart."""
    short = job.id if len(job.id) <= 12 else job.id.replace("-", "")[:8]
    stem = slugify(f"{job.company} {job.title}")[:80].strip("-") or job.system
    path = folder / f"{stem}-{slugify(short)}.md"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{slugify(short)}-{n}.md"
        n += 1
    return path


def posting_text(job: ImportedJob, name: str) -> str:
    """The posting file for ``job``, marked with its board and digest. It has no end date:
    a job that is listed is open (one that was closed and came back opens again)."""
    fields: dict[str, Any] = {
        "title": job.title,
        "company": job.company,
        "source": job.source,
        "date_posted": job.date_posted,
    }
    if job.employment_type:
        fields["employment_type"] = job.employment_type.value
    remote_only = job.remote == "remote"
    if job.places and not remote_only:
        fields["location"] = [place.model_dump(exclude_none=True) for place in job.places]
    fields["remote"] = job.remote
    if remote_only and job.places:
        fields["applicant_locations"] = list(dict.fromkeys(p.country for p in job.places))
    if job.salary:
        fields["salary"] = job.salary.model_dump(exclude_none=True)
    fields["apply_url"] = job.apply_url
    return file_text(fields, description_markdown(job.description_html), job.system, name)


def file_text(fields: dict[str, Any], body: str, system: str, name: str) -> str:
    frontmatter = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000)
    unmarked = f"---\n{frontmatter}---\n{body.strip()}\n"
    return unmarked.replace(
        "---\n", f"---\n# sitegen import {system} {name} {digest(unmarked)}\n", 1
    )


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def description_markdown(description_html: str) -> str:
    """The system's HTML, sanitised like any posting, as markdown a person can edit.

    Markdown characters in the text are escaped, so that text reads as text: a
    "&lt;script&gt;" in the description stays words on the page."""
    safe = sanitize(without_control_chars(description_html))
    return markdownify(safe, heading_style="ATX", bullets="-", escape_misc=True).strip()


def first_problem(text: str, root: Path, path: Path) -> str | None:
    """Why the file would not build (checked as the build checks it), or None."""
    rel = path.relative_to(root).as_posix()
    # The engine renders the description only; whether the file is valid does not depend on it.
    compiled = compile_posting(parse_text(text, rel, digest(text)), "comrak")
    if compiled.problems:
        problem = compiled.problems[0]
        return f"{problem.field}: {problem.message}" if problem.field else problem.message
    return None
