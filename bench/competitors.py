"""Build the same generated board with Hugo and Eleventy, for comparison.

Each competitor gets a project folder under ``bench/out/`` (set up once per
board and reused while the board is unchanged) holding one converted content
file per posting and a minimal theme that does comparable work to sitegen:

* a page per posting rendering title, company, location, salary, tags and the
  markdown description;
* the home page listing every posting, newest first, paginated 20 a page;
* tags, locations and employment types as taxonomies: a paginated list per
  term plus an index of terms per taxonomy.

Both write HTML only (no feeds, sitemaps or search indexes). Hugo uses its own
taxonomies and pagination; Eleventy uses Nunjucks templates, tag collections and
a custom collection of term pages paginated with ``size: 1``.

``build_hugo(board_dir, out_dir)`` and ``build_eleventy(board_dir, out_dir)``
return a ``CompetitorBuild`` whose ``cmd``/``cwd``/``env`` are what one timed
build runs (calling the object runs it once). A tool that is missing and cannot
be installed raises ``CompetitorUnavailable`` with the reason.

Usage: ``python bench/competitors.py BOARD_DIR [--tools hugo,eleventy] [--runs 3]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
OUT_ROOT = BENCH_DIR / "out"
NODE_DIR = BENCH_DIR / ".node"
ELEVENTY_PACKAGE = "@11ty/eleventy@^3"
ELEVENTY_CMD = NODE_DIR / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
CONVERTER_VERSION = 1
PAGE_SIZE = 20
BIG_BOARD = 20000  # above this, Node gets a larger heap so Eleventy does not run out
INSTALL_TIMEOUT = 600
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CompetitorUnavailable(RuntimeError):
    """The competitor tool is not installed and could not be installed."""


@dataclass
class CompetitorBuild:
    """One competitor build, ready to be timed: run ``cmd`` in ``cwd`` with ``env``."""

    name: str
    version: str
    cmd: list[str]
    cwd: Path
    output: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))

    def clean(self) -> None:
        """Set the output folder aside (the untimed step before a cold build)."""
        from measure import set_aside  # bench/ is on the path: run.py or main() put it there

        set_aside(self.output)

    def __call__(self) -> None:
        """Run one build, raising ``CalledProcessError`` on failure."""
        subprocess.run(self.cmd, cwd=self.cwd, env=self.env, check=True, stdout=subprocess.DEVNULL)


# --------------------------------------------------------------------------
# Reading the generated board
# --------------------------------------------------------------------------


def parse_value(raw: str) -> object:
    """A frontmatter value as written by generate.py: bare date or JSON."""
    raw = raw.strip()
    if DATE_RE.match(raw):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw  # a plain YAML scalar


def read_posting(path: Path) -> tuple[dict[str, object], str]:
    """Frontmatter (one ``key: value`` line per key) and body of a posting.

    This reads the flat format that generate.py writes, not arbitrary YAML.
    """
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    matter = {}
    for line in head.splitlines():
        if line.strip():
            key, _, value = line.partition(":")
            matter[key.strip()] = parse_value(value)
    return matter, body


def location_terms(matter: dict[str, object]) -> list[str]:
    """'City, CC' for each location, plus 'Remote' for remote postings."""
    places = matter.get("location") or []
    terms = [f"{place['city']}, {place['country']}" for place in places]  # type: ignore[index]
    if matter.get("remote") == "remote":
        terms.append("Remote")
    return terms


def convert_posting(matter: dict[str, object], body: str) -> str:
    """A content file with YAML frontmatter that Hugo and Eleventy both accept."""
    out: dict[str, object] = {
        "title": matter["title"],
        "date": matter["date_posted"],
        "company": matter["company"],
        "employment_type": matter["employment_type"],
        "remote": matter["remote"],
        "apply": matter.get("apply_url") or f"mailto:{matter.get('apply_email')}",
        "tags": matter.get("tags") or [],
        "locations": location_terms(matter),
        "types": [matter["employment_type"]],
    }
    if "salary" in matter:
        out["salary"] = matter["salary"]
    lines = [
        f"{key}: {value if key == 'date' else json.dumps(value, ensure_ascii=False)}"
        for key, value in out.items()
    ]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def postings(board: Path) -> Iterator[Path]:
    """The board's posting files."""
    yield from sorted((board / "content" / "jobs").glob("*.md"))


def board_fingerprint(board: Path) -> str:
    """Identifies the board content cheaply: its generator stamp, else names and mtimes."""
    stamp = board / ".bench-board.json"
    if stamp.exists():
        basis = stamp.read_text(encoding="utf-8")
    else:
        basis = "".join(f"{p.name}:{p.stat().st_mtime_ns};" for p in postings(board))
    return hashlib.sha1(f"{CONVERTER_VERSION}|{basis}".encode()).hexdigest()


def project_dir(tool: str, board: Path) -> Path:
    """Scratch project folder for one tool and board."""
    key = hashlib.sha1(str(board.resolve()).encode()).hexdigest()[:8]
    return OUT_ROOT / tool / f"{board.resolve().name}-{key}"


def write_content(board: Path, target: Path) -> int:
    """Convert every posting of ``board`` into ``target``; return the count."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    count = 0
    for path in postings(board):
        matter, body = read_posting(path)
        (target / path.name).write_text(convert_posting(matter, body), encoding="utf-8")
        count += 1
    return count


def set_up_project(
    tool: str, board: Path, content_subdir: str, write_theme: Callable[[Path], None]
) -> tuple[Path, int]:
    """Create (or reuse) the project folder; return it and the posting count."""
    project = project_dir(tool, board)
    stamp = project / ".bench-stamp.json"
    fingerprint = board_fingerprint(board)
    try:
        saved = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    if saved.get("fingerprint") == fingerprint:
        write_theme(project)  # cheap; keeps templates in step with this file
        return project, int(saved["count"])
    project.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    count = write_content(board, project / content_subdir)
    write_theme(project)
    stamp.write_text(json.dumps({"fingerprint": fingerprint, "count": count}), encoding="utf-8")
    return project, count


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write ``{relative path: text}`` under ``root``."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def command_output(cmd: list[str], cwd: Path | None = None) -> str:
    """First line of a command's output, or '' when it cannot run."""
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if done.returncode == 0 and text else ""


# --------------------------------------------------------------------------
# Hugo
# --------------------------------------------------------------------------

HUGO_CONFIG = f"""baseURL = "https://jobs.example.com/"
title = "Bench board"
languageCode = "en"
paginate = {PAGE_SIZE}
buildFuture = true
buildExpired = true
disableKinds = ["RSS", "sitemap", "robotsTXT", "404", "section"]
enableGitInfo = false

[taxonomies]
tag = "tags"
location = "locations"
jobtype = "types"
"""

HUGO_BASEOF = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/tags/" | relURL }}">Tags</a> <a href="{{ "/locations/" | relURL }}">Locations</a>
<a href="{{ "/types/" | relURL }}">Types</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

HUGO_ITEM = """<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> at {{ .Params.company.name }},
{{ delimit .Params.locations ", " }} ({{ .Date.Format "2006-01-02" }})</li>"""

HUGO_SINGLE = """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p class="company"><a href="{{ .Params.company.url }}">{{ .Params.company.name }}</a></p>
<p>{{ delimit .Params.locations ", " }} | {{ .Params.remote }} | {{ .Params.employment_type }}</p>
{{ with .Params.salary }}<p class="salary">{{ .currency }} {{ lang.FormatNumber 0 .min }} to
{{ lang.FormatNumber 0 .max }} per {{ .period }}</p>{{ end }}
<p>Posted {{ .Date.Format "2 January 2006" }}</p>
<ul class="tags">{{ range .Params.tags }}<li><a href="{{ printf "/tags/%s/" (urlize .) | relURL }}">{{ . }}</a></li>{{ end }}</ul>
<div class="description">{{ .Content }}</div>
<p><a href="{{ .Params.apply }}">Apply</a></p>
</article>{{ end }}
"""

HUGO_LIST = (
    """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range (.Paginate .Pages).Pages }}"""
    + HUGO_ITEM
    + """{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
"""
)

HUGO_HOME = (
    """{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range (.Paginate site.RegularPages).Pages }}"""
    + HUGO_ITEM
    + """{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
"""
)

HUGO_TERMS = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>
({{ .Count }})</li>{{ end }}</ul>{{ end }}
"""


def write_hugo_theme(project: Path) -> None:
    """Hugo config and layouts."""
    write_files(
        project,
        {
            "config.toml": HUGO_CONFIG,
            "layouts/_default/baseof.html": HUGO_BASEOF,
            "layouts/_default/single.html": HUGO_SINGLE,
            "layouts/_default/list.html": HUGO_LIST,
            "layouts/_default/terms.html": HUGO_TERMS,
            "layouts/index.html": HUGO_HOME,
        },
    )


def ensure_hugo(install: bool = True) -> str:
    """Path of the hugo binary, installing the Debian package if allowed."""
    found = shutil.which("hugo")
    if found:
        return found
    if install and shutil.which("apt-get") and os.geteuid() == 0:
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "hugo"]):
            try:
                subprocess.run(
                    cmd,
                    check=True,
                    capture_output=True,
                    timeout=INSTALL_TIMEOUT,
                    env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                )
            except (OSError, subprocess.SubprocessError) as exc:
                raise CompetitorUnavailable(f"hugo: `{' '.join(cmd)}` failed: {exc}") from exc
        found = shutil.which("hugo")
        if found:
            return found
    raise CompetitorUnavailable("hugo: not on PATH; install it with `apt-get install -y hugo`")


def hugo_version(binary: str = "hugo") -> str:
    """Hugo's version line, e.g. 'hugo v0.111.3+extended linux/amd64 ...'."""
    return command_output([binary, "version"]) or "unknown"


def build_hugo(board_dir: str | Path, out_dir: str | Path, install: bool = True) -> CompetitorBuild:
    """Set up the Hugo project for ``board_dir``; return the timed build writing ``out_dir``."""
    binary = ensure_hugo(install)
    project, _ = set_up_project("hugo", Path(board_dir), "content/jobs", write_hugo_theme)
    output = Path(out_dir).resolve()
    cmd = [binary, "--source", str(project), "--destination", str(output), "--quiet"]
    return CompetitorBuild(
        name="hugo", version=hugo_version(binary), cmd=cmd, cwd=project, output=output
    )


# --------------------------------------------------------------------------
# Eleventy
# --------------------------------------------------------------------------

ELEVENTY_CONFIG = """// Minimal Eleventy project generated by bench/competitors.py.
const PAGE_SIZE = @PAGE_SIZE@;
const KINDS = ["tags", "locations", "types"];

function slug(text) {
  return String(text).normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "")
    .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function jobs(api) {
  return api.getFilteredByGlob("src/jobs/*.md").sort((a, b) => b.date - a.date);
}

function groups(api) {
  const result = {};
  for (const kind of KINDS) result[kind] = new Map();
  for (const job of jobs(api)) {
    for (const kind of KINDS) {
      for (const term of job.data[kind] || []) {
        if (!result[kind].has(term)) result[kind].set(term, []);
        result[kind].get(term).push(job);
      }
    }
  }
  return result;
}

module.exports = function (eleventyConfig) {
  eleventyConfig.addCollection("jobs", jobs);
  eleventyConfig.addCollection("termPages", (api) => {
    const pages = [];
    for (const [kind, terms] of Object.entries(groups(api))) {
      for (const [term, items] of terms) {
        const pageCount = Math.ceil(items.length / PAGE_SIZE);
        for (let n = 0; n < pageCount; n++) {
          pages.push({ kind, term, slug: slug(term), pageNumber: n, pageCount,
                       items: items.slice(n * PAGE_SIZE, (n + 1) * PAGE_SIZE) });
        }
      }
    }
    return pages;
  });
  eleventyConfig.addCollection("termIndex", (api) =>
    Object.entries(groups(api)).map(([kind, terms]) => ({
      kind,
      terms: [...terms].map(([term, items]) => ({ term, slug: slug(term), count: items.length }))
        .sort((a, b) => b.count - a.count),
    })));
  eleventyConfig.addFilter("termSlug", slug);
  eleventyConfig.addFilter("number", (n) => Number(n).toLocaleString("en-US"));
  eleventyConfig.addFilter("isoDate", (d) => d.toISOString().slice(0, 10));
  return {
    dir: { input: "src", includes: "_includes" },
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
    templateFormats: ["md", "njk"],
  };
};
""".replace("@PAGE_SIZE@", str(PAGE_SIZE))

ELEVENTY_BASE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }} | Bench board</title></head>
<body>
<header><a href="/">Bench board</a>
<nav><a href="/tags/">Tags</a> <a href="/locations/">Locations</a> <a href="/types/">Types</a></nav>
</header>
<main>{{ content | safe }}</main>
</body>
</html>
"""

ELEVENTY_ITEM = """<li><a href="{{ job.url }}">{{ job.data.title }}</a> at {{ job.data.company.name }},
{{ job.data.locations | join(", ") }} ({{ job.date | isoDate }})</li>"""

ELEVENTY_JOB = """---
layout: base.njk
---
<article>
<h1>{{ title }}</h1>
<p class="company"><a href="{{ company.url }}">{{ company.name }}</a></p>
<p>{{ locations | join(", ") }} | {{ remote }} | {{ employment_type }}</p>
{% if salary %}<p class="salary">{{ salary.currency }} {{ salary.min | number }} to
{{ salary.max | number }} per {{ salary.period }}</p>{% endif %}
<p>Posted {{ page.date | isoDate }}</p>
<ul class="tags">{% for tag in tags %}<li><a href="/tags/{{ tag | termSlug }}/">{{ tag }}</a></li>{% endfor %}</ul>
<div class="description">{{ content | safe }}</div>
<p><a href="{{ apply }}">Apply</a></p>
</article>
"""

ELEVENTY_PAGER = """<nav class="pagination">
{% if pager.href.previous %}<a href="{{ pager.href.previous }}">Previous</a>{% endif %}
Page {{ pager.pageNumber + 1 }} of {{ pager.hrefs | length }}
{% if pager.href.next %}<a href="{{ pager.href.next }}">Next</a>{% endif %}
</nav>"""

ELEVENTY_HOME = (
    """---
layout: base.njk
title: Jobs
pagination:
  data: collections.jobs
  size: @PAGE_SIZE@
  alias: jobs
permalink: "/{% if pagination.pageNumber > 0 %}page/{{ pagination.pageNumber + 1 }}/{% endif %}index.html"
---
<h1>Bench board</h1>
<ul>{% for job in jobs %}@ITEM@{% endfor %}</ul>
{% set pager = pagination %}@PAGER@
""".replace("@PAGE_SIZE@", str(PAGE_SIZE))
    .replace("@ITEM@", ELEVENTY_ITEM)
    .replace("@PAGER@", ELEVENTY_PAGER)
)

ELEVENTY_TERM = (
    """---
layout: base.njk
pagination:
  data: collections.termPages
  size: 1
  alias: tp
eleventyComputed:
  title: "{{ tp.term }}"
permalink: "/{{ tp.kind }}/{{ tp.slug }}/{% if tp.pageNumber > 0 %}page/{{ tp.pageNumber + 1 }}/{% endif %}index.html"
---
<h1>{{ tp.term }}</h1>
<ul>{% for job in tp.items %}"""
    + ELEVENTY_ITEM
    + """{% endfor %}</ul>
<nav class="pagination">
{% if tp.pageNumber > 0 %}<a href="/{{ tp.kind }}/{{ tp.slug }}/{% if tp.pageNumber > 1 %}page/{{ tp.pageNumber }}/{% endif %}">Previous</a>{% endif %}
Page {{ tp.pageNumber + 1 }} of {{ tp.pageCount }}
{% if tp.pageNumber + 1 < tp.pageCount %}<a href="/{{ tp.kind }}/{{ tp.slug }}/page/{{ tp.pageNumber + 2 }}/">Next</a>{% endif %}
</nav>
"""
)

ELEVENTY_TERM_INDEX = """---
layout: base.njk
pagination:
  data: collections.termIndex
  size: 1
  alias: ti
eleventyComputed:
  title: "{{ ti.kind }}"
permalink: "/{{ ti.kind }}/index.html"
---
<h1>{{ ti.kind }}</h1>
<ul>{% for t in ti.terms %}<li><a href="/{{ ti.kind }}/{{ t.slug }}/">{{ t.term }}</a> ({{ t.count }})</li>{% endfor %}</ul>
"""


def write_eleventy_theme(project: Path) -> None:
    """Eleventy config, layouts and list templates."""
    write_files(
        project,
        {
            "eleventy.config.js": ELEVENTY_CONFIG,
            "src/_includes/base.njk": ELEVENTY_BASE,
            "src/_includes/job.njk": ELEVENTY_JOB,
            "src/jobs/jobs.11tydata.json": json.dumps({"layout": "job.njk"}) + "\n",
            "src/index.njk": ELEVENTY_HOME,
            "src/terms.njk": ELEVENTY_TERM,
            "src/term-index.njk": ELEVENTY_TERM_INDEX,
        },
    )


def ensure_eleventy(install: bool = True) -> tuple[str, Path]:
    """Node binary and Eleventy's cmd.cjs, npm-installing into bench/.node if allowed."""
    node = shutil.which("node")
    if not node:
        raise CompetitorUnavailable("eleventy: node is not installed (`apt-get install nodejs`)")
    if ELEVENTY_CMD.exists():
        return node, ELEVENTY_CMD
    npm = shutil.which("npm")
    if not install or not npm:
        raise CompetitorUnavailable(
            f"eleventy: not installed in {NODE_DIR}; run "
            f"`npm install --prefix {NODE_DIR} {ELEVENTY_PACKAGE}`"
        )
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    package = NODE_DIR / "package.json"
    if not package.exists():  # npm refuses to `init` a folder named .node
        package.write_text('{"name": "sitegen-bench-node", "private": true}\n', encoding="utf-8")
    cmd = [npm, "install", "--no-audit", "--no-fund", ELEVENTY_PACKAGE]
    try:
        subprocess.run(cmd, cwd=NODE_DIR, check=True, capture_output=True, timeout=INSTALL_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        raise CompetitorUnavailable(f"eleventy: `{' '.join(cmd)}` failed: {exc}") from exc
    if not ELEVENTY_CMD.exists():
        raise CompetitorUnavailable(f"eleventy: npm install did not produce {ELEVENTY_CMD}")
    return node, ELEVENTY_CMD


def eleventy_version(node: str = "node") -> str:
    """Eleventy's version, e.g. '3.1.8'."""
    return command_output([node, str(ELEVENTY_CMD), "--version"]) or "unknown"


def node_version(node: str = "node") -> str:
    """Node's version, e.g. 'v20.20.2'."""
    return command_output([node, "--version"]) or "unknown"


def build_eleventy(
    board_dir: str | Path, out_dir: str | Path, install: bool = True
) -> CompetitorBuild:
    """Set up the Eleventy project for ``board_dir``; return the timed build writing ``out_dir``."""
    node, cmd_cjs = ensure_eleventy(install)
    project, count = set_up_project("eleventy", Path(board_dir), "src/jobs", write_eleventy_theme)
    output = Path(out_dir).resolve()
    env = dict(os.environ)
    if count > BIG_BOARD:
        env["NODE_OPTIONS"] = (env.get("NODE_OPTIONS", "") + " --max-old-space-size=16384").strip()
    cmd = [node, str(cmd_cjs), "--input=src", f"--output={output}", "--quiet"]
    return CompetitorBuild(
        name="eleventy",
        version=eleventy_version(node),
        cmd=cmd,
        cwd=project,
        output=output,
        env=env,
    )


BUILDERS: dict[str, Callable[[str | Path, str | Path], CompetitorBuild]] = {
    "hugo": build_hugo,
    "eleventy": build_eleventy,
}


def count_files(folder: Path) -> tuple[int, int]:
    """(all files, .html files) under ``folder``."""
    total = html = 0
    for _, _, names in os.walk(folder):
        total += len(names)
        html += sum(1 for name in names if name.endswith(".html"))
    return total, html


def main(argv: list[str] | None = None) -> int:
    """Measure the competitors on one board and print table rows."""
    sys.path.insert(0, str(BENCH_DIR))
    from measure import Result, empty_trash, measure

    parser = argparse.ArgumentParser(description="Build a generated board with Hugo/Eleventy.")
    parser.add_argument("board", type=Path)
    parser.add_argument("--tools", default="hugo,eleventy")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(Result.header())
    try:
        measure_tools(args, measure)
    finally:
        empty_trash()
    return 0


def measure_tools(args: argparse.Namespace, measure: Callable[..., Any]) -> None:
    """Each tool's cold builds of ``args.board``, printed as table rows."""
    for tool in args.tools.split(","):
        out = OUT_ROOT / "site" / f"{tool}-{args.board.resolve().name}"
        try:
            build = BUILDERS[tool](args.board, out)
        except CompetitorUnavailable as exc:
            print(f"skipped {tool}: {exc}", file=sys.stderr)
            continue
        result = measure(
            build.cmd,
            build.cwd,
            runs=args.runs,
            env=build.env,
            prepare=build.clean,
            label=f"{tool} {build.version}",
        )
        print(result.row(), f"files={count_files(out)}")


if __name__ == "__main__":
    sys.exit(main())
