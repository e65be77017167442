"""The ``sitegen`` command: parse arguments, call the library, print, choose the exit code.

No build logic lives here. Exit codes: 0 success, 1 content or config errors, 2 usage errors.
Only user-fixable errors (``SitegenError``) are printed without a traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from site_gen import __version__
from site_gen.authoring import init_board, new_posting
from site_gen.build import BuildOptions, build, build_clock, check, resolve_root
from site_gen.errors import ContentErrors, SitegenError, one_line

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def parse_now(text: str) -> datetime:
    """``--now`` takes a date (2026-12-01) or an ISO 8601 date-time."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-12-01, got {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_port(text: str) -> int:
    """``--port`` takes 0 (any free port) to 65535."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got {text!r}")
    return int(text)


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """What to include, and which board: shared by build, check and serve."""
    parser.add_argument("--drafts", action="store_true", help="include postings marked draft: true")
    parser.add_argument(
        "--future", action="store_true", help="include postings dated in the future"
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="the board's sitegen.toml (default: ./sitegen.toml); the board root is its folder",
    )


def add_content_options(parser: argparse.ArgumentParser) -> None:
    add_selection_options(parser)
    parser.add_argument(
        "--now",
        type=parse_now,
        metavar="DATE",
        help="build as if today were DATE (default: SOURCE_DATE_EPOCH, else now)",
    )
    parser.add_argument(
        "--base-url", metavar="URL", help="the URL the site is served from, overriding sitegen.toml"
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--jobs",
        type=positive_int,
        metavar="N",
        help="worker processes for parsing and rendering (default: one per core)",
    )


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description="A static job-board site generator."
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_parser = commands.add_parser(
        "build",
        help="build the board into output/",
        description="Build the board into its output folder.",
    )
    add_content_options(build_parser)
    build_parser.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="write the site here (default: output_dir from sitegen.toml, 'output')",
    )
    build_parser.add_argument(
        "--minify", action="store_true", help="minify HTML, CSS and JS (for production)"
    )
    build_parser.add_argument(
        "--preview",
        action="store_true",
        help="a staging build: robots.txt asks every crawler to stay away",
    )
    build_parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the build cache (.sitegen-cache/)",
    )

    check_parser = commands.add_parser(
        "check",
        help="validate postings without writing anything",
        description="Validate every posting and page; write nothing.",
    )
    add_content_options(check_parser)

    serve_parser = commands.add_parser(
        "serve",
        help="preview the board: build, serve, rebuild and reload on every save",
        description="Build the board, serve it on this machine, and rebuild and reload the "
        "browser whenever a posting, template, static file or sitegen.toml changes.",
    )
    add_selection_options(serve_parser)
    serve_parser.add_argument(
        "--port", type=parse_port, default=8000, help="the port to listen on (default: 8000)"
    )
    serve_parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve_parser.add_argument(
        "--open", action="store_true", help="open the site in the web browser"
    )

    new_parser = commands.add_parser(
        "new",
        help="start a new posting (a draft) in content/jobs/",
        description="Write content/jobs/<slug>.md with every field filled in or commented, "
        "dated today and marked draft: true. Never overwrites a file.",
    )
    new_parser.add_argument("title", help='the job title, e.g. "Staff Data Engineer"')
    new_parser.add_argument(
        "--company", required=True, help='the hiring company, e.g. "Example Corp"'
    )

    init_parser = commands.add_parser(
        "init",
        help="create a new board in a new or empty folder",
        description="Create a working board: sitegen.toml, an example posting, an About page, "
        "netlify.toml, requirements.txt and .gitignore. Refuses a folder that is not empty.",
    )
    init_parser.add_argument("dir", type=Path, metavar="DIR", help="the folder to create")
    return parser


def options_from(args: argparse.Namespace) -> BuildOptions:
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
    )


def run_build(args: argparse.Namespace) -> int:
    # A one-shot build keeps what it makes until it ends and makes almost no cyclic
    # garbage: the cyclic collector would walk every posting again and again, and in the
    # forked workers write to memory they share with this process.
    gc.disable()
    report = build(options_from(args))
    print_warnings(report.warnings)
    print(report.summary())
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    report = check(options_from(args))
    print_warnings(report.warnings)
    content = report.content
    print(
        f"Checked {len(content.postings)} postings and {len(content.pages)} pages: no errors, {len(report.warnings)} warnings"
    )
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    # Imported here: the server's libraries are not needed by the other commands.
    from site_gen.server import ServeOptions, serve

    options = ServeOptions(
        build=options_from(args), host=args.host, port=args.port, open_browser=args.open
    )
    serve(options)
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    root = resolve_root(BuildOptions())
    path = new_posting(root, args.title, args.company, build_clock(None).date())
    print(
        f"Created {path.relative_to(root).as_posix()} (a draft: preview it with sitegen serve --drafts)"
    )
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    written = init_board(args.dir, build_clock(None).date())
    print(
        f"Created a board in {args.dir} ({len(written)} files). Next: cd {args.dir} && sitegen serve"
    )
    return EXIT_OK


def print_warnings(warnings: Sequence[object]) -> None:
    for warning in warnings:
        print(warning, file=sys.stderr)


COMMANDS = {
    "build": run_build,
    "check": run_check,
    "serve": run_serve,
    "new": run_new,
    "init": run_init,
}


def main(argv: Sequence[str] | None = None) -> int:
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
    except KeyboardInterrupt:
        print("Interrupted; the previous output was left as it was.", file=sys.stderr)
        return 130
