"""Validate source documents into ``Posting`` and ``ContentPage`` models.

Every file is checked, then the cross-file rules (unique slugs); all problems are raised
together in one ``ContentErrors``. Messages name the file, the line, the field, what was
expected, and what was found.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError

from site_gen.content import SourceDocument
from site_gen.errors import ContentErrors, Diagnostic, Severity
from site_gen.field_types import shown
from site_gen.markup import plain_text, render_all, render_markdown
from site_gen.models import ContentPage, Frontmatter, Page, Posting, SourceRef
from site_gen.structured_data import NOT_ELIGIBLE, google_problems
from site_gen.text import nfc
from site_gen.urls import RESERVED_PAGE_SLUGS, slugify

EXPIRY_WARNING_DAYS = 7
_VALIDATOR_TAG = re.compile(r"^[\w-]+\[.*\]$")


@dataclass(frozen=True)
class Validated:
    """The postings and pages of a board that passed validation, and its warnings."""

    postings: tuple[Posting, ...]
    pages: tuple[ContentPage, ...]
    warnings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class CompiledPosting:
    """One posting file after parsing, validation and markdown: the unit of parallel work.

    ``posting`` is None exactly when ``problems`` is not empty. ``description`` is the
    sanitised HTML of the body, which the posting page needs and nothing else does, so the
    build stores it in its cache instead of keeping it.
    """

    path: str
    posting: Posting | None
    problems: tuple[Diagnostic, ...]
    key_lines: dict[str, int]
    description: str = ""


def compile_posting(doc: SourceDocument, engine: str) -> CompiledPosting:
    """One file's posting and description, or the problems that keep it from being one."""
    return compile_all([doc], engine)[0]


def compile_all(docs: Sequence[SourceDocument], engine: str) -> list[CompiledPosting]:
    """``compile_posting`` of each document, one step at a time over all of them: the
    fields of all, then their markdown (``markup.render_all``), then their summaries. Each
    library's code and data stay in the CPU's caches through its step, which costs less CPU
    than document by document (``bench/compile_cost.py`` measures how much)."""
    checked = [_checked_fields(doc) for doc in docs]
    valid = [
        (doc, *found) for doc, found in zip(docs, checked, strict=True) if isinstance(found, tuple)
    ]
    descriptions = render_all([doc.body for doc, _, _ in valid], engine)
    summaries = [plain_text(html) for html in descriptions]
    made = (
        _compiled(doc, fields, slug, html, summary)
        for (doc, fields, slug), html, summary in zip(valid, descriptions, summaries, strict=True)
    )
    return [found if isinstance(found, CompiledPosting) else next(made) for found in checked]


def _compiled(
    doc: SourceDocument, fields: Frontmatter, slug: str, html: str, summary: str
) -> CompiledPosting:
    source = SourceRef(
        path=doc.path,
        body_line=doc.body_line,
        digest=doc.digest,
        shown_digest=shown_digest(fields, doc.body),
    )
    derived = {"slug": slug, "source": source, "summary": summary}
    # The fields as validated: ``__dict__`` is what ``dict(fields)`` gives for a model without
    # extras, without pydantic's two failed look-ups of a ``keys`` attribute (6 µs).
    posting = Posting.model_construct(**{**fields.__dict__, **derived})
    return CompiledPosting(doc.path, posting, (), doc.key_lines, html)


def _checked_fields(doc: SourceDocument) -> tuple[Frontmatter, str] | CompiledPosting:
    """A file's validated fields and its slug, or the problems that keep it from a posting."""
    try:
        fields = Frontmatter.model_validate(doc.fields)
    except ValidationError as exc:
        return _failed(doc, _with_field_problems(doc, _diagnostics(exc, doc)))
    if doc.problems:
        return _failed(doc, doc.problems)
    slug = slugify(fields.slug if fields.slug is not None else file_stem(doc.path))
    if not slug:
        line = doc.key_lines.get("slug")
        message = "must contain letters or digits, e.g. acme-engineer"
        return _failed(doc, [Diagnostic(doc.path, line, "slug", message)])
    return fields, slug


def _with_field_problems(doc: SourceDocument, found: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """The file's own problems (a broken file, or keys and values the YAML reading refused),
    and the model's problems with the other fields: every problem once, in one run."""
    if not doc.problems:
        return tuple(found)
    if not doc.fields:  # the file could not be read as fields at all
        return doc.problems
    named = {p.field for p in doc.problems if p.field}
    return (*doc.problems, *(d for d in found if not _within(d.field, named)))


def _within(field: str | None, named: set[str]) -> bool:
    """Whether a field is one of ``named`` or lies in or around one (``location.0`` and
    ``location.0.city``): one problem per value, not one from each check."""
    if not field:
        return False
    return any(
        field == name or field.startswith(name + ".") or name.startswith(field + ".")
        for name in named
    )


def file_stem(path: str) -> str:
    """The file's name without ``.md``, in normal form C (macOS writes names decomposed)."""
    return nfc(path.rsplit("/", 1)[-1][:-3])


# Not what a posting's page shows: the slug is its URL, featuring only orders the listings,
# and the source is where an import took it from.
NOT_SHOWN = frozenset({"draft", "slug", "featured", "featured_until", "imported_from"})


def shown_digest(fields: Frontmatter, body: str) -> str:
    """A digest of what a posting's page shows: every frontmatter field as validated (so
    comments and formatting in the YAML do not count) but those in ``NOT_SHOWN``, and the
    markdown body. ``sitegen notify`` tells a changed job by it; made here, once per file,
    so that the build cache keeps it with the posting."""
    # Hashed in parts, which is hashing them joined, without joining a copy of the body.
    digest = hashlib.sha256(fields.model_dump_json(exclude=set(NOT_SHOWN)).encode())
    digest.update(b"\0")
    digest.update(body.encode())
    return digest.hexdigest()


def _failed(doc: SourceDocument, problems: Iterable[Diagnostic]) -> CompiledPosting:
    return CompiledPosting(doc.path, None, tuple(problems), doc.key_lines)


def validate_posting(doc: SourceDocument, engine: str) -> Posting | tuple[Diagnostic, ...]:
    """One file's posting, or the problems that keep it from being one."""
    compiled = compile_posting(doc, engine)
    return compiled.posting if compiled.posting is not None else compiled.problems


def validate_page(doc: SourceDocument, engine: str) -> ContentPage | tuple[Diagnostic, ...]:
    try:
        meta = Page.model_validate(doc.fields)
    except ValidationError as exc:
        return _with_field_problems(doc, _diagnostics(exc, doc))
    if doc.problems:
        return doc.problems
    slug = slugify(meta.slug or file_stem(doc.path))
    if not slug:
        return (
            Diagnostic(
                doc.path, doc.key_lines.get("slug"), "slug", "must contain letters or digits"
            ),
        )
    if slug in RESERVED_PAGE_SLUGS:
        taken = ", ".join(sorted(RESERVED_PAGE_SLUGS))
        message = f"'{slug}' is a folder the board's own pages use ({taken}); choose another"
        return (Diagnostic(doc.path, doc.key_lines.get("slug"), "slug", message),)
    source = SourceRef(path=doc.path, body_line=doc.body_line, digest=doc.digest)
    return ContentPage(meta=meta, slug=slug, html=render_markdown(doc.body, engine), source=source)


def posting_warnings(posting: Posting, key_lines: dict[str, int], today: date) -> list[Diagnostic]:
    """Problems worth a word that do not stop the build (``--strict`` makes them errors)."""
    path = posting.source.path
    found = []
    if posting.valid_through is None:
        found.append(
            Diagnostic(
                path,
                None,
                "valid_through",
                "not set; Google recommends an end date, e.g. valid_through: 2027-01-31",
                Severity.WARNING,
            )
        )
    elif today <= posting.valid_through <= today + timedelta(days=EXPIRY_WARNING_DAYS):
        found.append(
            Diagnostic(
                path,
                key_lines.get("valid_through"),
                "valid_through",
                f"expires on {posting.valid_through}, within {EXPIRY_WARNING_DAYS} days",
                Severity.WARNING,
            )
        )
    found.extend(google_warnings(posting, key_lines))
    if posting.salary is None:
        found.append(
            Diagnostic(
                path,
                None,
                "salary",
                "not set; postings with pay get more applicants and show in salary filters",
                Severity.WARNING,
            )
        )
    return found


def google_warnings(posting: Posting, key_lines: dict[str, int]) -> list[Diagnostic]:
    """Why Google for Jobs would reject the posting's markup (which the page then leaves out)."""
    lines = {
        "applicant_locations": key_lines.get("remote"),
        "description": posting.source.body_line,
    }
    return [
        Diagnostic(
            posting.source.path,
            lines.get(problem.field),
            problem.field,
            f"{NOT_ELIGIBLE}: {problem.message}",
            Severity.WARNING,
        )
        for problem in google_problems(posting)
    ]


def validate_all(
    posting_docs: Iterable[SourceDocument],
    page_docs: Iterable[SourceDocument],
    engine: str,
    today: date,
) -> Validated:
    """Validate every document; raise ``ContentErrors`` with all problems if any."""
    compiled = (compile_posting(doc, engine) for doc in posting_docs)
    return collect_content(compiled, page_docs, engine, today)


def collect_content(
    compiled: Iterable[CompiledPosting],
    page_docs: Iterable[SourceDocument],
    engine: str,
    today: date,
) -> Validated:
    """Gather compiled postings (in file order) and pages; run the cross-file checks.

    Raises ``ContentErrors`` with every problem if there is any.
    """
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    postings: list[Posting] = []
    for result in compiled:
        if result.posting is not None:
            postings.append(result.posting)
            warnings.extend(posting_warnings(result.posting, result.key_lines, today))
        else:
            errors.extend(result.problems)
    pages: list[ContentPage] = []
    for doc in page_docs:
        page = validate_page(doc, engine)
        if isinstance(page, ContentPage):
            pages.append(page)
        else:
            errors.extend(page)
    errors.extend(duplicate_slugs([(p.slug, p.source.path) for p in postings], "posting"))
    errors.extend(duplicate_slugs([(p.slug, p.source.path) for p in pages], "page"))
    if errors:
        raise ContentErrors(errors)
    return Validated(tuple(postings), tuple(pages), tuple(warnings))


def duplicate_slugs(items: list[tuple[str, str]], kind: str) -> list[Diagnostic]:
    """A slug taken by two files is an error naming both, on the later file."""
    first: dict[str, str] = {}
    found = []
    for slug, path in items:
        if slug in first:
            found.append(
                Diagnostic(
                    path,
                    None,
                    "slug",
                    f"'{slug}' is already used by the {kind} {first[slug]}; give one of them another slug",
                )
            )
        else:
            first[slug] = path
    return found


def _diagnostics(exc: ValidationError, doc: SourceDocument) -> list[Diagnostic]:
    found = []
    for err in exc.errors(include_url=False):
        field, message = _field_and_message(err, doc.key_lines)
        field = _without_scalar_index(field, doc.key_lines)
        line = _line_for(field, doc.key_lines)
        found.append(Diagnostic(doc.path, line, field or None, message))
    return found


def _field_and_message(err: Any, key_lines: dict[str, int]) -> tuple[str, str]:
    loc: list[str] = []
    for part in err["loc"]:
        if not _is_validator_tag(part, ".".join([*loc, str(part)]), key_lines):
            loc.append(str(part))
    message = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    head, sep, rest = message.partition(": ")
    # Model-level validators name their field at the start of the message: "max: must ..."
    if sep and " " not in head and err["type"] == "value_error" and not _mentions_input(head):
        loc.append(head)
        message = rest
    return ".".join(loc), _friendly(err, message)


def _is_validator_tag(part: object, path: str, key_lines: dict[str, int]) -> bool:
    """Pydantic's own location tags (``function-after[...]``), not a key the file has."""
    if not isinstance(part, str) or path in key_lines:
        return False
    return bool(_VALIDATOR_TAG.match(part)) or part in {"function-before", "function-after"}


def _mentions_input(head: str) -> bool:
    return head.startswith(("expected", "give", "must"))


def _friendly(err: Any, message: str) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (a typo?); see the posting format in the README"
    if kind in {"int_type", "float_type", "int_parsing", "float_parsing"}:
        return f"expected a number, got {shown(value)}"
    if kind in {"string_type"}:
        return f"expected text, got {shown(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"expected true or false, got {shown(value)}"
    if kind in {"literal_error", "enum"}:
        expected = err.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}, got {shown(value)}"
    if kind in {"tuple_type", "list_type"}:
        return f"expected a list, got {shown(value)}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"expected a mapping of fields, got {shown(value)}"
    if kind == "too_short" and isinstance(value, (list, tuple)):
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {err['ctx']['max_length']} characters)"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in {"greater_than_equal", "less_than_equal"}:
        bound = "at least" if kind == "greater_than_equal" else "at most"
        limit = err["ctx"].get("ge", err["ctx"].get("le"))
        return f"must be {bound} {limit}, got {shown(value)}"
    if kind == "invalid_key":
        return f"field names must be text, got {shown(value)}"
    return message


def _without_scalar_index(field: str, key_lines: dict[str, int]) -> str:
    """Drop list indexes that pydantic adds to a value given as a scalar (``type: x`` -> ``type``)."""
    kept: list[str] = []
    for part in field.split(".") if field else []:
        if part.isdigit() and ".".join([*kept, part]) not in key_lines:
            continue
        kept.append(part)
    return ".".join(kept)


def _line_for(field: str, key_lines: dict[str, int]) -> int | None:
    """The line of the field, or of its nearest enclosing field that has one."""
    parts = field.split(".") if field else []
    while parts:
        line = key_lines.get(".".join(parts))
        if line:
            return line
        parts.pop()
    return None
