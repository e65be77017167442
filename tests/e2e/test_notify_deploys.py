"""``sitegen notify`` against a local stand-in for Google (token endpoint, Indexing API) and
IndexNow (tests/search_engines.py), after a board changed between two real builds.

Between the builds 2 postings are added, 1 edited, 1 expires and 1 is removed; one more is
left alone. Google must receive exactly URL_UPDATED for the 3 new or edited URLs and
URL_DELETED for the other 2, each with a bearer token its token endpoint issued for a
correctly signed JWT; IndexNow one POST listing exactly those 5 URLs.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_gen.cli import main
from tests.helpers import posting_text, tree_bytes, write_board
from tests.hosting import serve
from tests.search_engines import (
    INDEXING_SCOPE,
    SERVICE_ACCOUNT,
    Engines,
    search_engines,
    service_account_key,
)

pytestmark = pytest.mark.server

BASE = "https://jobs.example.com/"
KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
BEFORE, AFTER = "2026-11-27", "2026-12-10"


def job(slug: str) -> str:
    return f"{BASE}jobs/{slug}/"


UPDATED = {job("new-b"): "URL_UPDATED", job("new-a"): "URL_UPDATED", job("edit"): "URL_UPDATED"}
DELETED = {job("remove"): "URL_DELETED", job("expire"): "URL_DELETED"}
# Newest first: new-b (12-08), new-a (12-01), remove (11-16), expire (11-14), edit (11-12).
ORDER = [job(s) for s in ("new-b", "new-a", "remove", "expire", "edit")]


@dataclass(frozen=True)
class Deploys:
    board: Path
    before: Path  # the previous deploy's output
    after: Path  # the new build
    engines: Engines
    url: str  # the stand-in's base URL
    key_file: Path  # the service account's JSON key

    def notify(self, *args: str) -> int:
        config = str(self.board / "sitegen.toml")
        return main(["notify", "--config", config, "--output", str(self.after), *args])

    def configure(self, **notify: object) -> None:
        settings = {
            "indexnow_key": KEY,
            "indexnow_endpoint": f"{self.url}/indexnow",
            "google_credentials": str(self.key_file),
            "google_endpoint": f"{self.url}/v3/urlNotifications:publish",
            **notify,
        }
        lines = [
            f"{name} = {json.dumps(value)}" for name, value in settings.items() if value is not None
        ]
        text = f'title = "Test board"\nbase_url = "{BASE}"\n\n[notify]\n' + "\n".join(lines) + "\n"
        (self.board / "sitegen.toml").write_text(text, encoding="utf-8")


def build(board: Path, now: str, output: Path) -> None:
    config = str(board / "sitegen.toml")
    assert (
        main(["build", "--config", config, "--now", now, "--output", str(output), "--jobs", "1"])
        == 0
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The board's output before and after the changes (built once for the module)."""
    board = write_board(
        tmp_path_factory.mktemp("board"),
        postings={
            "keep": posting_text(title="Keeper", date_posted="2026-11-10"),
            "edit": posting_text(title="Editor", date_posted="2026-11-12"),
            "expire": posting_text(date_posted="2026-11-14", valid_through="2026-12-05"),
            "remove": posting_text(date_posted="2026-11-16"),
        },
        config=f'title = "Test board"\nbase_url = "{BASE}"\n[notify]\nindexnow_key = "{KEY}"\n',
    )
    outputs = tmp_path_factory.mktemp("outputs")
    build(board, BEFORE, outputs / "before")
    jobs = board / "content" / "jobs"
    (jobs / "remove.md").unlink()
    pay = {"value": 95000, "currency": "EUR"}
    edited = posting_text(title="Editor", date_posted="2026-11-12", salary=pay)
    (jobs / "edit.md").write_text(edited, encoding="utf-8")
    (jobs / "new-a.md").write_text(posting_text(date_posted="2026-12-01"), encoding="utf-8")
    (jobs / "new-b.md").write_text(posting_text(date_posted="2026-12-08"), encoding="utf-8")
    build(board, AFTER, outputs / "after")
    return outputs / "before", outputs / "after"


@pytest.fixture
def deploys(
    builds: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Deploys]:
    monkeypatch.delenv("SITEGEN_INDEXNOW_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    before, after = tmp_path / "before", tmp_path / "after"
    shutil.copytree(builds[0], before)
    shutil.copytree(builds[1], after)
    (tmp_path / "board").mkdir()
    with search_engines(tmp_path) as (engines, url, key_file):
        deploys = Deploys(tmp_path / "board", before, after, engines, url, key_file)
        deploys.configure()
        yield deploys


def test_google_and_indexnow_get_exactly_the_changed_urls(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    output_before = tree_bytes(deploys.after)
    assert deploys.notify("--previous", str(deploys.before)) == 0
    engines = deploys.engines
    assert engines.problems == []
    publish = engines.publish_requests()
    sent = {r.json()["url"]: r.json()["type"] for r in publish}
    assert sent == UPDATED | DELETED
    assert [r.json()["url"] for r in publish] == ORDER  # newest first
    # Each publish request carries a token the token endpoint issued...
    assert all(
        r.headers["Authorization"].removeprefix("Bearer ") in engines.tokens for r in publish
    )
    # ...for a JWT signed with the service account's key (verified with its public key).
    (claims,) = engines.assertions  # one token serves every request
    assert claims["iss"] == SERVICE_ACCOUNT and claims["scope"] == INDEXING_SCOPE
    assert claims["header"]["alg"] == "RS256"
    (indexnow,) = engines.received("/indexnow")
    body = indexnow.json()
    assert body["host"] == "jobs.example.com"
    assert body["key"] == KEY
    assert body["keyLocation"] == f"{BASE}{KEY}.txt"
    assert sorted(body["urlList"]) == sorted(UPDATED | DELETED)
    assert len(body["urlList"]) == 5
    out = capsys.readouterr().out
    assert "3 new or changed, 2 removed or expired" in out
    assert "Google Indexing API: sent 5 of 5 notifications" in out
    assert "IndexNow: sent 5 of 5 URLs" in out
    assert tree_bytes(deploys.after) == output_before  # notify never changes the output


def test_the_previous_board_may_be_its_url(deploys: Deploys) -> None:
    with serve(deploys.before) as previous:
        assert deploys.notify("--previous", previous) == 0
    sent = {r.json()["url"]: r.json()["type"] for r in deploys.engines.publish_requests()}
    assert sent == UPDATED | DELETED
    assert deploys.engines.problems == []


def test_dry_run_sends_nothing_and_says_what_it_would_send(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    assert deploys.notify("--previous", str(deploys.before), "--dry-run") == 0
    assert deploys.engines.requests == []
    out = capsys.readouterr().out.splitlines()
    would = [line for line in out if line.startswith("Google Indexing API: would send URL_")]
    assert would == [f"Google Indexing API: would send {(UPDATED | DELETED)[u]} {u}" for u in ORDER]
    assert out[-1] == "Dry run: nothing was sent."


def test_a_first_deploy_notifies_every_live_posting(deploys: Deploys, tmp_path: Path) -> None:
    empty = tmp_path / "nothing-deployed-yet"
    empty.mkdir()
    assert deploys.notify("--previous", str(empty)) == 0
    sent = {r.json()["url"]: r.json()["type"] for r in deploys.engines.publish_requests()}
    assert sent == {
        u: "URL_UPDATED" for u in (job("new-b"), job("new-a"), job("edit"), job("keep"))
    }


def test_an_unreachable_previous_board_counts_as_a_first_deploy(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    assert deploys.notify("--previous", "http://127.0.0.1:9/") == 0
    assert len(deploys.engines.publish_requests()) == 4
    assert "No previous job pages (http://127.0.0.1:9/: not reachable (" in capsys.readouterr().out


def test_with_only_a_sitemap_new_and_removed_postings_are_found(deploys: Deploys) -> None:
    """A board deployed before sitegen-jobs.json existed: its sitemap gives URLs and dates."""
    (deploys.before / "sitegen-jobs.json").unlink()
    assert deploys.notify("--previous", str(deploys.before)) == 0
    sent = {r.json()["url"]: r.json()["type"] for r in deploys.engines.publish_requests()}
    # The edit kept the posting's date: a sitemap cannot show it (a manifest does).
    assert sent == {k: v for k, v in (UPDATED | DELETED).items() if k != job("edit")}


def test_nothing_changed_sends_nothing(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    assert deploys.notify("--previous", str(deploys.after)) == 0
    assert deploys.engines.requests == []
    assert "0 new or changed, 0 removed or expired" in capsys.readouterr().out


def test_the_daily_quota_sends_the_newest_first_and_reports_the_rest(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    deploys.configure(google_daily_quota=2)
    assert deploys.notify("--previous", str(deploys.before)) == 0
    assert [r.json()["url"] for r in deploys.engines.publish_requests()] == ORDER[:2]
    out = capsys.readouterr().out
    assert "Google Indexing API: sent 2 of 5 notifications" in out
    for url in ORDER[2:]:
        assert f"Google Indexing API: not sent: {(UPDATED | DELETED)[url]} {url}" in out
    assert len(deploys.engines.received("/indexnow")[0].json()["urlList"]) == 5


def test_an_engine_without_its_key_is_skipped_with_a_note(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    deploys.configure(google_credentials=None)
    assert deploys.notify("--previous", str(deploys.before)) == 0
    assert deploys.engines.publish_requests() == []
    assert len(deploys.engines.received("/indexnow")) == 1
    assert (
        "Google Indexing API: skipped (set [notify] google_credentials or GOOGLE_APPLICATION_CREDENTIALS)"
        in capsys.readouterr().out
    )


def test_settings_come_from_the_environment(
    deploys: Deploys, monkeypatch: pytest.MonkeyPatch
) -> None:
    deploys.configure(google_credentials=None, indexnow_key=None)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(deploys.key_file))
    monkeypatch.setenv("SITEGEN_INDEXNOW_KEY", KEY)
    assert deploys.notify("--previous", str(deploys.before)) == 0
    assert len(deploys.engines.publish_requests()) == 5
    assert deploys.engines.received("/indexnow")[0].json()["key"] == KEY


def test_permission_denied_is_one_line_and_a_failure(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    deploys.engines.google_status = 403
    assert deploys.notify("--previous", str(deploys.before)) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: Google Indexing API: URL_UPDATED {ORDER[0]}: HTTP 403: "
        "Permission denied. Failed to verify the URL ownership."
    ]
    assert len(deploys.engines.publish_requests()) == 1  # the others would fail alike


def test_googles_quota_exhausted_is_an_error(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    deploys.engines.google_status = 429
    assert deploys.notify("--previous", str(deploys.before)) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: Google Indexing API: quota exhausted (HTTP 429: Quota exceeded")


def test_indexnow_rejecting_the_key_is_an_error(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    deploys.engines.indexnow_status = 403
    assert deploys.notify("--previous", str(deploys.before)) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: IndexNow: {deploys.url}/indexnow: HTTP 403: (no message)"
    ]


def test_a_token_endpoint_refusing_the_jwt_is_an_error(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key file whose private key is not the account's: the JWT does not verify."""
    info = json.loads(deploys.key_file.read_text())
    other = json.loads(deploys.key_file.read_text())
    other["private_key"] = service_account_key(info["token_uri"])[0]["private_key"]
    deploys.key_file.write_text(json.dumps(other))
    assert deploys.notify("--previous", str(deploys.before)) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(
        f"error: Google Indexing API: no access token from {info['token_uri']}: "
    )
    assert "invalid_grant" in line
    assert deploys.engines.publish_requests() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "not a service-account JSON key file"),
        ('{"type": "service_account"}', "not a service-account JSON key file"),
    ],
)
def test_a_bad_key_file_is_one_line_and_nothing_is_sent(
    deploys: Deploys, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    if content is None:
        deploys.key_file.unlink()
    else:
        deploys.key_file.write_text(content)
    assert deploys.notify("--previous", str(deploys.before)) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: google_credentials: {deploys.key_file}: {message}")
    assert deploys.engines.requests == []


def test_an_output_without_the_key_file_is_an_error(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    deploys.configure(indexnow_key="another-key-0123")
    assert deploys.notify("--previous", str(deploys.before)) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        f"error: {deploys.after / 'another-key-0123.txt'}: not found: build with the same "
        "indexnow_key (or SITEGEN_INDEXNOW_KEY) so that the board publishes its key file"
    )
    assert deploys.engines.requests == []


def test_no_build_to_compare_is_an_error(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(deploys.after)
    assert deploys.notify("--previous", str(deploys.before)) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(
        f"error: {deploys.after / 'sitegen-jobs.json'}: not found: run sitegen build first"
    )


def test_a_previous_manifest_that_is_not_one_is_an_error(
    deploys: Deploys, capsys: pytest.CaptureFixture[str]
) -> None:
    (deploys.before / "sitegen-jobs.json").write_text("<html>not json</html>")
    assert deploys.notify("--previous", str(deploys.before)) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(
        f"error: {deploys.before}/sitegen-jobs.json: not a readable sitegen-jobs.json ("
    )
    assert deploys.engines.requests == []


def test_the_build_writes_the_key_file_at_the_root(deploys: Deploys) -> None:
    assert (deploys.after / f"{KEY}.txt").read_text() == KEY
