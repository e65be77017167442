"""sitegen new and sitegen init: what they write is valid, complete, and never overwrites."""

from __future__ import annotations

import re
import subprocess
import tomllib
from datetime import date
from pathlib import Path

import pytest
import yaml

from site_gen import __version__
from site_gen.authoring import init_board, new_posting, yaml_text
from site_gen.cli import main
from site_gen.content import read_source
from site_gen.errors import SitegenError
from site_gen.models import Frontmatter, Posting
from site_gen.validate import validate_posting
from tests.conftest import run_build
from tests.helpers import parse_html

TODAY = date(2026, 11, 27)
REPO = Path(__file__).resolve().parent.parent


def posting_at(root: Path, path: Path) -> Posting:
    result = validate_posting(read_source(path, root), "comrak")
    assert isinstance(result, Posting), result
    return result


def test_new_writes_a_valid_draft_dated_today(board: Path) -> None:
    path = new_posting(board, "Staff Data Engineer", "Example Corp", TODAY)
    assert path == board / "content" / "jobs" / "staff-data-engineer.md"
    posting = posting_at(board, path)
    assert (posting.title, posting.company.name) == ("Staff Data Engineer", "Example Corp")
    assert posting.date_posted == TODAY
    assert posting.valid_through == date(2026, 12, 27)
    assert posting.draft is True


def test_new_names_every_field_of_the_contract(board: Path) -> None:
    text = new_posting(board, "Staff Data Engineer", "Example Corp", TODAY).read_text()
    frontmatter = text.split("---\n")[1]
    filled = set(yaml.safe_load(frontmatter))
    commented = set(re.findall(r"^# ([a-z_]+):", frontmatter, re.MULTILINE))
    in_file = {"source" if f == "imported_from" else f for f in Frontmatter.model_fields}
    assert in_file <= filled | commented
    assert {"title", "company", "date_posted", "apply_url", "draft"} <= filled


@pytest.mark.parametrize(
    "title",
    ["Engineer: Platform & Data", 'The "Best" Job #1', "Ingénieur·e à Zürich", "yes", "2026"],
)
def test_new_keeps_awkward_titles_exactly(board: Path, title: str) -> None:
    path = new_posting(board, title, "ACME: Inc.", TODAY)
    posting = posting_at(board, path)
    assert (posting.title, posting.company.name) == (title, "ACME: Inc.")


def test_new_refuses_to_overwrite(board: Path) -> None:
    path = new_posting(board, "Staff Data Engineer", "Example Corp", TODAY)
    path.write_text("my edits")
    with pytest.raises(SitegenError, match=r"staff-data-engineer\.md already exists"):
        new_posting(board, "Staff Data Engineer!", "Other Corp", TODAY)
    assert path.read_text() == "my edits"


def test_new_refuses_a_title_without_letters(board: Path) -> None:
    with pytest.raises(SitegenError, match="cannot make a file name"):
        new_posting(board, "???", "Example Corp", TODAY)


def test_new_draft_builds_and_shows_only_with_drafts(board: Path) -> None:
    new_posting(board, "Staff Data Engineer", "Example Corp", TODAY)
    run_build(board)
    assert not (board / "output" / "jobs" / "staff-data-engineer").exists()
    run_build(board, drafts=True)
    page = parse_html(board / "output" / "jobs" / "staff-data-engineer" / "index.html")
    assert page.xpath("//h1/span[contains(@class, 'badge-draft')]/text()") == ["Draft"]


def test_yaml_text_round_trips() -> None:
    for value in ["plain", "a: b", "#hash", "no", "null", "[x]", "'q'", " lead", "x\ny"]:
        assert yaml.safe_load(yaml_text(value)) == value


def test_init_creates_a_board_that_builds(tmp_path: Path) -> None:
    folder = tmp_path / "new-board"
    written = init_board(folder, TODAY)
    names = {p.relative_to(folder).as_posix() for p in written}
    assert {
        "sitegen.toml",
        "netlify.toml",
        ".gitignore",
        "content/pages/about.md",
        "content/pages/post-a-job.md",
        "content/jobs/example-backend-engineer.md",
    } <= names
    assert "output/" in (folder / ".gitignore").read_text().splitlines()

    report = run_build(folder)
    assert [p.slug for p in report.site.published] == ["example-backend-engineer"]
    about = parse_html(folder / "output" / "about" / "index.html")
    assert about.xpath("//h1/text()") == ["About this board"]
    assert (folder / "output" / "jobs" / "example-backend-engineer" / "index.html").is_file()
    post = parse_html(folder / "output" / "post-a-job" / "index.html")  # the form, ready
    assert post.xpath("//form[@id='pf-form']") and post.xpath("//script[@id='post-job-rules']")


def test_init_deploys_like_this_repository(tmp_path: Path) -> None:
    """The new board's netlify.toml is the repository's, but sitegen comes from requirements.txt."""
    init_board(tmp_path / "b", TODAY)
    ours = (tmp_path / "b" / "netlify.toml").read_text()
    repo = (REPO / "netlify.toml").read_text().replace("pip install . && ", "")
    assert tomllib.loads(ours) == tomllib.loads(repo)


def test_init_requires_this_sitegen_by_its_distribution_name(tmp_path: Path) -> None:
    """The host installs the sitegen that made the board, by the name it has on PyPI."""
    init_board(tmp_path / "b", TODAY)
    text = (tmp_path / "b" / "requirements.txt").read_text()
    requirements = [line for line in text.splitlines() if line and not line.startswith("#")]
    name = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["name"]
    assert name != "sitegen"  # an unrelated project on PyPI
    assert requirements == [f"{name}=={__version__}"]
    assert f"{name} @ git+https://" in text and f"@v{__version__}\n" in text
    assert "$" not in text


def test_init_never_writes_an_indexnow_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys belong in the host's secret settings, not in the repository, even when one is set."""
    monkeypatch.setenv("SITEGEN_INDEXNOW_KEY", "0123456789abcdef0123")
    written = init_board(tmp_path / "b", TODAY)
    for path in written:
        assert "0123456789abcdef0123" not in path.read_text(), path
    config = tomllib.loads((tmp_path / "b" / "sitegen.toml").read_text())
    assert "indexnow_key" not in config.get("notify", {})
    assert not (tmp_path / "b" / "0123456789abcdef0123.txt").exists()


def test_init_accepts_an_empty_folder_and_refuses_anything_else(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert init_board(empty, TODAY)
    with pytest.raises(SitegenError, match=r"empty/\S+: already exists, and sitegen init would ov"):
        init_board(empty, TODAY)
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(SitegenError, match="file: not a folder"):
        init_board(a_file, TODAY)


def test_init_accepts_a_fresh_repository_and_leaves_it_alone(tmp_path: Path) -> None:
    """A folder after ``git init`` (a real one), with editor files, a README and a LICENSE."""
    folder = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    leftovers = {
        ".gitattributes": "* text=auto\n",
        ".vscode/settings.json": "{}",
        ".idea/workspace.xml": "<project/>",
        ".DS_Store": "x",
        ".notes.md.swp": "x",
        "README.md": "# Our jobs\n",
        "LICENSE": "MIT\n",
    }
    for name, text in leftovers.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    head = (folder / ".git" / "HEAD").read_bytes()
    assert {p.name for p in init_board(folder, TODAY)} >= {"sitegen.toml", ".gitignore"}
    for name, text in leftovers.items():
        assert (folder / name).read_text() == text
    assert (folder / ".git" / "HEAD").read_bytes() == head
    assert [p.slug for p in run_build(folder).site.published] == ["example-backend-engineer"]


@pytest.mark.parametrize("name", [".gitignore", "sitegen.toml", "netlify.toml", "requirements.txt"])
def test_init_refuses_to_overwrite_a_file_and_names_it(tmp_path: Path, name: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_text("mine\n")
    with pytest.raises(SitegenError) as error:
        init_board(tmp_path, TODAY)
    assert str(error.value) == (
        f"{tmp_path / name}: already exists, and sitegen init would overwrite it; "
        "move it away, or create the board in a new folder"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".git", name])  # nothing written
    assert (tmp_path / name).read_text() == "mine\n"


def test_init_refuses_a_folder_with_other_files_and_names_them(tmp_path: Path) -> None:
    for name in (".git", "index.html", "notes.txt", "photos", "zz.csv"):
        (tmp_path / name).mkdir() if "." not in name[1:] else (tmp_path / name).write_text("x")
    with pytest.raises(SitegenError) as error:
        init_board(tmp_path, TODAY)
    assert str(error.value) == (
        f"{tmp_path}: not an empty folder (it holds index.html, notes.txt, photos and 1 more); "
        "sitegen init creates a board in a new folder, or one holding only version control "
        "and editor files"
    )
    assert not (tmp_path / "sitegen.toml").exists()


def test_cli_init_in_a_git_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    assert main(["init", "."]) == 0
    assert (tmp_path / "sitegen.toml").is_file()
    assert main(["init", "."]) == 1
    assert "already exists, and sitegen init would overwrite it" in capsys.readouterr().err


def test_cli_init_then_new_then_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795780800")  # 2026-11-27
    assert main(["init", str(tmp_path / "b")]) == 0
    monkeypatch.chdir(tmp_path / "b")
    assert main(["new", "Staff Data Engineer", "--company", "Example Corp"]) == 0
    assert "Created content/jobs/staff-data-engineer.md" in capsys.readouterr().out
    assert main(["new", "Staff Data Engineer", "--company", "Example Corp"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["check"]) == 0
    assert "Checked 2 postings and 2 pages: no errors" in capsys.readouterr().out


def test_cli_new_outside_a_board_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "Staff Data Engineer", "--company", "Example Corp"]) == 1
    assert "not a board" in capsys.readouterr().err
    assert not (tmp_path / "content").exists()


def test_cli_new_needs_a_company() -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["new", "Staff Data Engineer"])
    assert exit_.value.code == 2


def test_init_adds_to_a_github_folder_without_overwriting_it(tmp_path: Path) -> None:
    """A repository's own .github/ stays; a file init would write there is refused, named."""
    own = tmp_path / ".github" / "dependabot.yml"
    own.parent.mkdir()
    own.write_text("version: 2\n")
    init_board(tmp_path, TODAY)
    assert own.read_text() == "version: 2\n"
    assert (tmp_path / ".github" / "workflows").is_dir()

    again = tmp_path / "again"
    clash = again / ".github" / "workflows" / "post-a-job.yml"
    clash.parent.mkdir(parents=True)
    clash.write_text("mine\n")
    with pytest.raises(SitegenError) as error:
        init_board(again, TODAY)
    assert str(error.value).startswith(f"{clash}: already exists, and sitegen init would overwrite")
    assert clash.read_text() == "mine\n" and not (again / "sitegen.toml").exists()


def test_init_refuses_a_content_folder_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "content" / "jobs").mkdir(parents=True)
    with pytest.raises(SitegenError, match=r"content: already exists, and sitegen init would wr"):
        init_board(tmp_path, TODAY)
