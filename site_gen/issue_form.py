"""``sitegen new --from-issue EVENT_JSON``: a GitHub issue from the "Post a job" form as a
posting file, or the exact ``field: message`` lines that say what to fix.

The issue form (``.github/ISSUE_TEMPLATE/post-a-job.yml``, written by ``sitegen init``)
names each field by the posting field it fills (its ``id``). GitHub renders a submitted
form as the issue body: for each field, ``### Label``, a blank line, and the value, or
``_No response_`` for an empty optional field. The labels are read from the board's own
form, so a board may reword them.

The posting is validated as the build validates it before anything is written; nothing
is written when it has problems.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from site_gen.authoring import SKELETON, VALID_DAYS
from site_gen.content import parse_text
from site_gen.errors import SitegenError, one_line
from site_gen.field_types import parse_date
from site_gen.importers.places import country_code
from site_gen.markup import CONTROL_CHARS, without_control_chars
from site_gen.models import EmploymentType
from site_gen.urls import slugify
from site_gen.validate import compile_posting

FORM = Path(".github") / "ISSUE_TEMPLATE" / "post-a-job.yml"
PACKAGED_FORM = SKELETON / "board" / "github" / "ISSUE_TEMPLATE" / "post-a-job.yml"
NO_RESPONSE = "_No response_"
# Bidirectional overrides and line separators, besides control characters: a one-line
# value holding one could show one thing and be another.
UNPRINTABLE = re.compile("[\u2028\u2029\u202a-\u202e\u2066-\u2069]")
SALARY_PARTS = {"min": "salary_min", "max": "salary_max", "currency": "salary_currency"}


class FormErrors(SitegenError):
    """The submitted form's problems, one ``field: message`` line each, in form order."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    kind: str  # input, textarea, dropdown, checkboxes

    @property
    def one_line(self) -> bool:
        return self.kind in {"input", "dropdown"}


@dataclass(frozen=True)
class Issue:
    number: int
    url: str
    author: str
    opened: date
    body: str


def read_form(root: Path) -> tuple[FormField, ...]:
    """The fields of the board's issue form (the packaged one if the board has none)."""
    path = root / FORM if (root / FORM).is_file() else PACKAGED_FORM
    try:
        form = yaml.safe_load(path.read_text(encoding="utf-8"))
        fields = tuple(
            FormField(str(item["id"]), str(item["attributes"]["label"]), str(item["type"]))
            for item in form["body"]
            if item.get("type") != "markdown" and "id" in item
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise SitegenError(f"{path}: not a GitHub issue form ({exc})") from None
    return fields


def read_issue(event_file: Path) -> Issue:
    """The issue of a GitHub ``issues`` event payload (``$GITHUB_EVENT_PATH``)."""
    try:
        event = json.loads(event_file.read_bytes())
        issue = event["issue"]
        return Issue(
            number=int(issue["number"]),
            url=str(issue.get("html_url") or ""),
            author=str((issue.get("user") or {}).get("login") or ""),
            opened=parse_date(issue["created_at"]),
            body=str(issue.get("body") or ""),
        )
    except OSError as exc:
        raise SitegenError(f"{event_file}: cannot be read ({exc.strerror or exc})") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise SitegenError(
            f"{event_file}: not a GitHub issues event payload (no issue with number, "
            f"created_at and body: {exc})"
        ) from None


def form_values(body: str, fields: tuple[FormField, ...]) -> dict[str, str]:
    """Each field's value in a rendered form body ('' when empty or missing).

    Headings are looked for in the form's order, each after the one before, so text inside
    a textarea that looks like a later heading makes a value wrong (and an error), never a
    field filled twice."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    found: list[tuple[FormField, int, int]] = []
    cursor = 0
    for field in fields:
        heading = re.compile(rf"^### {re.escape(field.label)}[ \t]*$", re.MULTILINE)
        match = heading.search(text, cursor)
        if match:
            found.append((field, match.start(), match.end()))
            cursor = match.end()
    if not found:
        labels = fields[0].label if fields else "?"
        raise FormErrors([f"issue: not written with the Post a job form (no '### {labels}')"])
    values = {f.id: "" for f in fields}
    for i, (field, _, end) in enumerate(found):
        stop = found[i + 1][1] if i + 1 < len(found) else len(text)
        value = text[end:stop].strip()
        values[field.id] = "" if value == NO_RESPONSE else value
    return values


def posting_fields(values: dict[str, str], issue: Issue) -> tuple[dict[str, Any], list[str]]:
    """The posting's frontmatter from the form's values, and the problems found on the way
    (the model finds the rest)."""
    problems: list[str] = []
    fields: dict[str, Any] = {
        "title": values.get("title", ""),
        "company": {"name": values.get("company", "")},
    }
    if values.get("company_url"):
        fields["company"]["url"] = values["company_url"]
    fields["date_posted"] = issue.opened
    fields["valid_through"] = as_date(values.get("valid_through", "")) or issue.opened + timedelta(
        days=VALID_DAYS
    )
    kinds = split_list(values.get("employment_type", ""))
    fields["employment_type"] = kinds or [EmploymentType.FULL_TIME.value]
    places, bad = form_places(values.get("location", ""))
    problems.extend(f"location: line {n}: {message}" for n, message in bad)
    if places:
        fields["location"] = places
    fields["remote"] = values.get("remote") or "onsite"
    if values.get("applicant_locations"):
        fields["applicant_locations"] = split_list(values["applicant_locations"])
    salary = {k: number(values.get(key, "")) for k, key in SALARY_PARTS.items() if values.get(key)}
    if salary:
        fields["salary"] = {**salary, "period": values.get("salary_period") or "year"}
    for key in ("experience_level", "apply_url", "apply_email"):
        if values.get(key):
            fields[key] = values[key]
    if values.get("tags"):
        fields["tags"] = split_list(values["tags"])
    fields["draft"] = False
    # The model checks these two only when every field is valid: said at once here.
    if not values.get("apply_url") and not values.get("apply_email"):
        problems.append("apply_url: give apply_url or apply_email so people can apply")
    if not values.get("location") and fields["remote"] != "remote":
        problems.append("location: at least one place is needed unless remote: remote")
    return fields, problems


def form_places(text: str) -> tuple[list[dict[str, str]], list[tuple[int, str]]]:
    """One place a line: ``City[, Region], Country``, the country an ISO code or a name."""
    places: list[dict[str, str]] = []
    problems: list[tuple[int, str]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        parts = [p.strip() for p in line.split(",") if p.strip()]
        if not parts:
            continue
        country = country_code(parts[-1])
        if country is None:
            problems.append(
                (
                    n,
                    f"expected city, country such as Berlin, DE, got {one_line(repr(line.strip()))}",
                )
            )
            continue
        place = {"city": parts[0]} if len(parts) > 1 else {}
        if len(parts) > 2:
            place["region"] = ", ".join(parts[1:-1])
        places.append({**place, "country": country})
    return places, problems


def as_date(text: str) -> date | str:
    """A date if ``text`` is one; else the text, for the model to name."""
    try:
        return parse_date(text) if text else ""
    except ValueError:
        return text


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def number(text: str) -> int | float | str:
    """``60000``, ``60,000`` or ``60 000.50`` as a number; anything else as it is, for the
    model to name."""
    cleaned = re.sub(r"[\s,_]", "", text)
    try:
        return int(cleaned)
    except ValueError:
        try:
            return float(cleaned)
        except ValueError:
            return text


def unprintable(values: dict[str, str], fields: tuple[FormField, ...]) -> list[str]:
    """One-line values that hold more than one line or characters no page should show."""
    problems = []
    for field in fields:
        value = values.get(field.id, "")
        if field.id == "description":
            continue
        if field.one_line and "\n" in value:
            problems.append(f"{field.id}: must be one line")
        elif CONTROL_CHARS.search(value) or UNPRINTABLE.search(value):
            problems.append(f"{field.id}: holds a control or direction character; remove it")
    return problems


def form_field(path: str | None, ids: set[str]) -> str:
    """The form field a posting field's problem belongs to (``salary.max`` -> ``salary_max``)."""
    if not path:
        return "issue"
    parts = path.split(".")
    if parts[0] == "company":
        return "company_url" if parts[1:2] == ["url"] else "company"
    if parts[0] == "salary":
        candidate = f"salary_{parts[1]}" if len(parts) > 1 else "salary_min"
        return candidate if candidate in ids else "salary_min"
    return parts[0] if parts[0] in ids else path


def posting_from_issue(root: Path, event_file: Path) -> Path:
    """Write the posting of the issue in ``event_file`` under ``content/jobs/``; raise
    ``FormErrors`` with every problem instead, writing nothing."""
    fields_of_form = read_form(root)
    issue = read_issue(event_file)
    values = form_values(issue.body, fields_of_form)
    ids = {f.id for f in fields_of_form}
    flagged = unprintable(values, fields_of_form)
    # The flagged values, made printable, so that the other fields are checked too.
    printable = {k: UNPRINTABLE.sub("", CONTROL_CHARS.sub("", v)) for k, v in values.items()}
    fields, problems = posting_fields(
        {**printable, "description": values.get("description", "")}, issue
    )
    slug = slugify(values.get("title", ""))
    path = root / "content" / "jobs" / f"{slug or 'posting'}.md"
    if path.exists():
        path = path.with_name(f"{slug}-issue-{issue.number}.md")
    text = posting_text(fields, without_control_chars(values.get("description", "")), issue)
    rel = path.relative_to(root).as_posix()
    compiled = compile_posting(parse_text(text, rel, ""), "comrak")
    problems += [f"{form_field(d.field, ids)}: {d.message}" for d in compiled.problems]
    # A field flagged already is named once, by that problem.
    named = {line.split(":")[0] for line in flagged}
    problems = flagged + [p for p in problems if p.split(":")[0] not in named]
    if not slug and not any(p.startswith("title:") for p in problems):
        problems.append("title: must contain letters or digits")
    if path.exists():
        problems.append(f"title: {rel} already exists; choose another title")
    if problems:
        order = {f.id: i for i, f in enumerate(fields_of_form)}
        unique = list(dict.fromkeys(one_line(p) for p in problems))
        raise FormErrors(sorted(unique, key=lambda p: order.get(p.split(":")[0], len(order))))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:
        file.write(text)
    return path


def posting_text(fields: dict[str, Any], description: str, issue: Issue) -> str:
    frontmatter = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000)
    where = f"issue #{issue.number}" + (f" ({issue.url})" if issue.url else "")
    who = (
        f", opened by @{issue.author}" if re.fullmatch(r"[A-Za-z0-9-]{1,39}", issue.author) else ""
    )
    comment = one_line(f"# From {where}{who}")
    body = description.strip() or ""
    return f"---\n{comment}\n{frontmatter}---\n{body}\n"
