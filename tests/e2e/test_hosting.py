"""The deploy configuration: netlify.toml builds, publishes and sends the right headers."""

from __future__ import annotations

import shlex

import pytest
import yaml

from site_gen.cli import make_parser
from tests.hosting import (
    HEADERS_FILE,
    REPO,
    header_rules,
    headers_file_rules,
    headers_for,
    netlify_config,
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
