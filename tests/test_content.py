"""Reading files: frontmatter split, YAML line numbers, encodings and broken files."""

from pathlib import Path

from site_gen.content import parse_text, read_body, read_source


def test_key_lines_point_at_the_file_lines():
    text = "---\ntitle: x\nsalary:\n  min: 1\n  max: 2\nlocation:\n  - country: DE\n---\nbody\n"
    doc = parse_text(text, "a.md", "d")
    assert doc.key_lines == {
        "title": 2,
        "salary": 3,
        "salary.min": 4,
        "salary.max": 5,
        "location": 6,
        "location.0": 7,
        "location.0.country": 7,
    }
    assert doc.body == "body\n"
    assert doc.body_line == 9


def test_a_horizontal_rule_in_the_body_is_not_a_frontmatter_boundary():
    text = "---\ntitle: x\n---\nIntro\n\n---\n\nAfter the rule\n"
    doc = parse_text(text, "a.md", "d")
    assert doc.fields == {"title": "x"}
    assert doc.body == "Intro\n\n---\n\nAfter the rule\n"


def test_bad_yaml_reports_its_line():
    doc = parse_text("---\ntitle: x\nsalary: [1, 2\n---\nbody\n", "a.md", "d")
    (problem,) = doc.problems
    assert problem.line == 4
    assert problem.message.startswith("invalid YAML: ")


def test_missing_frontmatter_is_a_problem_not_an_exception():
    doc = parse_text("Just a description\n", "content/jobs/a.md", "d")
    assert [str(p) for p in doc.problems] == [
        "content/jobs/a.md:1: no frontmatter: a posting starts with a line '---', "
        "its YAML fields, and another '---'"
    ]


def test_unclosed_frontmatter():
    doc = parse_text("---\ntitle: x\n", "a.md", "d")
    assert doc.problems[0].message == "frontmatter is not closed: add a line '---' after the fields"


def test_frontmatter_that_is_not_a_mapping():
    doc = parse_text("---\n- a\n- b\n---\nbody\n", "a.md", "d")
    assert "must be a mapping" in doc.problems[0].message


def test_bom_and_crlf_are_accepted(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nline one\r\nline two\r\n")
    doc = read_source(path, tmp_path)
    assert doc.problems == ()
    assert doc.fields == {"title": "x"}
    assert doc.body == "line one\nline two\n"
    assert read_body(tmp_path, "a.md", doc.body_line) == doc.body


def test_non_utf8_bytes_name_the_line(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: caf\xe9\n---\nbody\n")
    (problem,) = read_source(path, tmp_path).problems
    assert str(problem) == "a.md:2: not valid UTF-8 text (byte 0xe9); save the file as UTF-8"


def test_alias_bomb_is_rejected_quickly():
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 9) + "]")
    lines += ["title: bomb", "---", "body"]
    doc = parse_text("\n".join(lines), "a.md", "d")
    # Each node is visited once, so line collection is linear; the data shares references.
    assert doc.problems == () or "invalid YAML" in doc.problems[0].message
