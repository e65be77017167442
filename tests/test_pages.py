"""Pages rendered from views: a mistake in a partial is reported at the partial's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.cli import main
from tests.helpers import posting_text, write_board


@pytest.mark.parametrize("jobs", ["1", "2"])  # cards rendered on the page; by the workers first
@pytest.mark.parametrize("partial", ["apply.html", "place.html"])  # on the page; on a card
def test_a_mistake_in_a_partial_compiled_into_the_page_names_the_partial_and_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    partial: str,
    jobs: str,
):
    postings = {f"job-{n}": posting_text(title=f"Job {n}") for n in range(3)}
    root = write_board(tmp_path, postings=postings)
    (root / "templates" / "partials").mkdir(parents=True)
    (root / "templates" / "partials" / partial).write_text("<p>\n{{ posting.no_such }}</p>\n")
    monkeypatch.chdir(root)
    assert main(["build", "--now", "2026-11-27", "--jobs", jobs]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert f"partials/{partial}:2: template error" in line and "no_such" in line
