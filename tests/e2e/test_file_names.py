"""Class 7 of issue 17: every file name the build meets gives a clean build or a one-line
error naming it, and no message the build prints can forge a line or drive the terminal.

A name whose bytes are not UTF-8 is an error (its slug, URL and cache record need text),
shown with those bytes as ``\\xNN``; a name with control characters, line breaks or
bidirectional controls builds (its slug is made of its letters) and is shown escaped
wherever a message names it.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen.cli import main
from site_gen.errors import Diagnostic, one_line
from site_gen.text import FORBIDDEN_CHARS, escaped
from tests.helpers import posting_text, tree_bytes, write_board

NOW = "2026-11-27T12:00:00Z"


def build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["build", "--config", str(root / "sitegen.toml"), "--now", NOW])
    return code, capsys.readouterr().err.splitlines()


def bytes_name(folder: Path, name: bytes) -> Path:
    return Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (b"caf\xe9.md", "caf\\xe9.md"),  # Latin-1
        (b"\xff\xfe.md", "\\xff\\xfe.md"),
        (b"job-\xc3.md", "job-\\xc3.md"),  # a UTF-8 sequence cut short
        (b"\xed\xa0\x80.md", "\\xed\\xa0\\x80.md"),  # a surrogate encoded as UTF-8
        (b"x\x1b[31m\xff.md", "x\\x1b[31m\\xff.md"),
    ],
)
@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_a_name_that_is_not_utf8_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: bytes, shown: str, cache: str
) -> None:
    root = write_board(tmp_path / "board", postings={"good": posting_text()})
    if cache == "warm":  # the build cache knows the other files: a lookup per name
        assert build(root, capsys)[0] == 0
    before = tree_bytes(root / "output") if cache == "warm" else {}
    bytes_name(root / "content" / "jobs", name).write_text(posting_text(), encoding="utf-8")
    code, lines = build(root, capsys)
    assert code == 1
    assert lines == [
        f"content/jobs/{shown}: the file name is not valid UTF-8; rename the file",
        "Build failed: 1 problem; the previous output was left as it was.",
    ]
    if cache == "warm":
        assert tree_bytes(root / "output") == before


def test_a_page_name_that_is_not_utf8_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_board(tmp_path / "board", postings={"good": posting_text()})
    page = bytes_name(root / "content" / "pages", b"\xe4bout.md")
    page.write_text("---\ntitle: About\n---\nHi\n", encoding="utf-8")
    code, lines = build(root, capsys)
    assert (code, lines[0]) == (
        1,
        "content/pages/\\xe4bout.md: the file name is not valid UTF-8; rename the file",
    )


@pytest.mark.parametrize(
    ("name", "slug", "shown"),
    [
        (
            "evil\n2026-01-01 ok.md: fine",
            "evil-2026-01-01-ok-md-fine",
            "evil\\n2026-01-01 ok.md: fine",
        ),
        ("x\x1b[2J\x1b]0;owned\x07", "x-2j-0-owned", "x\\x1b[2J\\x1b]0;owned\\x07"),
        ("\u202egnp.exe", "gnp-exe", "\\u202egnp.exe"),
        ("a\rb\u2028c\x85d", "a-b-cd", "a\\rb\\u2028c\\x85d"),
    ],
)
def test_names_with_controls_build_and_are_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, slug: str, shown: str
) -> None:
    root = write_board(tmp_path / "board", postings={name: posting_text(salary=None)})
    code, lines = build(root, capsys)
    assert code == 0, lines
    assert (root / "output" / "jobs" / slug / "index.html").is_file()
    warnings = [line for line in lines if ": warning: " in line]
    assert warnings == [
        f"content/jobs/{shown}.md: warning: salary: not set; postings with pay get more "
        "applicants and show in salary filters"
    ]
    (root / "content" / "jobs" / f"{name}.md").write_text("no frontmatter", encoding="utf-8")
    code, lines = build(root, capsys)
    assert code == 1
    assert lines[0].startswith(f"content/jobs/{shown}.md:1: no frontmatter")
    assert len(lines) == 2


# --- the one escaping function ---------------------------------------------------------

LINE_BREAKING = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
REORDERING = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_escaping_shows_every_dangerous_character_as_an_escape() -> None:
    assert escaped("a\nb\r\x1b[2J\u2028\u202eok\tx") == "a\\nb\\r\\x1b[2J\\u2028\\u202eok\\tx"
    assert escaped("\x85\x9b\x7f\ufdd0\uffff\U0010ffff") == (
        "\\x85\\x9b\\x7f\\ufdd0\\uffff\\U0010ffff"
    )
    assert escaped(os.fsdecode(b"caf\xe9")) == "caf\\xe9"
    assert escaped("\ud800") == "\\ud800"  # a lone surrogate that is no byte
    assert escaped("Zürich – 😀 <b> \\n") == "Zürich – 😀 <b> \\n"


def test_messages_printed_by_the_cli_use_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert one_line("\x1b\udcff") == escaped("\x1b\udcff")
    diagnostic = Diagnostic("content/jobs/a\x1b\udcff.md", 3, "ti\ntle", "bad\u202evalue")
    assert str(diagnostic) == "content/jobs/a\\x1b\\xff.md:3: ti\\ntle: bad\\u202evalue"


@settings(max_examples=500)
@given(
    text=st.text(
        st.one_of(
            st.characters(), st.integers(0xD800, 0xDFFF).map(chr), st.sampled_from(REORDERING)
        ),
        max_size=40,
    )
)
def test_any_text_escaped_is_one_safe_line(text: str) -> None:
    shown = escaped(text)
    shown.encode("utf-8")  # no surrogate left: printable on any UTF-8 terminal
    assert not any(c in shown for c in LINE_BREAKING + REORDERING + "\t")
    assert FORBIDDEN_CHARS.search(shown) is None
    assert all(unicodedata.category(c) != "Cc" for c in shown)
