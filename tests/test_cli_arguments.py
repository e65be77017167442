"""The command line's arguments: every command and option is documented, and each short
flag means its long one."""

import argparse
import re
from pathlib import Path

import pytest

from site_gen.cli_arguments import make_parser

COMMANDS_DOC = Path(__file__).resolve().parent.parent / "docs" / "commands.md"


def commands_and_options() -> list[tuple[str, str]]:
    parser = make_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    found = []
    for name, command in sub.choices.items():
        found.append((name, ""))
        for action in command._actions:
            found += [(name, opt) for opt in action.option_strings if opt not in ("-h", "--help")]
    return found


@pytest.mark.parametrize(("command", "option"), commands_and_options())
def test_every_command_and_option_is_documented(command: str, option: str):
    doc = COMMANDS_DOC.read_text()
    assert re.search(rf"`sitegen {command}\b", doc), (
        f"docs/commands.md does not document `sitegen {command}`"
    )
    if option:
        assert f"`{option}" in doc, (
            f"docs/commands.md does not document {option} of sitegen {command}"
        )


SHORT_FLAGS = {
    "build": {
        "-D": "--drafts",
        "-F": "--future",
        "-o": "--output",
        "-b": "--base-url",
        "-c": "--config",
        "-q": "--quiet",
        "-v": "--verbose",
    },
    "check": {"-D": "--drafts", "-F": "--future", "-b": "--base-url", "-c": "--config"},
    "serve": {
        "-D": "--drafts",
        "-F": "--future",
        "-p": "--port",
        "-c": "--config",
        "-q": "--quiet",
    },
}


@pytest.mark.parametrize(
    ("command", "short", "long"),
    [(c, s, long) for c, flags in SHORT_FLAGS.items() for s, long in flags.items()],
)
def test_short_flags_mean_their_long_ones(command: str, short: str, long: str, board: Path):
    sub = next(
        a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction)
    ).choices[command]
    (action,) = [a for a in sub._actions if long in a.option_strings]
    assert short in action.option_strings
    value = {"--port": "8123", "--base-url": "https://x.example/"}.get(long)
    value = value or (str(board / "sitegen.toml") if long == "--config" else "out")
    argv = [command, short] + ([] if action.nargs == 0 else [value])
    assert vars(make_parser().parse_args(argv)) == vars(
        make_parser().parse_args([command, long, *argv[2:]])
    )
