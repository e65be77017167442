"""Memory does not grow with the size of the descriptions: pages stream to the writer.

A build of 200 and of 2,000 realistic postings (about 6.8 KB of markdown each) runs in a
subprocess with one worker (so the one process does all the work) and reports its peak
RSS. Metadata is kept for every posting (a few KB each); a build holding rendered pages
or bodies would add over 30 KB per posting (a leaking engine adds about 100 KB).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.e2e.boards import big_board

MAX_GROWTH_PER_POSTING_KB = 20

MEASURE = textwrap.dedent(
    """
    import resource, sys
    from datetime import datetime, UTC
    from pathlib import Path
    from site_gen.build import BuildOptions, build
    report = build(BuildOptions(root=Path(sys.argv[1]), now=datetime(2026, 11, 27, tzinfo=UTC), jobs=1))
    assert report.written.total > 0
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """
)


def peak_rss_kb(board: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(board)], capture_output=True, text=True, check=True
    )
    return int(done.stdout.split()[-1])


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_posting_count(tmp_path: Path) -> None:
    small = peak_rss_kb(big_board(tmp_path / "small", 200, body_size=6800))
    large = peak_rss_kb(big_board(tmp_path / "large", 2000, body_size=6800))
    growth = (large - small) / 1800
    assert growth < MAX_GROWTH_PER_POSTING_KB, f"{growth:.1f} KB more per posting"
