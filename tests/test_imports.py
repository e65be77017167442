"""What a command imports: start-up time is a fixed cost of every build, so a command imports
only the modules it runs, and a small board starts no worker process.

Each check runs in a fresh interpreter and reads its ``sys.modules``: the modules the
command imported, not how long that took.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from site_gen.parallel import MIN_POOLED
from tests.helpers import posting_text, write_board

# Other commands' modules and libraries: the preview server, notify, import, new and init.
OTHER_COMMANDS = (
    "site_gen.authoring",
    "site_gen.importers",
    "site_gen.issue_form",
    "site_gen.notify",
    "site_gen.server",
    "site_gen.watch",
    "google.auth",
    "livereload",
    "markdownify",
    "tornado",
    "watchfiles",
)
# What a build needs only in some cases: a progress bar (a terminal), worker processes (a
# large board), minifying (--minify), the other markdown engine; and network code, which
# no build needs.
NOT_FOR_A_SMALL_BUILD = (
    *OTHER_COMMANDS,
    "concurrent.futures.process",
    "minify_html",
    "markdown",
    "multiprocessing.connection",
    "multiprocessing.sharedctypes",
    "rich",
    "site_gen.minify",
    "http.client",
    "ssl",
    "urllib.request",
)
BUILD_LIBRARIES = ("site_gen.build", "jinja2", "pydantic", "yaml", "babel", "email_validator")


def imported(code: str, cwd: Path) -> tuple[object, set[str]]:
    """Run ``code`` in a fresh interpreter (stdout and stderr are pipes, not a terminal);
    it leaves its result in ``result``. Returns that and the modules imported."""
    script = textwrap.dedent(code) + textwrap.dedent(
        """
        import json, sys
        print(json.dumps({"result": result, "modules": sorted(sys.modules)}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    output = json.loads(done.stdout.splitlines()[-1])
    return output["result"], set(output["modules"])


def test_the_command_line_imports_no_build_code(tmp_path: Path) -> None:
    """``sitegen --version`` answers before any command's modules are imported."""
    result, modules = imported(
        """
        import contextlib, io
        from site_gen.cli import main
        with contextlib.redirect_stdout(io.StringIO()) as out:
            try:
                main(["--version"])
            except SystemExit:
                pass
        result = out.getvalue()
        """,
        tmp_path,
    )
    assert str(result).startswith("sitegen ")
    unneeded = (*BUILD_LIBRARIES, *NOT_FOR_A_SMALL_BUILD, "pycountry")
    assert sorted(modules.intersection(unneeded)) == []


def test_a_small_board_s_build_imports_only_what_it_runs_and_forks_nothing(tmp_path: Path) -> None:
    postings = {f"engineer-{n}": posting_text(title=f"Engineer {n}") for n in range(3)}
    root = write_board(tmp_path / "board", postings=postings)
    result, modules = imported(
        """
        import os
        from site_gen.cli import main
        forks = []
        os.register_at_fork(before=lambda: forks.append(os.getpid()))
        # four jobs: as on a machine with four cores, where a large board would get workers
        code = main(["build", "--now", "2026-11-27", "--jobs", "4", "--quiet"])
        result = {"code": code, "forks": len(forks)}
        """,
        root,
    )
    assert result == {"code": 0, "forks": 0}
    assert (root / "output" / "index.html").is_file()
    assert {"site_gen.build", "jinja2", "pydantic"} <= modules  # it did build
    assert sorted(modules.intersection(NOT_FOR_A_SMALL_BUILD)) == []
    assert "email_validator" not in modules  # no posting gives an address to check


def test_a_board_big_enough_for_workers_loads_the_checks_once_before_forking(
    tmp_path: Path,
) -> None:
    """The workers compile the postings; the libraries checking them (pycountry's lists,
    email-validator) are imported here first, so that every forked worker shares them."""
    postings = {f"engineer-{n}": posting_text(title=f"Engineer {n}") for n in range(MIN_POOLED)}
    root = write_board(tmp_path / "board", postings=postings)
    result, _ = imported(
        """
        import os, sys
        from site_gen.cli import main
        forks = []
        os.register_at_fork(
            before=lambda: forks.append({"email_validator", "pycountry"} <= set(sys.modules))
        )
        code = main(["build", "--now", "2026-11-27", "--jobs", "2", "--quiet"])
        result = {"code": code, "forks": forks}
        """,
        root,
    )
    assert isinstance(result, dict) and result["code"] == 0
    forks = result["forks"]
    assert forks and all(forks)  # workers were forked, each after the checks were loaded


def test_a_build_does_not_scan_the_installed_packages_for_pydantic_plugins(
    tmp_path: Path,
) -> None:
    """Pydantic's plugin search reads every installed distribution's entry points; the
    command line turns it off with pydantic's documented switch, unless the user set it."""
    root = write_board(tmp_path / "board", postings={"engineer": posting_text()})
    result, modules = imported(
        """
        import os
        os.environ.pop("PYDANTIC_DISABLE_PLUGINS", None)
        from site_gen.cli import main
        code = main(["build", "--now", "2026-11-27", "--quiet"])
        from pydantic.plugin import _loader
        result = {"code": code, "scanned": _loader._plugins is not None,
                  "switch": os.environ.get("PYDANTIC_DISABLE_PLUGINS")}
        """,
        root,
    )
    assert result == {"code": 0, "scanned": False, "switch": "__all__"}
    assert "pydantic" in modules  # it did make models
    mine, _ = imported(
        """
        import os
        os.environ["PYDANTIC_DISABLE_PLUGINS"] = "some-plugin"
        from site_gen.cli import main
        main(["build", "--now", "2026-11-27", "--quiet"])
        result = os.environ["PYDANTIC_DISABLE_PLUGINS"]
        """,
        root,
    )
    assert mine == "some-plugin"
