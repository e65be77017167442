"""Reading files: frontmatter split, YAML line numbers, encodings and broken files."""

import time
from pathlib import Path

import pytest

from site_gen.content import (
    _read_file,
    _unlinked_stat,
    decoded_text,
    parse_text,
    read_body,
    read_source,
    read_sources,
)


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


def test_numbers_that_are_not_numbers_stay_text():
    """YAML takes these for numbers, booleans or dates, then PyYAML cannot read them (and
    raised a bare ValueError, KeyError or AttributeError)."""
    yaml_text = (
        "a: 0b_\nb: 0x_\nc: ._\nd: !!int abc\ne: !!float x\nf: !!bool maybe\ng: !!timestamp x\n"
    )
    doc = parse_text(f"---\n{yaml_text}---\n", "a.md", "d")
    assert doc.problems == ()
    assert doc.fields == dict(a="0b_", b="0x_", c="._", d="abc", e="x", f="maybe", g="x")
    assert parse_text("---\nd: 2026-02-30\n---\n", "a.md", "d").fields == {"d": "2026-02-30"}


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


@pytest.mark.parametrize(
    "raw",
    [
        b"plain\n",
        b"\xef\xbb\xbfmark\r\nthen\rold mac\r\n\r\n",
        b"\xef\xbb\xbf\xef\xbb\xbftwo marks\n",  # the second is text (U+FEFF)
        "caf\u00e9 \u2026 \U0001f600\r\n".encode(),
        b"",
    ],
)
def test_decoded_text_is_the_utf8_sig_codec_with_line_ends_made_newlines(raw: bytes) -> None:
    expected = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    assert decoded_text(raw) == expected


@pytest.mark.parametrize(
    "raw", [b"caf\xe9\n", b"\xef\xbb\xbfa\nb\xff", b"\xef\xbb\xbf\x80", b"\xef\xbb"]
)
def test_decoded_text_fails_where_the_utf8_sig_codec_fails(raw: bytes) -> None:
    """Same error, same position (after the mark, as the codec counts): messages name the
    line and byte from it."""
    with pytest.raises(UnicodeDecodeError) as codec:
        raw.decode("utf-8-sig")
    with pytest.raises(UnicodeDecodeError) as ours:
        decoded_text(raw)
    assert (ours.value.start, ours.value.end, ours.value.reason) == (
        codec.value.start,
        codec.value.end,
        codec.value.reason,
    )


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


def problems(text: str) -> list[str]:
    return [str(p) for p in parse_text(text, "content/jobs/x.md", "").problems]


def test_an_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    started = time.perf_counter()
    found = problems("---\n" + "\n".join(lines) + "\n---\n")
    assert time.perf_counter() - started < 1
    assert found == [
        "content/jobs/x.md: invalid YAML: more than 10000 values; a posting needs far fewer"
    ]


def test_a_self_referencing_alias_is_refused() -> None:
    assert problems("---\ntags: &a [*a]\n---\n") == [
        "content/jobs/x.md: invalid YAML: an alias refers to the value that contains it"
    ]


def test_shared_aliases_within_the_limit_are_fine() -> None:
    doc = parse_text("---\nbase: &b {country: DE}\nlocation: [*b, *b]\n---\n", "x.md", "")
    assert doc.problems == ()
    assert doc.fields["location"] == [{"country": "DE"}, {"country": "DE"}]


def test_duplicate_keys_name_both_lines() -> None:
    text = "---\ntitle: A\ncompany:\n  name: B\n  name: C\ntitle: D\n---\n"
    assert problems(text) == [
        "content/jobs/x.md:5: company.name: appears twice (lines 4 and 5); keep one",
        "content/jobs/x.md:6: title: appears twice (lines 2 and 6); keep one",
    ]


def test_impossible_timestamps_stay_text_for_the_date_check() -> None:
    doc = parse_text(
        "---\ndate_posted: 2026-02-30\nok: 2026-11-27T23:30:00-08:00\n---\n", "x.md", ""
    )
    assert doc.fields["date_posted"] == "2026-02-30"
    assert doc.fields["ok"].day == 27


def test_control_characters_in_the_frontmatter_are_named_with_their_line() -> None:
    assert problems("---\ntitle: A\ncompany: B\x1bC\n---\n") == [
        "content/jobs/x.md:3: company: contains the control character U+001B; remove it"
    ]


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    assert problems('---\ntitle: "open\ncompany: B\nx: y\n---\n') == [
        "content/jobs/x.md:2: invalid YAML: found unexpected end of stream while scanning a quoted scalar"
    ]


def test_tab_indentation_gets_a_hint() -> None:
    (line,) = problems("---\nlocation:\n\t- country: DE\n---\n")
    assert line.startswith("content/jobs/x.md:3: invalid YAML: ")
    assert line.endswith("(indent with spaces, not tabs)")


def test_a_link_out_of_the_board_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: secret\n---\n")
    root = tmp_path / "board"
    (root / "content" / "jobs").mkdir(parents=True)
    (root / "content" / "jobs" / "x.md").symlink_to(secret)
    doc = read_source(root / "content" / "jobs" / "x.md", root)
    assert doc.fields == {}
    assert [str(p) for p in doc.problems] == [
        "content/jobs/x.md: is a link to a file outside the board; copy the file in"
    ]


def test_a_folder_linked_out_of_the_board_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_text("---\ntitle: secret\n---\n")
    root = tmp_path / "board"
    (root / "content").mkdir(parents=True)
    (root / "content" / "jobs").symlink_to(elsewhere)
    doc = read_source(root / "content" / "jobs" / "x.md", root)
    assert [str(p) for p in doc.problems] == [
        "content/jobs/x.md: is a link to a file outside the board; copy the file in"
    ]
    outside = read_source(root / "content" / ".." / ".." / "elsewhere" / "x.md", root)
    assert [p.message for p in outside.problems] == [
        "is a link to a file outside the board; copy the file in"
    ]


def test_links_within_the_board_are_read(tmp_path: Path) -> None:
    root = tmp_path / "board"
    (root / "shared").mkdir(parents=True)
    (root / "shared" / "x.md").write_text("---\ntitle: shared\n---\n")
    (root / "content").mkdir()
    (root / "content" / "jobs").symlink_to(root / "shared")
    (root / "shared" / "y.md").symlink_to("x.md")
    for name in ("x.md", "y.md"):
        doc = read_source(root / "content" / "jobs" / name, root)
        assert (doc.path, doc.fields, doc.problems) == (
            f"content/jobs/{name}",
            {"title": "shared"},
            (),
        )


def test_bom_and_crlf_are_read_as_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nBody\r\n")
    doc = read_source(path, tmp_path)
    assert (doc.fields, doc.body, doc.problems) == ({"title": "A"}, "Body\n", ())


def test_many_files_are_read_as_each_alone(tmp_path: Path) -> None:
    """``read_sources`` (as a worker reads a chunk) checks each folder for links once: a
    folder that is not a link is remembered, a link never is, and every file reads as it
    reads alone."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_text("---\ntitle: secret\n---\n")
    root = tmp_path / "board"
    (root / "content" / "jobs").mkdir(parents=True)
    (root / "content" / "jobs" / "a.md").write_text("---\ntitle: A\n---\nBody\n")
    (root / "content" / "jobs" / "b.md").write_text("---\ntitle: [\n---\n")
    (root / "content" / "linked").symlink_to(elsewhere)
    paths = [
        root / "content" / "jobs" / "a.md",
        root / "content" / "linked" / "x.md",
        root / "content" / "jobs" / "b.md",
        root / "content" / "jobs" / "missing.md",
        root / "content" / "linked" / "x.md",
    ]
    docs = read_sources(paths, root)
    assert docs == [read_source(path, root) for path in paths]
    assert (docs[0].fields, docs[0].problems) == ({"title": "A"}, ())
    refused = "is a link to a file outside the board; copy the file in"
    assert [p.message for p in docs[1].problems] == [refused]
    assert [p.message for p in docs[4].problems] == [refused]
    assert docs[2].problems[0].message.startswith("invalid YAML")
    assert docs[3].problems[0].message.startswith("cannot be read")


def test_a_folder_is_looked_at_once_for_many_files(tmp_path: Path) -> None:
    root = tmp_path / "board"
    (root / "content" / "jobs").mkdir(parents=True)
    paths = [root / "content" / "jobs" / f"{n}.md" for n in range(3)]
    folders: set[str] = set()
    assert _unlinked_stat(paths[0], root, "content/jobs/0.md", folders) is None  # no file
    assert folders == {str(root / "content"), str(root / "content" / "jobs")}
    paths[1].write_text("x")
    assert _unlinked_stat(paths[1], root, "content/jobs/1.md", folders) is not None
    paths[2].symlink_to(paths[1])
    assert _unlinked_stat(paths[2], root, "content/jobs/2.md", folders) is None  # a link


def test_a_file_that_grew_since_its_stat_is_read_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    data = b"---\ntitle: A\n---\n" + b"x" * 200_000
    path.write_bytes(data)
    assert _read_file(path, 10) == data
    assert _read_file(path, len(data)) == data
    assert _read_file(path, len(data) + 5) == data  # shrank: a short read is its end


def test_a_board_at_the_working_folder_is_found_unlinked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A board built from its own folder (root ``.``: ``Path(".") / rel`` is ``rel``) and
    one named by a relative or absolute path: a plain file is found at ``root/rel``
    without resolving any path."""
    (tmp_path / "board" / "content").mkdir(parents=True)
    (tmp_path / "board" / "content" / "a.md").write_text("x")
    monkeypatch.chdir(tmp_path / "board")
    for root in (Path("."), Path("../board"), tmp_path / "board"):
        path = root / "content" / "a.md"
        assert _unlinked_stat(path, root, "content/a.md", set()) is not None
        assert _unlinked_stat(path, root, "content/b.md", set()) is None  # not root/rel
