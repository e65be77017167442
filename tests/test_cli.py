"""The command line: usage errors, version, and that every command and option is documented."""

import argparse
import re
from pathlib import Path

import pytest

from site_gen import __version__
from site_gen.cli import main, make_parser

COMMANDS_DOC = Path(__file__).resolve().parent.parent / "docs" / "commands.md"


def test_version(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"sitegen {__version__}\n"


@pytest.mark.parametrize(
    "argv", [[], ["frobnicate"], ["build", "--no-such-flag"], ["build", "--now", "soon"]]
)
def test_usage_errors_exit_2(argv: list[str]):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2


def commands_and_options() -> list[tuple[str, str]]:
    parser = make_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    found = []
    for name, command in sub.choices.items():
        found.append((name, ""))
        for action in command._actions:
            found += [
                (name, opt)
                for opt in action.option_strings
                if opt.startswith("--") and opt != "--help"
            ]
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
