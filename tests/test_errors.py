"""Messages are one line, whatever the file name, key or value they quote."""

from __future__ import annotations

from site_gen.errors import Diagnostic, one_line


def test_one_line_escapes_controls_separators_and_bidi_overrides() -> None:
    assert one_line("a\nb\r\x1b[2J\u2028\u202eok\tx") == "a\\nb\\r\\x1b[2J\\u2028\\u202eok\\tx"


def test_plain_text_is_unchanged() -> None:
    assert one_line("Zürich – 😀 <script>") == "Zürich – 😀 <script>"


def test_a_diagnostic_is_one_line() -> None:
    diagnostic = Diagnostic("content/jobs/a\nb.md", 3, "ti\ntle", "bad\nvalue")
    assert str(diagnostic) == "content/jobs/a\\nb.md:3: ti\\ntle: bad\\nvalue"
