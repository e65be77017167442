"""Messages are one line, whatever the file name, key or value they quote; a build's many
warnings are summed up."""

from __future__ import annotations

from site_gen.errors import EXAMPLES, WARNINGS_IN_FULL, Diagnostic, Severity, one_line, summed_up


def test_one_line_escapes_controls_separators_and_bidi_overrides() -> None:
    assert one_line("a\nb\r\x1b[2J\u2028\u202eok\tx") == "a\\nb\\r\\x1b[2J\\u2028\\u202eok\\tx"


def test_plain_text_is_unchanged() -> None:
    assert one_line("Zürich – 😀 <script>") == "Zürich – 😀 <script>"


def test_a_diagnostic_is_one_line() -> None:
    diagnostic = Diagnostic("content/jobs/a\nb.md", 3, "ti\ntle", "bad\nvalue")
    assert str(diagnostic) == "content/jobs/a\\nb.md:3: ti\\ntle: bad\\nvalue"


def warning(n: int, field: str | None, message: str) -> Diagnostic:
    return Diagnostic(f"content/jobs/p{n:03d}.md", None, field, message, Severity.WARNING)


def test_a_few_warnings_are_all_shown_in_order() -> None:
    warnings = [warning(n, "salary", "not set") for n in range(WARNINGS_IN_FULL)]
    assert summed_up(warnings) == [str(w) for w in warnings]


def test_many_warnings_show_a_few_of_each_kind_and_count_the_rest() -> None:
    no_end = [warning(n, "valid_through", "not set") for n in range(0, 60, 2)]
    no_pay = [warning(n, "salary", "not set") for n in range(1, 9, 2)]
    odd = warning(99, None, "not eligible for Google for Jobs")
    lines = summed_up(sorted([*no_end, *no_pay, odd]))
    assert lines == [
        *[str(w) for w in no_end[:EXAMPLES]],
        f"... and {len(no_end) - EXAMPLES} more files: valid_through: not set",
        *[str(w) for w in no_pay[:EXAMPLES]],
        "... and 1 more file: salary: not set",
        str(odd),
        "35 warnings in all; `sitegen check` lists every one",
    ]
