"""The ``sitegen`` command's arguments: every command, its options and their help, and the
checks that make a bad value a usage error (exit code 2) naming the option.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from site_gen import __version__


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


def config_file(text: str) -> Path:
    """``--config`` names a file that exists: a typo must not build with default settings."""
    path = Path(text)
    if not path.is_file():
        problem = "is a folder, not a file" if path.is_dir() else "no such file"
        raise argparse.ArgumentTypeError(f"{text}: {problem}")
    return path


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """What to include, which board, and how much to say: shared by build, check and serve."""
    parser.add_argument(
        "-D", "--drafts", action="store_true", help="include postings marked draft: true"
    )
    parser.add_argument(
        "-F", "--future", action="store_true", help="include postings dated in the future"
    )
    add_config_option(parser)
    talk = parser.add_mutually_exclusive_group()
    talk.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only warnings and errors: no progress, no summary",
    )
    talk.add_argument(
        "-v", "--verbose", action="store_true", help="also print how long each build stage took"
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
        "-b",
        "--base-url",
        metavar="URL",
        help="the URL the site is served from, overriding sitegen.toml",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--jobs",
        type=positive_int,
        metavar="N",
        help="worker processes for parsing and rendering (default: one per core)",
    )


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-c",
        "--config",
        type=config_file,
        metavar="FILE",
        help="the board's sitegen.toml (default: ./sitegen.toml); the board root is its folder",
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
        "-o",
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
        "-p",
        "--port",
        type=parse_port,
        help="the port to listen on (default: 8000, or the next free port if 8000 is busy)",
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
    new_parser.add_argument("title", nargs="?", help='the job title, e.g. "Staff Data Engineer"')
    new_parser.add_argument("--company", help='the hiring company, e.g. "Example Corp"')
    new_parser.add_argument(
        "--from-issue",
        type=Path,
        metavar="EVENT_JSON",
        help="write the posting of a GitHub issue from the Post a job form, given the issues "
        "event payload ($GITHUB_EVENT_PATH); problems are printed as field: message lines",
    )

    add_notify_parser(commands)

    init_parser = commands.add_parser(
        "init",
        help="create a new board in a new or empty folder",
        description="Create a working board: sitegen.toml, an example posting, an About page, "
        "netlify.toml, requirements.txt and .gitignore. The folder may hold version control "
        "metadata (.git), editor files (.vscode, .idea, *.swp) and a README or LICENSE; "
        "anything else, and above all a file it would overwrite, is refused.",
    )
    init_parser.add_argument("dir", type=Path, metavar="DIR", help="the folder to create")
    add_import_parser(commands)
    return parser


def add_notify_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    notify_parser = commands.add_parser(
        "notify",
        help="after a deploy, tell Google and IndexNow which job pages changed",
        description="Compare the board just built with the previously deployed one and send "
        "Google's Indexing API and IndexNow the job URLs that are new, changed, removed or "
        "expired. Settings: the [notify] table of sitegen.toml. Writes nothing.",
    )
    notify_parser.add_argument(
        "--previous",
        required=True,
        metavar="URL_OR_FOLDER",
        help="the previously deployed board: its base URL, or a folder holding its files",
    )
    notify_parser.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="the new build (default: output_dir from sitegen.toml, 'output')",
    )
    notify_parser.add_argument(
        "--dry-run", action="store_true", help="print what would be sent; send nothing"
    )
    add_config_option(notify_parser)


def add_import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "import",
        help="import postings from Greenhouse, Lever or Ashby into content/jobs/",
        description="Read a company's public job board (or a saved response of its API) and "
        "write one posting per job into content/jobs/: new jobs are added, changed ones "
        "updated, jobs that disappeared closed (valid_through). Files edited by hand are kept.",
    )
    parser.add_argument("system", choices=("greenhouse", "lever", "ashby"), help="the system")
    parser.add_argument(
        "name",
        help="Greenhouse: the board token; Lever: the company (site); Ashby: the job board name",
    )
    parser.add_argument(
        "--from", dest="from_file", type=Path, metavar="FILE", help="a saved API response to read"
    )
    parser.add_argument(
        "--company", help="the company name on the postings (default: from the API, else NAME)"
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite or close postings edited by hand"
    )
    parser.add_argument(
        "--api-url",
        metavar="URL",
        help="the API's base URL (Lever's EU boards: https://api.eu.lever.co)",
    )
