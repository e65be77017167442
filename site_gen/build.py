"""The build pipeline, one stage per line: config, content, site, render, write.

Read it top to bottom: each stage takes the previous stage's value and returns a new one.
``check`` runs the same stages up to validation and writes nothing. ``rebuild`` is the preview
server's entry point: it is told which source files changed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from site_gen.config import CONFIG_NAME, SiteConfig, load_config
from site_gen.content import iter_sources
from site_gen.errors import ContentErrors, Diagnostic, Severity, SitegenError
from site_gen.minify import minify_files
from site_gen.render import render_site
from site_gen.search_index import size_summary
from site_gen.site import Site, assemble_site
from site_gen.theme import make_environment, site_assets
from site_gen.urls import SEARCH_INDEX_ROUTE
from site_gen.validate import Validated, validate_all
from site_gen.writer import WriteReport, check_output_folder, write_site


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked for on the command line (or a test, or the preview server)."""

    root: Path = Path(".")
    config_file: Path | None = None
    output: Path | None = None
    drafts: bool = False
    future: bool = False
    now: datetime | None = None
    base_url: str | None = None
    strict: bool = False
    minify: bool = False  # minify HTML, CSS and JS
    preview: bool = False  # a staging build: robots.txt disallows everything

    @property
    def config_path(self) -> Path:
        return self.config_file or self.root / CONFIG_NAME


@dataclass(frozen=True)
class BuildReport:
    site: Site
    written: WriteReport
    warnings: tuple[Diagnostic, ...]
    output: Path
    seconds: float
    search_index: str  # its size, e.g. "search-index.json: 41.2 KB (1.21 KB a posting), ..."

    def summary(self) -> str:
        site = self.site
        if site.config.expired == "drop":
            closed = f"{len(site.dropped)} expired dropped"
        else:
            closed = f"{len(site.expired)} expired kept"
        return (
            f"Built {len(site.published)} postings ({closed}, "
            f"{site.skipped_drafts} drafts and {site.skipped_future} future skipped), "
            f"{self.written.total} files ({self.written.written} written, "
            f"{self.written.unchanged} unchanged) in {self.seconds:.2f} s -> {self.output}\n"
            f"{self.search_index}"
        )


@dataclass(frozen=True)
class CheckReport:
    content: Validated
    warnings: tuple[Diagnostic, ...] = field(default=())


def build(options: BuildOptions) -> BuildReport:
    """Build the board into its output folder; raise a ``SitegenError`` the user can fix."""
    started = time.perf_counter()
    now = build_clock(options.now)
    root = resolve_root(options)
    config = load_config(options.config_path, {"base_url": options.base_url})
    content = load_content(root, config, now.date(), strict=options.strict)
    assets = site_assets(config, root, minify=options.minify)
    site = assemble_site(
        config,
        content,
        now,
        drafts=options.drafts,
        future=options.future,
        assets=assets,
        preview=options.preview,
    )
    env = make_environment(config, root, site.urls)
    output = options.output or root / config.output_dir
    check_output_folder(output, root)
    files = render_site(site, env, root)
    written = write_site(minify_files(files) if options.minify else files, output)
    index = size_summary((output / SEARCH_INDEX_ROUTE).read_bytes(), len(site.published))
    seconds = time.perf_counter() - started
    return BuildReport(site, written, content.warnings, output, seconds, index)


def rebuild(options: BuildOptions, changed: Collection[Path]) -> BuildReport:
    """Bring the output up to date after the source files in ``changed`` changed.

    This is the preview server's one hook into the build. It runs a full build for now: the
    writer keeps every file whose bytes did not change, so only the affected pages are
    rewritten. An incremental builder can use ``changed`` to re-render only what they affect;
    whatever it does, the output must equal a full build's byte for byte.
    """
    del changed  # a full build does not need to know
    return build(options)


def check(options: BuildOptions) -> CheckReport:
    """Validate everything a build would, write nothing."""
    now = build_clock(options.now)
    root = resolve_root(options)
    config = load_config(options.config_path, {"base_url": options.base_url})
    content = load_content(root, config, now.date(), strict=options.strict)
    return CheckReport(content, content.warnings)


def load_content(root: Path, config: SiteConfig, today: date, *, strict: bool) -> Validated:
    postings = iter_sources(root / "content" / "jobs", root)
    pages = iter_sources(root / "content" / "pages", root)
    content = validate_all(postings, pages, config.markdown_engine, today)
    if strict and content.warnings:
        raise ContentErrors(
            Diagnostic(w.path, w.line, w.field, w.message, Severity.ERROR) for w in content.warnings
        )
    return content


def resolve_root(options: BuildOptions) -> Path:
    root = options.config_file.parent if options.config_file else options.root
    if not (root / "content").is_dir() and not options.config_path.exists():
        raise SitegenError(
            f"{root.resolve()}: not a board: no sitegen.toml and no content/ folder "
            "(run sitegen in the board's folder, or pass --config)"
        )
    return root


def build_clock(now: datetime | None) -> datetime:
    """The build's single clock: --now, else SOURCE_DATE_EPOCH, else the current time (UTC)."""
    if now is not None:
        return now if now.tzinfo else now.replace(tzinfo=UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError):
            raise SitegenError(
                f"SOURCE_DATE_EPOCH: expected seconds since 1970, got {epoch!r}"
            ) from None
    return datetime.now(tz=UTC)
