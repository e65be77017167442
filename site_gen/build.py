"""The build pipeline, one stage per line: config, content, site, render, write.

Read ``IncrementalBuilder._build`` top to bottom: each stage takes the previous stage's
value and returns a new one. ``check`` runs the same stages up to validation and writes
nothing.

``IncrementalBuilder`` is the build context: it owns the worker processes
(``parallel.Workers``), the build cache (``cache.BuildCache``), the templates' environment and
the output's manifest, and keeps them between builds (the preview server holds one open
and calls ``rebuild`` with the files that changed). Pages are cached in one place,
``incremental.cached``; neither the cache nor the workers change a byte of the output.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2

from site_gen.cache import CACHE_DIR, BuildCache
from site_gen.cache_keys import derived_key, digest_of, page_key, posting_key, theme_fingerprint
from site_gen.compile import compile_postings
from site_gen.compiled_templates import compile_for_workers, compiled_templates
from site_gen.config import CONFIG_NAME, SiteConfig, load_config
from site_gen.content import find_sources, iter_sources
from site_gen.errors import ContentErrors, Diagnostic, Severity, SitegenError
from site_gen.fast_preview import edited_pages
from site_gen.incremental import BuildContext
from site_gen.interrupts import held_interrupts
from site_gen.models import Posting
from site_gen.output_manifest import ManifestFile
from site_gen.outputs import site_files
from site_gen.pages import Pages, start_cards
from site_gen.parallel import Workers
from site_gen.progress import SILENT, Progress, counted
from site_gen.site import Site, assemble_site, choose_postings, start_derived
from site_gen.theme import CARD_TEMPLATE, make_environment, site_assets
from site_gen.urls import SEARCH_INDEX_ROUTE, SiteUrls
from site_gen.validate import CompiledPosting, Validated, collect_content
from site_gen.views import PAGE_TEMPLATES
from site_gen.writer import Staging, WriteReport, check_output_folder


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
    search_index: str  # its size, e.g. "search-index.json: 28.2 KB, 7.8 KB gzipped, and ..."

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


def check(options: BuildOptions) -> CheckReport:
    """Validate everything a build would, write nothing."""
    now = build_clock(options.now)
    root = resolve_root(options)
    config = load_config(options.config_path, {"base_url": options.base_url})
    with Workers(options.jobs) as workers:
        loading = start_loading(root, config, workers, progress=options.progress)
        content = loading.content(now.date(), strict=options.strict)
    return CheckReport(content, content.warnings)


@dataclass(frozen=True)
class Loading:
    """The board's posting files, being compiled by the workers (``start_loading``)."""

    root: Path
    engine: str
    files: int  # how many posting files
    postings: Iterator[CompiledPosting]

    def content(self, today: date, *, strict: bool) -> Validated:
        """The validated content, once every posting is compiled."""
        pages = iter_sources(self.root / "content" / "pages", self.root)
        content = collect_content(self.postings, pages, self.engine, today)
        if strict and content.warnings:
            raise ContentErrors(
                Diagnostic(w.path, w.line, w.field, w.message, Severity.ERROR)
                for w in content.warnings
            )
        return content


def start_loading(
    root: Path,
    config: SiteConfig,
    workers: Workers | None = None,
    cache: BuildCache | None = None,
    known: Mapping[str, str] | None = None,
    progress: Progress = SILENT,
) -> Loading:
    """Start compiling the board's postings on the workers; ``content()`` of the result
    waits for them (``compile_postings``: the cache's postings are looked up first)."""
    files = find_sources(root / "content" / "jobs")
    engine = config.markdown_engine
    progress.stage("Reading postings", len(files))
    postings = compile_postings(files, root, engine, workers or Workers(1), cache, known)
    return Loading(root, engine, len(files), counted(postings, progress))


def search_index_summary(path: Path, postings: int, cache: BuildCache) -> str:
    """The search index's size, plain and gzipped (compressing it takes a tenth of a
    second at 10,000 postings: the cache remembers the answer for the same bytes)."""
    data = path.read_bytes()
    key = derived_key("search index size", digest_of(data), str(postings))

    def summary() -> str:
        from site_gen.search_index import size_summary  # only when the index changed

        return size_summary(data, postings)

    return cache.reuse(key, summary, str.encode, _summary_text)


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
    """Builds a board, again and again: the build context of every build.

    It owns what lives across builds: the build cache, the worker processes, the
    templates' environment (kept while templates, config and assets are the same) and the
    output folder's manifest. ``build()`` builds as ``sitegen build`` does;
    ``rebuild(changed)`` builds again after the files in ``changed`` were edited, added or
    deleted: postings not in ``changed`` are not read again, and every page whose view did
    not change comes from the cache. The output is always the same as a full build's.
    ``rebuild(None)`` re-reads all. The preview server keeps one open.
    """

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        root = resolve_root(options)
        self.cache = BuildCache(root / CACHE_DIR if options.cache else None)
        self.workers = Workers(options.jobs)
        self._environment: tuple[str, jinja2.Environment] | None = None
        self._manifest: ManifestFile | None = None
        self._last: tuple[Site, Pages, Path] | None = None  # the last build's, for edited_pages

    def build(self) -> BuildReport:
        return self._build(None)

    def rebuild(self, changed: Iterable[Path] | None = None) -> BuildReport:
        if changed is None:
            return self.build()
        root = resolve_root(self.options).absolute()
        edited = {_relative_to(Path(p).absolute(), root) for p in changed}
        return self._build({rel: d for rel, d in self.cache.sources.items() if rel not in edited})

    def edited_pages(self, changed: Iterable[Path]) -> list[str]:
        """Before ``rebuild(changed)``: the pages of the edited postings whose description
        alone changed, rendered with the last build's site and written at once (see
        ``fast_preview``); their paths below the output folder."""
        if self._last is None:
            return []
        site, pages, output = self._last
        root = resolve_root(self.options).absolute()
        files = [Path(p).absolute() for p in changed]
        return edited_pages(site, pages, files, root, output)

    def _build(self, known: Mapping[str, str] | None) -> BuildReport:
        """The pipeline, one stage a line (``known``: see ``compile_postings``)."""
        options, cache, workers = self.options, self.cache, self.workers
        started = time.perf_counter()
        cache.start_build()
        now = build_clock(options.now)
        root = resolve_root(options)
        config = load_config(options.config_path, {"base_url": options.base_url})
        # The templates are made ready while the workers compile the postings.
        loading = start_loading(root, config, workers, cache, known, options.progress)
        assets = site_assets(config, root, minify=options.minify)
        env, fingerprint = self.environment(config, root, SiteUrls(config.base_url, assets.names))
        compile_for_workers(env, (CARD_TEMPLATE, *PAGE_TEMPLATES), workers, loading.files)
        content = loading.content(now.date(), strict=options.strict)
        options.progress.stage("Assembling the site")
        output = options.output or root / config.output_dir
        check_output_folder(output, root)
        # Every card rendered once, on the workers, where most listing pages will be
        # rendered: a cold build, or a fresh output folder (a CI build, the cache restored,
        # renders every listing page that new postings shift, thousands at 10,000).
        fresh = cache.holds_no_pages() or not output.exists()
        chosen = choose_postings(content, now.date(), drafts=options.drafts, future=options.future)
        derived = start_derived(config, chosen, cache, workers)  # before the card workers
        cards = start_cards(env, chosen.listed if fresh else (), now.date(), workers)
        site = assemble_site(
            config,
            content,
            now,
            assets=assets,
            preview=options.preview,
            chosen=chosen,
            derived=derived,
        )
        cards(site)
        options.progress.stage("Rendering and writing files")
        with Staging(output, self.manifest(output)) as staging:
            context = self.context(site, env, root, fingerprint, staging)
            files = site_files(site, context, minify=options.minify)
            written = staging.finish(counted(files, options.progress))
        with held_interrupts(output):  # the new site is in place: keep the cache that goes with it
            self._last = (site, context.pages, output)
            index = search_index_summary(output / SEARCH_INDEX_ROUTE, len(site.published), cache)
            options.progress.stage("Saving the build cache")
            cache.collect_garbage()
            cache.commit()
        seconds = time.perf_counter() - started
        return BuildReport(site, written, content.warnings, output, seconds, index)

    def environment(
        self, config: SiteConfig, root: Path, urls: SiteUrls
    ) -> tuple[jinja2.Environment, str]:
        """The templates' environment and the build's fingerprint (code, config, templates,
        static files, asset names, minifying): the environment is made again only when the
        fingerprint changes, so the preview server's rebuilds compile no template again."""
        fingerprint = page_key(
            theme_fingerprint(config, root),
            repr(sorted(urls.assets.items())),
            str(self.options.minify),
        )
        if self._environment is None or self._environment[0] != fingerprint:
            compiled = compiled_templates(self.cache.folder)
            self._environment = (fingerprint, make_environment(config, root, urls, compiled))
        return self._environment[1], fingerprint

    def context(
        self, site: Site, env: jinja2.Environment, root: Path, fingerprint: str, staging: Staging
    ) -> BuildContext:
        """What rendering needs. The cache is committed first: forked workers read posting
        descriptions on connections of their own."""
        self.cache.commit()
        reader = self.cache.descriptions()
        engine = site.config.markdown_engine

        def description(posting: Posting) -> str | None:
            return reader.description(
                posting_key(posting.source.path, posting.source.digest, engine)
            )

        pages = Pages(env, site, root, description, minify=self.options.minify)
        return BuildContext(pages, self.cache, self.workers, fingerprint, staging)

    def manifest(self, output: Path) -> ManifestFile:
        path = manifest_path(self.cache, output)
        if self._manifest is None or self._manifest.path != path:
            self._manifest = ManifestFile(path)
        return self._manifest

    def close(self) -> None:
        # Once a site is in place, Ctrl-C waits for the cache that goes with it to close.
        with held_interrupts(self._last[2]) if self._last else nullcontext():
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
