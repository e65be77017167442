"""Run the sitegen benchmark (and optionally Hugo and Eleventy) and write RESULTS.md.

Usage::

    python bench/run.py [--sizes 1000,10000,100000] [--runs 5]
                        [--engines comrak,python-markdown] [--competitors]
                        [--out bench/RESULTS.md]

For every board size (generated once into ``bench/boards/N/``) and markdown
engine, sitegen is run as ``python -m site_gen build --now 2026-11-27`` from the
board folder and measured in three scenarios:

* ``cold``: ``output/`` and ``.sitegen-cache/`` deleted before each run;
* ``no-op``: rebuild with a warm cache and the existing output, nothing changed;
* ``edit``: rebuild after one posting's body changed (edit made untimed).

Both engines run at sizes up to ``--both-engines-max`` (10,000); larger boards
use only the first engine. For python-markdown a cold ``--jobs 1`` build is
measured too, giving the parallel speed-up. With ``--competitors`` Hugo and
Eleventy build the same boards (cold) and the report gives sitegen/competitor
ratios. A failing build is reported in the tables, never raised. The report is
rewritten after every measurement, so an interrupted run keeps what it measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from competitors import (  # noqa: E402
    BUILDERS,
    CompetitorUnavailable,
    count_files,
    eleventy_version,
    hugo_version,
    node_version,
)
from generate import board_is_current, edit_one_posting, first_posting, generate_board  # noqa: E402
from measure import Result, clean_board, empty_trash, measure, sitegen_env  # noqa: E402

BOARDS_DIR = BENCH_DIR / "boards"
SITES_DIR = BENCH_DIR / "out" / "site"
NOW = "2026-11-27"
LARGE_SIZE = 100_000
ENGINE_LINE = re.compile(r"^markdown_engine\s*=.*$", re.MULTILINE)


@dataclass
class Row:
    """One measured configuration plus what it wrote."""

    size: int
    tool: str  # "sitegen", "hugo", "eleventy"
    engine: str
    scenario: str
    jobs: str
    result: Result
    files: int = 0
    html: int = 0
    load: str = ""  # 1-minute load average when the measurement ended


@dataclass
class Report:
    """Everything that goes into RESULTS.md."""

    command: str
    engine: str  # the engine compared against the competitors
    machine: dict[str, str]
    versions: dict[str, str]
    boards: dict[int, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------
# Environment facts
# --------------------------------------------------------------------------


def read_text(path: str) -> str:
    """File contents, or '' when unreadable."""
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def load_average() -> str:
    """The 1-minute load average."""
    fields = read_text("/proc/loadavg").split()
    return fields[0] if fields else "?"


def machine_info() -> dict[str, str]:
    """nproc, memory, CPU model, OS and kernel."""
    model = re.search(r"^model name\s*:\s*(.+)$", read_text("/proc/cpuinfo"), re.MULTILINE)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", read_text("/proc/meminfo"), re.MULTILINE)
    os_name = re.search(r'^PRETTY_NAME="?([^"\n]+)', read_text("/etc/os-release"), re.MULTILINE)
    return {
        "CPU model": model.group(1).strip() if model else platform.processor() or "unknown",
        "nproc": str(len(os.sched_getaffinity(0))),
        "memory": f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "unknown",
        "OS": os_name.group(1) if os_name else platform.platform(),
        "kernel": platform.release(),
        "load average at start (1, 5, 15 min)": " ".join(read_text("/proc/loadavg").split()[:3]),
    }


def first_line(cmd: list[str], env: dict[str, str] | None = None) -> str:
    """First line of a successful command's output, else ''."""
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=60, env=env, cwd=REPO_ROOT
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if done.returncode == 0 and text else ""


def sitegen_version(base: list[str], env: dict[str, str]) -> str:
    """sitegen's version from its CLI, else package metadata, else pyproject."""
    found = first_line([*base, "--version"], env)
    if found:
        return found
    try:
        return importlib.metadata.version("sitegen") + " (installed metadata; CLI not runnable)"
    except importlib.metadata.PackageNotFoundError:
        pass
    match = re.search(
        r'^version\s*=\s*"([^"]+)"', read_text(str(REPO_ROOT / "pyproject.toml")), re.MULTILINE
    )
    return (match.group(1) if match else "unknown") + " (pyproject.toml; CLI not runnable)"


def git_revision() -> str:
    """Short commit of the work tree, with '+dirty' when it has changes."""
    commit = first_line(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    dirty = first_line(["git", "status", "--porcelain"])
    return commit + ("+dirty" if dirty else "")


def versions(base: list[str], env: dict[str, str], competitors: bool) -> dict[str, str]:
    """Versions of everything measured."""
    found = {
        "python": f"{sys.version.split()[0]} ({sys.executable})",
        "sitegen": sitegen_version(base, env),
        "git": git_revision(),
    }
    if competitors:
        hugo = shutil.which("hugo")
        found["hugo"] = hugo_version(hugo) if hugo else "not installed"
        node = shutil.which("node")
        found["node"] = node_version(node) if node else "not installed"
        found["eleventy"] = eleventy_version(node) if node else "not installed"
    return found


# --------------------------------------------------------------------------
# Boards and sitegen
# --------------------------------------------------------------------------


def ensure_board(size: int, seed: int) -> Path:
    """bench/boards/N, generated unless already current."""
    board = BOARDS_DIR / str(size)
    if not board_is_current(board, size, seed):
        print(f"generating board of {size} postings in {board} ...", flush=True)
        generate_board(size, board, seed=seed)
    return board


def board_size_text(board: Path) -> str:
    """Total size of a board's postings, e.g. '6.9 MB'."""
    total = sum(entry.stat().st_size for entry in os.scandir(board / "content" / "jobs"))
    return f"{total / 1e6:.1f} MB"


def set_engine(board: Path, engine: str) -> None:
    """Rewrite ``markdown_engine`` in the board's sitegen.toml."""
    config = board / "sitegen.toml"
    text = config.read_text(encoding="utf-8")
    line = f'markdown_engine = "{engine}"'
    text = ENGINE_LINE.sub(line, text) if ENGINE_LINE.search(text) else text + line + "\n"
    config.write_text(text, encoding="utf-8")


def sitegen_base(option: str | None) -> list[str]:
    """How sitegen is invoked: ``--sitegen`` split like a shell, else ``python -m site_gen``."""
    return shlex.split(option) if option else [sys.executable, "-m", "site_gen"]


def sitegen_cmd(base: list[str], jobs: int | None) -> list[str]:
    """The sitegen build command, run from the board folder."""
    cmd = [*base, "build", "--now", NOW]
    return [*cmd, "--jobs", str(jobs)] if jobs else cmd


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------


class Bench:
    """Runs measurements and keeps the report file up to date."""

    def __init__(self, args: argparse.Namespace, report: Report) -> None:
        self.args = args
        self.report = report
        self.env = sitegen_env()
        self.base = sitegen_base(args.sitegen)

    def runs_for(self, size: int) -> int:
        """Runs per measurement; fewer for the largest boards."""
        return min(self.args.runs, self.args.large_runs) if size >= LARGE_SIZE else self.args.runs

    def record(self, row: Row, output: Path) -> Row:
        """Count the output, add the row, print it and rewrite the report."""
        if row.result.ok and output.is_dir():
            row.files, row.html = count_files(output)
        row.load = load_average()
        self.report.rows.append(row)
        print(
            f"{row.tool} {row.size} {row.engine} {row.scenario} jobs={row.jobs}: "
            f"{row.result.row()} files={row.files}",
            flush=True,
        )
        write_report(self.report, self.args.out)
        return row

    def sitegen(
        self, size: int, board: Path, engine: str, scenario: str, jobs: int | None = None
    ) -> Row:
        """Measure one sitegen scenario on ``board``."""
        label = f"sitegen {engine} {scenario}"
        kwargs = {
            "runs": self.runs_for(size),
            "env": self.env,
            "label": label,
            "timeout": self.args.timeout,
        }
        cmd = sitegen_cmd(self.base, jobs)
        if scenario == "cold":
            result = measure(cmd, board, prepare=lambda: clean_board(board), **kwargs)
        elif scenario == "no-op":
            result = measure(cmd, board, **kwargs)
        else:
            posting = first_posting(board)
            original = posting.read_bytes()
            try:
                result = measure(cmd, board, prepare=lambda: edit_one_posting(board), **kwargs)
            finally:
                posting.write_bytes(original)
        row = Row(size, "sitegen", engine, scenario, str(jobs or "default"), result)
        return self.record(row, board / "output")

    def skipped(self, size: int, engine: str, scenario: str, why: str) -> None:
        """Record a scenario that was not run."""
        result = Result(label=f"sitegen {engine} {scenario}", cmd=[], error=why)
        self.record(Row(size, "sitegen", engine, scenario, "default", result), Path("/nonexistent"))

    def preflight(self) -> None:
        """Note in the report when sitegen cannot even start (every build will fail)."""
        cmd = [*self.base, "--version"]
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, timeout=120, env=self.env, cwd=REPO_ROOT
            )
        except (OSError, subprocess.SubprocessError) as exc:
            problem = str(exc)
        else:
            if done.returncode == 0:
                return
            lines = (done.stderr or done.stdout).strip().splitlines()
            problem = lines[-1] if lines else f"exit {done.returncode}"
        venv = REPO_ROOT / ".venv" / "bin" / "python"
        hint = f" (try `{venv.relative_to(REPO_ROOT)} bench/run.py`)" if venv.exists() else ""
        note = f"`{shlex.join(cmd)}` failed: {problem}{hint}"
        print(f"warning: {note}", file=sys.stderr, flush=True)
        self.report.notes.append(note)

    def sitegen_size(self, size: int, board: Path) -> None:
        """All sitegen scenarios for one board."""
        engines = self.args.engines
        if size > self.args.both_engines_max:
            engines = engines[:1]
        for engine in engines:
            set_engine(board, engine)
            cold = self.sitegen(size, board, engine, "cold")
            if not cold.result.ok:
                for scenario in ("no-op", "edit"):
                    self.skipped(size, engine, scenario, "skipped: cold build failed")
                continue
            self.sitegen(size, board, engine, "no-op")
            self.sitegen(size, board, engine, "edit")
            if engine == "python-markdown":
                self.sitegen(size, board, engine, "cold", jobs=1)
        set_engine(board, self.args.engines[0])

    def competitor(self, size: int, board: Path, tool: str) -> None:
        """Measure one competitor's cold build of ``board``."""
        output = SITES_DIR / f"{tool}-{size}"
        try:
            build = BUILDERS[tool](board, output)
        except CompetitorUnavailable as exc:
            message = f"skipped: {exc}"
            print(message, file=sys.stderr, flush=True)
            result = Result(label=tool, cmd=[], error=message)
            self.record(Row(size, tool, "-", "cold", "default", result), output)
            return
        self.report.versions[tool] = build.version
        result = measure(
            build.cmd,
            build.cwd,
            runs=self.runs_for(size),
            env=build.env,
            prepare=build.clean,
            label=tool,
            timeout=self.args.timeout,
        )
        self.record(Row(size, tool, "-", "cold", "default", result), output)


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def per_posting(seconds: float, size: int) -> str:
    """Milliseconds per posting."""
    return f"{seconds * 1000 / size:.3f}"


def row_cells(row: Row) -> list[str]:
    """Common cells: runs, wall, CPU, RSS, files, HTML, ms/posting, status."""
    result = row.result
    cells = result.cells()
    if result.ok:
        cells += [
            str(row.files),
            str(row.html),
            per_posting(result.wall, row.size),
            per_posting(result.cpu, row.size),
        ]
    else:
        cells += ["-"] * 4
    return [*cells, row.load, result.status()]


def table(header: list[str], rows: list[list[str]], text_columns: int = 1) -> list[str]:
    """A markdown table: the first ``text_columns`` and a last 'status' column left-aligned."""
    align = [
        "---" if i < text_columns or name == "status" else "---:" for i, name in enumerate(header)
    ]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    return lines + ["| " + " | ".join(cells) + " |" for cells in rows]


FIGURE_HEADER = [
    "runs",
    "wall median (s)",
    "wall min (s)",
    "CPU median (s)",
    "peak RSS (MiB)",
    "files",
    "HTML files",
    "wall ms/posting",
    "CPU ms/posting",
    "load",
    "status",
]


def sitegen_table(report: Report) -> list[str]:
    """Table of every sitegen measurement."""
    rows = [
        [f"{r.size:,}", r.engine, r.scenario, r.jobs, *row_cells(r)]
        for r in report.rows
        if r.tool == "sitegen"
    ]
    return table(["postings", "engine", "scenario", "--jobs", *FIGURE_HEADER], rows, 4)


def find_row(
    report: Report, size: int, tool: str, engine: str, scenario: str, jobs: str = "default"
) -> Row | None:
    """A successful measurement, if there is one."""
    for row in report.rows:
        if (row.size, row.tool, row.engine, row.scenario, row.jobs) == (
            size,
            tool,
            engine,
            scenario,
            jobs,
        ) and row.result.ok:
            return row
    return None


def speedup_table(report: Report) -> list[str]:
    """Cold python-markdown builds: --jobs 1 against the default."""
    rows = []
    for size in sorted({r.size for r in report.rows}):
        single = find_row(report, size, "sitegen", "python-markdown", "cold", "1")
        default = find_row(report, size, "sitegen", "python-markdown", "cold")
        if single and default:
            rows.append(
                [
                    f"{size:,}",
                    f"{single.result.wall:.2f}",
                    f"{default.result.wall:.2f}",
                    f"{single.result.wall / default.result.wall:.2f}x",
                    f"{single.result.cpu:.2f}",
                    f"{default.result.cpu:.2f}",
                ]
            )
    return table(
        [
            "postings",
            "wall --jobs 1 (s)",
            "wall default (s)",
            "speed-up",
            "CPU --jobs 1 (s)",
            "CPU default (s)",
        ],
        rows,
    )


def competitor_table(report: Report) -> list[str]:
    """Cold builds by Hugo and Eleventy."""
    rows = [[f"{r.size:,}", r.tool, *row_cells(r)] for r in report.rows if r.tool != "sitegen"]
    return table(["postings", "tool", *FIGURE_HEADER], rows, 2)


def ratio(a: float, b: float) -> str:
    """a / b formatted, or '-' when b is zero."""
    return f"{a / b:.2f}" if b else "-"


def ratio_table(report: Report, engine: str) -> list[str]:
    """sitegen cold build (default engine, default jobs) over each competitor."""
    rows = []
    for row in report.rows:
        if row.tool == "sitegen" or not row.result.ok:
            continue
        ours = find_row(report, row.size, "sitegen", engine, "cold")
        if ours:
            rows.append(
                [
                    f"{row.size:,}",
                    row.tool,
                    ratio(ours.result.wall, row.result.wall),
                    ratio(ours.result.cpu, row.result.cpu),
                    ratio(ours.result.peak_rss_mib, row.result.peak_rss_mib),
                ]
            )
    return table(
        ["postings", "competitor", "wall ratio (sitegen / it)", "CPU ratio", "peak RSS ratio"],
        rows,
        2,
    )


def render_report(report: Report) -> str:
    """RESULTS.md text."""
    lines = [
        "# sitegen benchmark results",
        "",
        f"Written {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `{report.command}`.",
        "See bench/README.md for what each figure means.",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in report.machine.items()]
    lines += ["", "## Versions", ""]
    lines += [f"- {key}: {value}" for key, value in report.versions.items()]
    lines += ["", "## Boards", ""]
    lines += table(
        ["postings", "postings on disk"],
        [[f"{size:,}", text] for size, text in sorted(report.boards.items())],
    )
    if any(r.tool == "sitegen" for r in report.rows):
        lines += ["", "## sitegen", "", *sitegen_table(report)]
        lines += [
            "",
            "## Parallel speed-up (python-markdown, cold build)",
            "",
            *speedup_table(report),
        ]
    if any(r.tool != "sitegen" for r in report.rows):
        lines += ["", "## Hugo and Eleventy (cold build)", "", *competitor_table(report)]
        lines += [
            "",
            f"## sitegen against them (cold build, {report.engine}, default --jobs)",
            "",
            *ratio_table(report, report.engine),
        ]
    if report.notes:
        lines += ["", "## Notes", "", *[f"- {note}" for note in report.notes]]
    return "\n".join(lines) + "\n"


def write_report(report: Report, out: Path) -> None:
    """Write RESULTS.md (called after every measurement)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(report), encoding="utf-8")


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def csv_ints(text: str) -> list[int]:
    """'1000,10000' -> [1000, 10000]."""
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def csv_words(text: str) -> list[str]:
    """'a,b' -> ['a', 'b']."""
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="Benchmark sitegen (and Hugo, Eleventy).")
    parser.add_argument(
        "--sizes",
        type=csv_ints,
        default=[1000, 10000, 100000],
        help="board sizes, comma-separated (default 1000,10000,100000)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs each (default 5)")
    parser.add_argument(
        "--large-runs",
        type=int,
        default=3,
        help=f"at most this many runs for boards of {LARGE_SIZE:,}+ (default 3)",
    )
    parser.add_argument(
        "--engines",
        type=csv_words,
        default=["comrak", "python-markdown"],
        help="markdown engines; the first is used above --both-engines-max",
    )
    parser.add_argument(
        "--both-engines-max",
        type=int,
        default=10000,
        help="largest board measured with every engine (default 10000)",
    )
    parser.add_argument(
        "--competitors", action="store_true", help="also build the boards with Hugo and Eleventy"
    )
    parser.add_argument(
        "--competitor-tools",
        type=csv_words,
        default=["hugo", "eleventy"],
        help="which competitors (default hugo,eleventy)",
    )
    parser.add_argument(
        "--competitor-max-size",
        type=int,
        default=10000,
        help="largest board built by the competitors (default 10000: Hugo "
        "needs ~2-3 GiB at 10,000 postings and would exhaust memory "
        "at 100,000)",
    )
    parser.add_argument(
        "--sitegen",
        metavar="CMD",
        help="how to invoke sitegen, e.g. 'sitegen' for an installed script "
        "(default: this Python with -m site_gen)",
    )
    parser.add_argument(
        "--no-sitegen", action="store_true", help="skip sitegen (measure only the competitors)"
    )
    parser.add_argument("--seed", type=int, default=0, help="board generator seed (default 0)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800,
        help="seconds before one build is killed (default 1800)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=BENCH_DIR / "RESULTS.md",
        help="report file (default bench/RESULTS.md)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.large_runs < 1:
        parser.error("--runs and --large-runs must be at least 1")
    unknown = set(args.competitor_tools) - set(BUILDERS)
    if unknown:
        parser.error(f"unknown competitor(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Generate boards, measure, write the report."""
    args = parse_args(argv)
    command = "python bench/run.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    env = sitegen_env()
    report = Report(
        command=command.strip(),
        engine=args.engines[0],
        machine=machine_info(),
        versions=versions(sitegen_base(args.sitegen), env, args.competitors),
    )
    bench = Bench(args, report)
    if not args.no_sitegen:
        bench.preflight()
    try:
        for size in args.sizes:
            board = ensure_board(size, args.seed)
            report.boards[size] = board_size_text(board)
            if not args.no_sitegen:
                bench.sitegen_size(size, board)
            if args.competitors and size <= args.competitor_max_size:
                for tool in args.competitor_tools:
                    bench.competitor(size, board, tool)
    finally:
        empty_trash()
    report.machine["load average at end (1, 5, 15 min)"] = " ".join(
        read_text("/proc/loadavg").split()[:3]
    )
    write_report(report, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
