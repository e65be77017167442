"""Every case of the hostile corpus through ``sitegen build`` (``cli.main``), end to end.

Each case's board also holds a companion posting: a benign one when the case must build
(its page must be there, intact), a broken one when the case must fail (its error must be
reported too: one bad file never hides the others' problems). A previous output is in
place before every build; a failed build must leave it byte for byte, a successful one
must replace it, and nothing may be written outside the output folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.cache import CACHE_DIR
from site_gen.cli import main
from tests.helpers import posting_text
from tests.security.corpus import CASES, Case, posting
from tests.security.invariants import Baseline, check_site, read_output, tree_of

NOW = "2026-11-27T12:00:00Z"
COMPANION_ERROR = "content/jobs/zz-companion.md: title: required field is missing"


def make_board(tmp_path: Path, case: Case) -> Path:
    root = tmp_path / "board"
    (root / "content" / "jobs").mkdir(parents=True)
    (root / "sitegen.toml").write_text(case.config, encoding="utf-8")
    for relative, data in case.files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    for relative in case.links:
        secret = tmp_path / "outside" / Path(relative).name
        secret.parent.mkdir(exist_ok=True)
        secret.write_text(posting(title="Secret"), encoding="utf-8")
        (root / relative).symlink_to(secret)
    companion = posting_text(title="Companion") if not case.errors else posting(drop=("title",))
    (root / "content" / "jobs" / "zz-companion.md").write_text(companion, encoding="utf-8")
    (root / "output").mkdir()
    (root / "output" / "index.html").write_text("<p>the previous build</p>", encoding="utf-8")
    return root


def outside_output(tmp_path: Path) -> dict[str, bytes]:
    kept = ("board/output/", f"board/{CACHE_DIR}/")  # the site, and the build cache
    return {k: v for k, v in tree_of(tmp_path).items() if not k.startswith(kept)}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], baseline: Baseline
) -> None:
    root = make_board(tmp_path, case)
    previous = tree_of(root / "output")
    before = outside_output(tmp_path)

    code = main(["build", "--config", str(root / "sitegen.toml"), "--now", NOW])

    captured = capsys.readouterr()
    assert outside_output(tmp_path) == before, "the build wrote outside its output folder"
    if case.errors:
        count = len(case.errors) + 1
        by_file = sorted([*case.errors, COMPANION_ERROR], key=lambda line: line.split(":")[0])
        assert captured.err.splitlines() == [
            *by_file,
            f"Build failed: {count} problems; the previous output was left as it was.",
        ]
        assert code == 1
        assert tree_of(root / "output") == previous
    else:
        assert code == 0, captured.err
        assert all(": warning: " in line for line in captured.err.splitlines()), captured.err
        built = check_site(read_output(root / "output"), baseline, "jobs.example.com")
        assert built.files["index.html"] != previous["index.html"]
        assert built.posting_ld("zz-companion")["title"] == "Companion"
        if case.expect:
            case.expect(built)
