"""The deploy configuration: netlify.toml builds, publishes and sends the right headers."""

from __future__ import annotations

import json
import os
import shlex
import subprocess

import pytest
import yaml

from site_gen.cli_arguments import make_parser
from tests.hosting import (
    HEADERS_FILE,
    REPO,
    header_rules,
    headers_file_rules,
    headers_for,
    netlify_config,
    serve,
)

LONG_CACHE = "public, max-age=31536000, immutable"


def test_netlify_builds_the_project_minified_and_publishes_output():
    config = netlify_config()
    assert config["build"]["publish"] == "output"
    assert config["build"]["environment"]["PYTHON_VERSION"] == "3.11"
    commands = [config["build"]["command"]] + [c["command"] for c in config["context"].values()]
    for command in commands:
        install, build = command.split(" && ")
        assert install == "pip install ."
        words = shlex.split(build)
        assert words[:2] == ["sitegen", "build"] and "--minify" in words
        make_parser().parse_args(words[1:])  # every option is one sitegen knows
    for context in ("deploy-preview", "branch-deploy"):
        assert "--preview" in shlex.split(config["context"][context]["command"])


def test_the_404_page_is_served_for_missing_paths():
    assert {"from": "/*", "to": "/404.html", "status": 404} in netlify_config()["redirects"]


@pytest.mark.parametrize(
    "path", ["/", "/jobs/x/", "/feed.xml", "/search-index.json", "/assets/style.0123abcd.css"]
)
def test_every_response_gets_the_security_headers(path: str):
    headers = headers_for(header_rules(), path)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    policy = dict(
        (d.split()[0], d.split()[1:]) for d in headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    ("path", "cache"),
    [
        ("/assets/style.0123abcd.css", LONG_CACHE),
        ("/assets/fonts/inter.0123abcd.woff2", LONG_CACHE),
        ("/search-index.json", "public, max-age=0, must-revalidate"),
        ("/", None),  # Netlify's default: public, max-age=0, must-revalidate
        ("/jobs/x/", None),
        ("/feed.xml", None),
    ],
)
def test_hashed_assets_are_cached_for_a_year_and_the_rest_revalidated(path: str, cache):
    assert headers_for(header_rules(), path).get("Cache-Control") == cache


def test_no_two_rules_set_one_header_for_the_same_path():
    """Netlify does not promise how it combines them: keep the rules disjoint."""
    rules = header_rules()
    for path in ("/", "/jobs/x/", "/assets/style.css", "/search-index.json", "/feed.xml"):
        names = [name.lower() for rule in rules if rule.matches(path) for name in rule.values]
        assert len(names) == len(set(names)), path


def test_the_headers_file_for_cloudflare_pages_says_what_netlify_toml_says():
    assert headers_file_rules(HEADERS_FILE.read_text()) == header_rules()


def test_the_github_pages_workflow_builds_for_the_pages_url_and_uploads_output():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    runs = [step["run"] for step in build["steps"] if "run" in step]
    assert runs[0] == "pip install ."
    words = shlex.split(runs[1])
    assert words[:2] == ["sitegen", "build"] and "--minify" in words
    assert words[words.index("--base-url") + 1] == "${{ steps.pages.outputs.base_url }}/"
    make_parser().parse_args(words[1:])
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "output"


def test_the_github_pages_workflow_notifies_search_engines_after_the_deploy():
    """The build keeps the live board's job list before the deploy replaces it; a job after
    the deploy runs sitegen notify against it, with the keys from the repository's secrets."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    build, notify = workflow["jobs"]["build"], workflow["jobs"]["notify"]
    assert notify["needs"] == "deploy"
    build_step = next(s for s in build["steps"] if s.get("run", "").startswith("sitegen build"))
    assert build_step["env"] == {"SITEGEN_INDEXNOW_KEY": "${{ secrets.SITEGEN_INDEXNOW_KEY }}"}
    keep = next(s for s in build["steps"] if s.get("name") == "Keep the live board's job list")
    assert "sitegen-jobs.json sitemap.xml" in keep["run"] and "previous/$name" in keep["run"]
    upload = next(s for s in build["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["path"].split() == [
        "previous/",
        "output/sitegen-jobs.json",
        "output/*.txt",
    ]
    run = notify["steps"][-1]["run"]
    last = shlex.split(run.strip().splitlines()[-1])
    assert last == ["sitegen", "notify", "--previous", "previous/"]
    make_parser().parse_args(last[1:])
    assert "GOOGLE_APPLICATION_CREDENTIALS=" in run


def test_netlify_runs_the_notify_plugin_of_the_repository_and_of_new_boards():
    assert netlify_config()["plugins"] == [{"package": "/netlify/plugins/sitegen-notify"}]
    plugin = REPO / "netlify" / "plugins" / "sitegen-notify"
    skeleton = REPO / "site_gen" / "skeleton" / "board" / "netlify" / "plugins" / "sitegen-notify"
    for name in ("manifest.yml", "index.js"):
        assert (skeleton / name).read_text() == (plugin / name).read_text()


@pytest.mark.server
def test_the_netlify_plugin_keeps_the_live_job_list_then_runs_notify(tmp_path):
    """The plugin's own code under Node: onPreBuild fetches the live board's files from a
    local server; onSuccess runs `sitegen notify --previous .sitegen-previous` with the
    service account's key written to a file."""
    live = tmp_path / "live"
    live.mkdir()
    (live / "sitegen-jobs.json").write_text('{"generator": "sitegen"}')
    script = f"""
    const plugin = require({json.dumps(str(REPO / "netlify/plugins/sitegen-notify/index.js"))});
    const fs = require("fs");
    (async () => {{
      await plugin.onPreBuild();
      let ran;
      await plugin.onSuccess({{ utils: {{ run: async (file, args, options) => {{ ran = {{ file, args,
        key: fs.readFileSync(options.env.GOOGLE_APPLICATION_CREDENTIALS, "utf8") }}; }} }} }});
      console.log(JSON.stringify({{ ran, kept: fs.readdirSync(".sitegen-previous") }}));
    }})();
    """
    with serve(live) as url:
        env = {
            **os.environ,
            "CONTEXT": "production",
            "URL": url.rstrip("/"),
            "GOOGLE_SERVICE_ACCOUNT_JSON": '{"type": "service_account"}',
        }
        work = tmp_path / "work"
        work.mkdir()
        done = subprocess.run(
            ["node", "-e", script],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["kept"] == ["sitegen-jobs.json"]  # the sitemap was not there: 404, not kept
    assert result["ran"] == {
        "file": "sitegen",
        "args": ["notify", "--previous", ".sitegen-previous"],
        "key": '{"type": "service_account"}',
    }
