"""Forked workers: results in order, and workers that retire once they have made too much
memory their own, replaced by fresh forks."""

from __future__ import annotations

import os
from functools import partial

import pytest

from site_gen.forked import WORKER_MEMORY_LEAST, WORKERS_MEMORY, Forked, _own_memory, worker_share
from site_gen.parallel import _can_fork

pytestmark = pytest.mark.skipif(not _can_fork(), reason="forks only a single-threaded process")

MIB = 1 << 20


def pid_of(index: int) -> tuple[int, int]:
    return index, os.getpid()


def test_workers_that_retire_are_replaced_and_every_result_comes_back_in_order() -> None:
    forked = Forked.start(pid_of, 200, 10, 2, retire_above=1)  # every worker retires at once
    results = list(forked)
    assert [index for index, _ in results] == list(range(200))
    pids = {pid for _, pid in results}
    assert os.getpid() not in pids
    assert len(pids) > 2  # fresh forks took over from the first two


def test_workers_that_may_not_retire_do_all_the_work() -> None:
    results = list(Forked.start(pid_of, 200, 10, 2, retire_above=None))
    assert [index for index, _ in results] == list(range(200))
    assert len({pid for _, pid in results}) <= 2


def test_a_worker_with_nothing_left_to_claim_does_not_retire() -> None:
    # Two chunks, two workers: each finishes its one chunk, and no fork follows.
    results = list(Forked.start(pid_of, 20, 10, 2, retire_above=1))
    assert [index for index, _ in results] == list(range(20))
    assert len({pid for _, pid in results}) <= 2


def growing(kept: list[bytearray], index: int) -> tuple[int, int, int]:
    kept.append(bytearray(MIB))  # written: its pages become this process's own
    return index, os.getpid(), _own_memory()


def test_a_worker_s_own_memory_stays_within_its_bound() -> None:
    # Each item keeps a MiB for good: without retiring, one worker would end with ~60 MiB.
    kept: list[bytearray] = []
    limit, size = 16 * MIB, 4
    results = list(Forked.start(partial(growing, kept), 120, size, 2, retire_above=limit))
    assert [index for index, _, _ in results] == list(range(120))
    assert max(own for _, _, own in results) < limit + (size + 4) * MIB
    assert len({pid for _, pid, _ in results}) >= 4
    assert kept == []  # the workers' copies, not this process's list


def test_results_read_on_a_thread_need_workers_that_never_retire() -> None:
    forked = Forked.start(pid_of, 200, 10, 2, retire_above=MIB)
    with pytest.raises(ValueError, match="may retire"):
        forked.read_meanwhile()
    forked.close()
    calm = Forked.start(pid_of, 200, 10, 2, retire_above=None)
    calm.read_meanwhile()
    assert [index for index, _ in calm] == list(range(200))


def test_the_workers_share_one_memory_bound_down_to_a_least_share() -> None:
    assert [worker_share(jobs) >> 20 for jobs in (1, 2, 4, 8, 16)] == [192, 96, 48, 48, 48]
    assert worker_share(2) * 2 == WORKERS_MEMORY
    assert worker_share(16) == WORKER_MEMORY_LEAST
