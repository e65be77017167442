"""Worker count never changes the output; the incremental builder equals a full build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_gen import parallel
from site_gen.build import BuildOptions, IncrementalBuilder
from site_gen.pages import Pages, View
from site_gen.parallel import MIN_FORKED
from tests.conftest import run_build
from tests.e2e.boards import big_board, posting
from tests.helpers import NOW, tree_bytes

COUNT = 60  # enough for several chunks per worker


def test_one_two_and_eight_workers_write_identical_trees(tmp_path: Path) -> None:
    board = big_board(tmp_path / "board", 2 * COUNT)
    run_build(board, jobs=1, cache=False, output=tmp_path / "one")
    one = tree_bytes(tmp_path / "one")
    assert len(one) > MIN_FORKED  # enough pages for the workers to be forked
    for jobs in (2, 8):
        run_build(board, jobs=jobs, cache=False, output=tmp_path / f"jobs-{jobs}")
        assert tree_bytes(tmp_path / f"jobs-{jobs}") == one


def test_workers_retiring_after_every_chunk_write_the_same_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers make each view from its index: fresh forks taking over after every
    chunk of pages (each worker retiring at once) make the same pages as one process."""
    board = big_board(tmp_path / "board", 2 * COUNT)
    run_build(board, jobs=1, cache=False, output=tmp_path / "whole")
    monkeypatch.setattr(parallel, "worker_share", lambda jobs: 0)
    run_build(board, jobs=2, cache=False, output=tmp_path / "chunked")
    assert tree_bytes(tmp_path / "chunked") == tree_bytes(tmp_path / "whole")
    run_build(board, jobs=2, output=tmp_path / "cached")
    report = run_build(board, jobs=2, output=tmp_path / "cached")
    assert report.written.written == 0
    assert tree_bytes(tmp_path / "cached") == tree_bytes(tmp_path / "whole")


def test_worker_count_does_not_change_cached_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_POOLED", COUNT // 2)  # the postings compiled by the pool
    board = big_board(tmp_path / "board", COUNT)
    run_build(board, jobs=2, output=tmp_path / "two")
    shutil.rmtree(board / ".sitegen-cache")
    run_build(board, jobs=1, output=tmp_path / "one")
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_errors_are_reported_in_file_order_whatever_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_POOLED", COUNT // 2)  # the postings compiled by the pool
    board = big_board(tmp_path / "board", COUNT)
    jobs = board / "content" / "jobs"
    for name in ("job-00003", "job-00041"):
        (jobs / f"{name}.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    messages = []
    for workers in (1, 2):
        try:
            run_build(board, jobs=workers, cache=False)
        except Exception as exc:  # ContentErrors
            messages.append(str(exc))
    assert len(messages) == 2
    assert messages[0] == messages[1]
    assert messages[0].index("job-00003") < messages[0].index("job-00041")


def full_build(board: Path, out: Path) -> dict[str, bytes]:
    run_build(board, cache=False, output=out, jobs=1)
    return tree_bytes(out)


def test_incremental_rebuilds_equal_full_builds(tmp_path: Path) -> None:
    import random

    board = big_board(tmp_path / "board", COUNT)
    jobs = board / "content" / "jobs"
    rng = random.Random(7)
    options = BuildOptions(root=board, now=NOW, jobs=2)
    with IncrementalBuilder(options) as builder:
        builder.build()
        assert tree_bytes(board / "output") == full_build(board, tmp_path / "full0")

        edited = jobs / "job-00010.md"
        edited.write_text(edited.read_text().replace("Engineer 10", "Engineer Ten"))
        report = builder.rebuild([edited])
        # Its page and the pages, feeds and index that show its title (cards of similar
        # postings, listings, facet pages): a fraction of the site.
        assert 0 < report.written.written < report.written.unchanged / 2
        assert tree_bytes(board / "output") == full_build(board, tmp_path / "full1")

        added = jobs / "job-new.md"
        added.write_text(posting(999, rng))
        deleted = jobs / "job-00020.md"
        deleted.unlink()
        builder.rebuild([added, deleted])
        assert tree_bytes(board / "output") == full_build(board, tmp_path / "full2")
        assert not (board / "output" / "jobs" / "job-00020").exists()

        template = board / "templates" / "partials" / "footer.html"
        template.parent.mkdir(parents=True)
        template.write_text("<footer>New footer</footer>\n")
        builder.rebuild([template])
        assert tree_bytes(board / "output") == full_build(board, tmp_path / "full3")

        report = builder.rebuild([])
        assert report.written.written == 0

        tail = jobs / "job-00030.md"  # an edit below the summary: only its page changes
        tail.write_text(tail.read_text() + "\nOne more paragraph.\n")
        report = builder.rebuild([tail])
        assert report.written.written == 1
        assert tree_bytes(board / "output") == full_build(board, tmp_path / "full4")


def test_jobs_must_be_positive(board: Path, capsys, monkeypatch) -> None:
    from site_gen.cli import main

    monkeypatch.chdir(board)
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--jobs", "0"])
    assert exit_info.value.code == 2
    assert "--jobs: expected a whole number of at least 1, got '0'" in capsys.readouterr().err


def test_no_cache_leaves_no_cache_folder(board: Path, monkeypatch) -> None:
    from site_gen.cli import main

    monkeypatch.chdir(board)
    assert main(["build", "--no-cache", "--jobs", "2", "--now", "2026-11-27"]) == 0
    assert (board / "output" / "index.html").is_file()
    assert not (board / ".sitegen-cache").exists()


def test_workers_do_not_rewrite_pages_the_output_already_holds(tmp_path: Path) -> None:
    board = big_board(tmp_path / "board", COUNT)
    run_build(board, jobs=2)
    before = tree_bytes(board / "output")
    inodes = {p: p.stat().st_ino for p in (board / "output" / "jobs").rglob("index.html")}
    shutil.rmtree(board / ".sitegen-cache")  # the manifest too: the workers compare bytes
    report = run_build(board, jobs=2)
    assert report.written.written == 0
    assert report.written.unchanged == len(before)
    assert tree_bytes(board / "output") == before
    assert {p: p.stat().st_ino for p in inodes} == inodes  # linked into place, not rewritten


def test_workers_write_a_restored_cache_pages_without_rendering_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI build on several cores: a fresh clone, only .sitegen-cache/ restored."""
    board = big_board(tmp_path / "board", 2 * COUNT)
    run_build(board, jobs=2)
    built = tree_bytes(board / "output")
    clone = tmp_path / "clone"
    shutil.copytree(board, clone, ignore=shutil.ignore_patterns("output"))
    renders = tmp_path / "renders.log"  # appended to by whichever process renders
    render = Pages.render

    def logged(self: Pages, view: View) -> bytes:
        with renders.open("a") as log:
            log.write(f"{view.path}\n")
        return render(self, view)

    monkeypatch.setattr(Pages, "render", logged)
    report = run_build(clone, jobs=2)
    assert not renders.exists()
    assert report.written.written == len(built)
    assert tree_bytes(clone / "output") == built
    (clone / "content" / "jobs" / "job-00007.md").unlink()  # other pages change: rendered
    run_build(clone, jobs=2)
    assert "jobs/job-00007/index.html" not in renders.read_text()
    assert "index.html" in renders.read_text().split()
