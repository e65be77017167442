"""The ``sitegen`` command: parse arguments (``cli_arguments``), run the command through the
library, print, choose the exit code.

No build logic lives here. Exit codes: 0 success, 1 content or config errors, 2 usage errors.
Only user-fixable errors (``SitegenError``) are printed without a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from site_gen.cli_arguments import make_parser
from site_gen.errors import ContentErrors, Diagnostic, SitegenError, one_line, summed_up
from site_gen.interrupts import OutputReplaced
from site_gen.progress import SILENT, Progress, TerminalProgress, terminal_progress

# Each command imports the modules it runs when it runs: ``sitegen --version`` or a
# usage error need none of them, and a build none of the other commands' (their
# libraries cost more to import than a small board takes to build).
if TYPE_CHECKING:
    from site_gen.build import BuildOptions

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def options_from(args: argparse.Namespace, progress: Progress = SILENT) -> BuildOptions:
    from site_gen.build import BuildOptions

    return BuildOptions(
        root=Path("."),
        config_file=args.config,
        output=getattr(args, "output", None),
        drafts=args.drafts,
        future=args.future,
        now=getattr(args, "now", None),
        base_url=getattr(args, "base_url", None),
        strict=getattr(args, "strict", False),
        minify=getattr(args, "minify", False),
        preview=getattr(args, "preview", False),
        jobs=getattr(args, "jobs", None),
        cache=not getattr(args, "no_cache", False),
        progress=progress,
    )


def progress_for(args: argparse.Namespace) -> TerminalProgress:
    """A bar on stderr when it is a terminal (not with --quiet); stage times with --verbose."""
    return terminal_progress(sys.stderr, quiet=args.quiet, verbose=args.verbose)


def run_build(args: argparse.Namespace) -> int:
    # A one-shot build keeps what it makes until it ends and makes almost no cyclic
    # garbage: the cyclic collector would walk every posting again and again, and in the
    # forked workers write to memory they share with this process.
    gc.disable()
    from site_gen.build import build

    with progress_for(args) as progress:
        report = build(options_from(args, progress))
    try:
        print_warnings(report.warnings)
        if not args.quiet:
            print(report.summary())
    except KeyboardInterrupt:
        raise OutputReplaced(report.output) from None
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    from site_gen.build import check
    from site_gen.structured_data import not_eligible

    with progress_for(args) as progress:
        report = check(options_from(args, progress))
    print_warnings(report.warnings, every=True)
    content = report.content
    if not args.quiet:
        print(
            f"Checked {len(content.postings)} postings and {len(content.pages)} pages: no errors, {len(report.warnings)} warnings"
        )
    ineligible = not_eligible(content.postings)
    if ineligible:
        count = f"{len(ineligible)} posting{'s' if len(ineligible) != 1 else ''}"
        names = ", ".join(p.source.path for p in ineligible)
        print(f"Not eligible for Google for Jobs ({count}; see the warnings): {names}")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    # Imported here: the server's libraries are not needed by the other commands.
    from site_gen.server import ServeOptions, serve

    options = ServeOptions(
        build=options_from(args, progress_for(args)),
        host=args.host,
        port=args.port,
        open_browser=args.open,
        quiet=args.quiet,
    )
    serve(options)
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    from site_gen.authoring import new_posting
    from site_gen.build import BuildOptions, build_clock, resolve_root

    root = resolve_root(BuildOptions())
    if args.from_issue:
        return run_new_from_issue(root, args)
    if args.title is None or args.company is None:  # a usage error, as argparse reports one
        print(
            "sitegen new: error: give a title and --company, e.g. "
            'sitegen new "Staff Data Engineer" --company "Example Corp"; or --from-issue EVENT_JSON',
            file=sys.stderr,
        )
        raise SystemExit(EXIT_USAGE)
    path = new_posting(root, args.title, args.company, build_clock(None).date())
    print(
        f"Created {path.relative_to(root).as_posix()} (a draft: preview it with sitegen serve --drafts)"
    )
    return EXIT_OK


def run_notify(args: argparse.Namespace) -> int:
    # Imported here: google-auth is needed by this command only.
    from site_gen.build import BuildOptions, resolve_root
    from site_gen.config import load_config
    from site_gen.notify import notify

    options = BuildOptions(config_file=args.config)
    root = resolve_root(options)
    config = load_config(options.config_path)
    output = args.output or root / config.output_dir
    report = notify(config.notify, output, args.previous, dry_run=args.dry_run)
    for line in report.lines:
        print(line)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    return EXIT_CONTENT if report.errors else EXIT_OK


def run_new_from_issue(root: Path, args: argparse.Namespace) -> int:
    from site_gen.issue_form import FormErrors, posting_from_issue

    if args.title is not None or args.company is not None:
        raise SitegenError("--from-issue takes the title and company from the issue; give neither")
    try:
        path = posting_from_issue(root, args.from_issue)
    except FormErrors as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return EXIT_CONTENT
    print(f"Created {path.relative_to(root).as_posix()}")
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    from site_gen.authoring import init_board
    from site_gen.build import build_clock

    written = init_board(args.dir, build_clock(None).date())
    print(
        f"Created a board in {args.dir} ({len(written)} files). Next: cd {args.dir} && sitegen serve"
    )
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    # Imported here: the importers' libraries are not needed by the other commands.
    from site_gen.build import BuildOptions, build_clock, resolve_root
    from site_gen.importers import SYSTEMS
    from site_gen.importers.sync import fetch, import_jobs, read_saved

    if not args.name.strip() or any(c.isspace() for c in args.name):
        raise SitegenError(f"NAME: expected a board name without spaces, got {args.name!r}")
    root = resolve_root(BuildOptions())
    if args.from_file:
        response = read_saved(args.from_file)
    else:
        response = fetch(SYSTEMS[args.system], args.name, args.api_url)
    report = import_jobs(
        root,
        args.system,
        args.name,
        response,
        build_clock(None).date(),
        company=args.company,
        force=args.force,
    )
    for line in report.lines:
        print(line)
    print(report.summary())
    return EXIT_OK


def print_warnings(warnings: Sequence[Diagnostic], *, every: bool = False) -> None:
    """Every warning (``sitegen check``), or a build's summed up (``errors.summed_up``)."""
    for line in map(str, warnings) if every else summed_up(warnings):
        print(line, file=sys.stderr)


COMMANDS = {
    "build": run_build,
    "check": run_check,
    "serve": run_serve,
    "new": run_new,
    "notify": run_notify,
    "init": run_init,
    "import": run_import,
}


# Pydantic looks for plugins in every installed distribution's entry points when it
# makes its first model: a scan of the whole environment on every start, for plugins
# that sitegen's own models never use. Pydantic's documented switch turns it off; a value
# the user set is kept.
PYDANTIC_PLUGINS = ("PYDANTIC_DISABLE_PLUGINS", "__all__")


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault(*PYDANTIC_PLUGINS)  # before any command imports its models
    args = make_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ContentErrors as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        count = len(exc.diagnostics)
        print(
            f"Build failed: {count} problem{'s' if count != 1 else ''}; the previous output was left as it was.",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    except SitegenError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_CONTENT
    except OutputReplaced as exc:
        print(
            f"Interrupted; the new site was already going in: {exc.output} holds it, complete.",
            file=sys.stderr,
        )
        return 130
    except KeyboardInterrupt:
        print("Interrupted; the previous output was left as it was.", file=sys.stderr)
        return 130


def run() -> NoReturn:
    """The ``sitegen`` command (and ``python -m site_gen``): ``main``, then exit at once.

    A build ends with the whole board in memory, and Python's own exit would free it
    object by object for a process that is ending anyway. Nothing else is left to do by
    then: the builder has closed its workers, its cache and its staging folder, and the
    output streams are flushed here. ``main`` is what tests call: it returns."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (``sitegen ... | head``)
            stream.flush()
    os._exit(code)
