"""The preview's early pages: an edited description's page, written before the rebuild."""

from __future__ import annotations

from pathlib import Path

from site_gen.build import BuildOptions, IncrementalBuilder
from tests.helpers import NOW, posting_text, write_board

PAGE = "jobs/a/index.html"
# Longer than a summary (300 characters): an edit further down changes the page alone.
INTRO = "We are a small team that ships a job board every week. " * 8 + "\n\n"


def board(tmp_path: Path) -> Path:
    return write_board(
        tmp_path / "board",
        {
            "a": posting_text(
                INTRO + "We build things.\n", title="Backend Engineer", tags=["python"]
            ),
            "b": posting_text(title="Data Engineer", tags=["python", "sql"]),
        },
    )


def test_an_edited_description_gets_its_page_before_the_rebuild_and_it_is_the_rebuilds(
    tmp_path: Path,
) -> None:
    root = board(tmp_path)
    posting = root / "content" / "jobs" / "a.md"
    with IncrementalBuilder(BuildOptions(root=root, now=NOW, jobs=1)) as builder:
        output = builder.build().output
        posting.write_text(
            posting_text(
                INTRO + "We build **better** things.\n", title="Backend Engineer", tags=["python"]
            )
        )
        assert builder.edited_pages([posting]) == [PAGE]
        early = (output / PAGE).read_bytes()
        assert b"<strong>better</strong>" in early
        report = builder.rebuild([posting])
    assert (output / PAGE).read_bytes() == early
    # The rebuild found the page already right; of the other files only the manifest of what
    # each page shows (for sitegen notify) changed: feeds and the search index hold summaries.
    assert report.written.changed == ("sitegen-jobs.json",)


def test_other_edits_wait_for_the_rebuild(tmp_path: Path) -> None:
    root = board(tmp_path)
    jobs = root / "content" / "jobs"
    with IncrementalBuilder(BuildOptions(root=root, now=NOW, jobs=1)) as builder:
        output = builder.build().output
        before = (output / PAGE).read_bytes()
        (jobs / "a.md").write_text(posting_text(title="Senior Backend Engineer", tags=["python"]))
        assert builder.edited_pages([jobs / "a.md"]) == []  # the title shows in lists too
        (jobs / "a.md").write_text("---\ntitle: [broken\n---\n")
        assert builder.edited_pages([jobs / "a.md"]) == []
        (jobs / "c.md").write_text(posting_text(title="New Role"))
        assert builder.edited_pages([jobs / "c.md"]) == []  # not in the last build
        assert builder.edited_pages([root / "sitegen.toml"]) == []
        assert (output / PAGE).read_bytes() == before


def test_nothing_is_written_before_the_first_build(tmp_path: Path) -> None:
    root = board(tmp_path)
    with IncrementalBuilder(BuildOptions(root=root, now=NOW, jobs=1)) as builder:
        assert builder.edited_pages([root / "content" / "jobs" / "a.md"]) == []
