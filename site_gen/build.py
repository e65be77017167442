"""The build pipeline, one stage per line: config, content, site, render, write.

Read it top to bottom: each stage takes the previous stage's value and returns a new one.
``check`` runs the same stages up to validation and writes nothing. ``rebuild`` is the preview
server's entry point: it is told which source files changed.

Two resources run through the stages: the worker processes (``parallel.Workers``), which
compile postings and render pages on every core, and the build cache (``cache.BuildCache``),
which lets them skip whatever an earlier build already did. Neither changes a byte of the
output. ``IncrementalBuilder`` keeps both open between builds, for the preview server.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import os
import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from site_gen.cache import (
    CACHE_DIR,
    BuildCache,
    derived_key,
    digest_of,
)
from site_gen.compile import compile_postings
from site_gen.config import CONFIG_NAME, SiteConfig, load_config
from site_gen.content import find_sources, iter_sources
from site_gen.errors import ContentErrors, Diagnostic, Severity, SitegenError
from site_gen.minify import minify_files
from site_gen.parallel import Workers
from site_gen.progress import SILENT, Progress, counted
from site_gen.render import environment, render_site, start_cards
from site_gen.search_index import size_summary
from site_gen.site import Site, assemble_site
from site_gen.theme import site_assets
from site_gen.urls import SEARCH_INDEX_ROUTE, SiteUrls
from site_gen.validate import Validated, collect_content
from site_gen.writer import FileToWrite, StagedFile, Staging, WriteReport, check_output_folder


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
    jobs: int | None = None  # worker processes; None: one per core
    cache: bool = True  # keep and use <board>/.sitegen-cache/
    progress: Progress = field(default=SILENT, compare=False)  # told each stage, and items done

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
    with IncrementalBuilder(options) as builder:
        return builder.build()


def build_with(
    options: BuildOptions,
    cache: BuildCache,
    workers: Workers,
    known: Mapping[str, str] | None = None,
) -> BuildReport:
    """The pipeline, with its cache and workers given (``known``: see ``compile_postings``)."""
    try:
        return _build_with(options, cache, workers, known)
    finally:
        gc.unfreeze()  # what ``keep_objects`` froze is the collector's again


def _build_with(
    options: BuildOptions,
    cache: BuildCache,
    workers: Workers,
    known: Mapping[str, str] | None = None,
) -> BuildReport:
    started = time.perf_counter()
    keep_objects()  # what was there before: modules, and a kept-open builder's postings
    cache.start_build()
    now = build_clock(options.now)
    root = resolve_root(options)
    config = load_config(options.config_path, {"base_url": options.base_url})
    content = load_content(
        root,
        config,
        now.date(),
        strict=options.strict,
        workers=workers,
        cache=cache,
        known=known,
        progress=options.progress,
    )
    keep_objects()  # the postings
    options.progress.stage("Assembling the site")
    assets = site_assets(config, root, minify=options.minify)
    env = environment(config, root, SiteUrls(config.base_url, assets.names))
    output = options.output or root / config.output_dir
    check_output_folder(output, root)
    # A first build renders every card on the workers while the site is assembled here; a
    # rebuild keeps most pages, and its workers make the few cards they need.
    first = not output.is_dir()
    collect_cards = start_cards(env, content.postings if first else (), now.date(), workers)
    site = assemble_site(
        config,
        content,
        now,
        drafts=options.drafts,
        future=options.future,
        assets=assets,
        preview=options.preview,
        cache=cache,
    )
    keep_objects()  # the site
    collect_cards()
    # Cached pages are kept only from a previous output (minified pages are not cached).
    reuse = not first and not options.minify
    options.progress.stage("Rendering and writing files")
    with Staging(output, manifest_path(cache, output)) as staging:
        files: Iterable[FileToWrite | StagedFile]
        if options.minify:  # pages are minified here, so the workers cannot stage them
            files = minify_files(render_site(site, env, root, cache, workers, reuse=reuse))
        else:
            files = render_site(site, env, root, cache, workers, reuse=reuse, staging=staging)
        written = staging.finish(counted(files, options.progress))
    index = search_index_summary(output / SEARCH_INDEX_ROUTE, len(site.published), cache)
    options.progress.stage("Saving the build cache")
    cache.collect_garbage()
    cache.commit()
    seconds = time.perf_counter() - started
    return BuildReport(site, written, content.warnings, output, seconds, index)


def keep_objects() -> None:
    """Tell Python's cyclic garbage collector to leave the objects made so far alone until
    the build ends (``build_with`` lets it have them back).

    A build makes hundreds of thousands of objects that stay until it ends (postings, facet
    values) and almost no cyclic garbage; the collector, which walks the older objects
    again and again as new ones pile up, took a fifth of a no-op build's time for nothing.
    Frozen objects are still freed when no longer referenced; workers forked meanwhile
    collect their own garbage as usual.
    """
    gc.freeze()


def rebuild(options: BuildOptions, changed: Collection[Path]) -> BuildReport:
    """Bring the output up to date after the source files in ``changed`` changed.

    This is the preview server's one hook into the build. The first call opens an
    ``IncrementalBuilder`` for these options and keeps it (its cache and workers) for the
    next calls, so postings not in ``changed`` are not read again and only the pages whose
    inputs changed are rendered and written. The output equals a full build's byte for byte.
    """
    builder = _builders.get(options)
    if builder is None:
        for stale in _builders.values():
            stale.close()
        _builders.clear()
        builder = _builders[options] = IncrementalBuilder(options)
        return builder.build()
    return builder.rebuild(changed)


_builders: dict[BuildOptions, IncrementalBuilder] = {}  # the preview server's, kept warm


@atexit.register
def _close_builders() -> None:
    for builder in _builders.values():
        builder.close()
    _builders.clear()


def check(options: BuildOptions) -> CheckReport:
    """Validate everything a build would, write nothing."""
    now = build_clock(options.now)
    root = resolve_root(options)
    config = load_config(options.config_path, {"base_url": options.base_url})
    with Workers(options.jobs) as workers:
        content = load_content(
            root,
            config,
            now.date(),
            strict=options.strict,
            workers=workers,
            progress=options.progress,
        )
    return CheckReport(content, content.warnings)


def load_content(
    root: Path,
    config: SiteConfig,
    today: date,
    *,
    strict: bool,
    workers: Workers | None = None,
    cache: BuildCache | None = None,
    known: Mapping[str, str] | None = None,
    progress: Progress = SILENT,
) -> Validated:
    files = find_sources(root / "content" / "jobs")
    engine = config.markdown_engine
    progress.stage("Reading postings", len(files))
    postings = compile_postings(files, root, engine, workers or Workers(1), cache, known)
    postings = counted(postings, progress)
    pages = iter_sources(root / "content" / "pages", root)
    content = collect_content(postings, pages, engine, today)
    if strict and content.warnings:
        raise ContentErrors(
            Diagnostic(w.path, w.line, w.field, w.message, Severity.ERROR) for w in content.warnings
        )
    return content


def search_index_summary(path: Path, postings: int, cache: BuildCache) -> str:
    """The search index's size, plain and gzipped (compressing it takes a tenth of a
    second at 10,000 postings: the cache remembers the answer for the same bytes)."""
    data = path.read_bytes()
    key = derived_key("search index size", digest_of(data), str(postings))
    return cache.reuse(key, lambda: size_summary(data, postings), str.encode, _summary_text)


def _summary_text(data: bytes) -> str | None:
    text = data.decode("utf-8", errors="replace")
    return text if text.startswith("search-index.json: ") and "\n" not in text else None


def manifest_path(cache: BuildCache, output: Path) -> Path | None:
    """The writer's manifest of ``output``, kept in the cache folder (one per output folder)."""
    if cache.folder is None:
        return None
    name = hashlib.sha256(str(output.absolute()).encode()).hexdigest()[:16]
    return cache.folder / f"output-{name}.json"


class IncrementalBuilder:
    """Builds a board again and again, keeping the cache and the workers open in between.

    ``build()`` builds as ``sitegen build`` does; ``rebuild(changed)`` builds again after
    the files in ``changed`` were edited, added or deleted: postings not in ``changed`` are
    not even read again, and every page whose inputs did not change comes from memory or the
    cache. The output is always the same as a full build's. ``rebuild(None)`` re-reads all.
    """

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        root = resolve_root(options)
        self.cache = BuildCache(root / CACHE_DIR if options.cache else None)
        self.workers = Workers(options.jobs)

    def build(self) -> BuildReport:
        return build_with(self.options, self.cache, self.workers)

    def rebuild(self, changed: Iterable[Path] | None = None) -> BuildReport:
        if changed is None:
            return self.build()
        root = resolve_root(self.options).absolute()
        edited = {_relative_to(Path(p).absolute(), root) for p in changed}
        known = {rel: d for rel, d in self.cache.sources.items() if rel not in edited}
        return build_with(self.options, self.cache, self.workers, known)

    def close(self) -> None:
        self.workers.close()
        self.cache.close()

    def __enter__(self) -> IncrementalBuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _relative_to(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


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
