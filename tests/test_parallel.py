"""The worker pool: results in input order, the same with any number of workers."""

from __future__ import annotations

import os
import time
from functools import partial
from pathlib import Path

import pytest

from site_gen.parallel import MIN_FORKED, MIN_POOLED, Workers, _can_fork, chunk_size


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def fail_on_seven(n: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return n


def test_results_come_back_in_input_order_from_several_processes() -> None:
    items = list(range(500))
    with Workers(2) as workers:
        results = list(workers.map(square_and_pid, iter(items), len(items)))
    assert [r for r, _ in results] == [n * n for n in items]
    assert os.getpid() not in {pid for _, pid in results}  # the work ran in the workers


def test_one_job_runs_in_this_process() -> None:
    with Workers(1) as workers:
        results = list(workers.map(square_and_pid, range(50), 50))
    assert {pid for _, pid in results} == {os.getpid()}


def test_too_little_work_is_not_worth_a_process() -> None:
    with Workers(2) as workers:
        results = list(workers.map(square_and_pid, [3], 1))
        assert results == [(9, os.getpid())]
        assert workers._pool is None


def test_a_few_dozen_items_are_not_worth_a_pool() -> None:
    """A small board's postings compile here: no pool is started for them."""
    with Workers(4) as workers:
        results = list(workers.map(square_and_pid, range(MIN_POOLED - 1), MIN_POOLED - 1))
        assert {pid for _, pid in results} == {os.getpid()}
        assert workers._pool is None
        pooled = list(workers.map(square_and_pid, range(MIN_POOLED), MIN_POOLED))
        assert os.getpid() not in {pid for _, pid in pooled}


def test_a_worker_error_reaches_the_caller() -> None:
    with Workers(2) as workers, pytest.raises(ValueError, match="seven"):
        list(workers.map(fail_on_seven, range(100), 100))


def squares_of_chunk(chunk: list[int]) -> list[tuple[int, int, int]]:
    return [(n * n, len(chunk), os.getpid()) for n in chunk]


@pytest.mark.parametrize("jobs", [1, 2])
def test_map_chunks_hands_whole_chunks_to_fn_and_keeps_the_order(jobs: int) -> None:
    items = list(range(500))
    with Workers(jobs) as workers:
        results = list(workers.map_chunks(squares_of_chunk, iter(items), len(items)))
    assert [square for square, _, _ in results] == [n * n for n in items]
    assert {size for _, size, _ in results} <= {chunk_size(500, jobs), 500 % chunk_size(500, jobs)}
    pids = {pid for _, _, pid in results}
    assert (os.getpid() in pids) == (jobs == 1)


def touch_each(folder: str, chunk: list[int]) -> list[int]:
    for n in chunk:
        Path(folder, str(n)).touch()
    return chunk


@pytest.mark.skipif(not _can_fork(), reason="workers are forked only without other threads")
def test_map_chunks_started_now_runs_before_its_results_are_read(tmp_path: Path) -> None:
    """The build compiles postings this way while it makes its templates ready."""
    items = list(range(MIN_POOLED))
    with Workers(2) as workers:
        results = workers.map_chunks(
            partial(touch_each, str(tmp_path)), items, len(items), start_now=True
        )
        deadline = time.monotonic() + 20
        while not any(tmp_path.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert any(tmp_path.iterdir())  # work done, no result read yet
        assert list(results) == items
    assert len(list(tmp_path.iterdir())) == len(items)


def test_chunks_are_bounded_and_never_empty() -> None:
    assert chunk_size(0, 2) == 1
    assert chunk_size(10, 2) == 1
    assert chunk_size(1000, 2) == 64
    assert chunk_size(200, 2) == 25


def test_an_item_that_cannot_be_sent_raises_and_the_pool_still_closes() -> None:
    from types import MappingProxyType

    workers = Workers(2)
    with pytest.raises(TypeError):
        list(workers.map(len, [MappingProxyType({})] * MIN_POOLED, MIN_POOLED))
    workers.close()  # would hang if the pool were wedged
    assert workers._pool is None


def nth_word_and_pid(context: tuple[str, ...], index: int) -> tuple[str, int]:
    return context[index], os.getpid()


def test_forked_workers_inherit_the_context_and_keep_the_order() -> None:
    words = tuple(f"word-{i}" for i in range(300))
    with Workers(2) as workers:
        results = list(workers.map_inherited(nth_word_and_pid, words, len(words)))
    assert [w for w, _ in results] == list(words)
    if _can_fork():  # with other threads running (a browser test's), it runs here instead
        assert os.getpid() not in {pid for _, pid in results}
    with Workers(1) as workers:
        assert list(workers.map_inherited(nth_word_and_pid, words, 3)) == [
            (w, os.getpid()) for w in words[:3]
        ]


def test_will_fork_is_what_forked_does() -> None:
    words = tuple(f"word-{i}" for i in range(MIN_FORKED))
    with Workers(2) as workers:
        for count in (MIN_FORKED - 1, MIN_FORKED):
            here = workers.will_fork(count) is False
            pids = {pid for _, pid in workers.map_inherited(nth_word_and_pid, words, count)}
            assert (pids == {os.getpid()}) is here, count
        assert workers.will_fork(MIN_FORKED) is _can_fork()  # threads now: never
    assert Workers(1).will_fork(10 * MIN_FORKED) is False


def slow_nth_word(words: tuple[str, ...], i: int) -> tuple[str, int, float]:
    time.sleep(0.01)
    return words[i], os.getpid(), time.monotonic()


def test_started_work_runs_while_the_caller_does_something_else() -> None:
    words = tuple(f"word-{i}" for i in range(200))
    with Workers(2) as workers:
        started = workers.start_inherited(slow_nth_word, words, len(words))
        time.sleep(0.3)  # the caller's own work
        reading = time.monotonic()
        results = list(started)
    assert [w for w, _, _ in results] == list(words)
    if _can_fork():
        assert os.getpid() not in {pid for _, pid, _ in results}
        assert any(done < reading for _, _, done in results)  # done while the caller slept
    assert list(workers.start_inherited(slow_nth_word, words, 0)) == []


def test_closing_started_work_stops_the_workers() -> None:
    words = tuple(f"word-{i}" for i in range(200))
    with Workers(2) as workers:
        started = workers.start_inherited(slow_nth_word, words, len(words))
        started.close()  # cancels what has not begun and waits for what has
        assert list(started) == []
        if _can_fork():
            assert started._processes == []  # the workers are gone


def made_aside(_: int) -> tuple[int, float]:
    time.sleep(0.2)
    return os.getpid(), time.monotonic()


def test_work_set_aside_runs_in_a_process_of_its_own_meanwhile() -> None:
    with Workers(2) as workers:
        aside = workers.aside(made_aside)
        reading = time.monotonic() + 0.3
        time.sleep(0.3)  # the caller's own work, and the pages it forks workers for
        pages = list(workers.map_inherited(nth_word_and_pid, ("a",) * 200, 200))
        assert [word for word, _ in pages] == ["a"] * 200
        ((pid, done),) = list(aside)
    if _can_fork():
        assert pid != os.getpid()
        assert done < reading  # made while the caller worked


@pytest.mark.parametrize(("jobs", "beside"), [(1, True), (2, False)])
def test_work_set_aside_with_one_job_or_not_beside_runs_here_when_read(
    jobs: int, beside: bool
) -> None:
    with Workers(jobs) as workers:
        aside = workers.aside(made_aside, beside=beside)
        asked = time.monotonic()
        ((pid, done),) = list(aside)
    assert pid == os.getpid() and done > asked


def test_closing_work_set_aside_stops_its_process() -> None:
    with Workers(2) as workers:
        aside = workers.aside(made_aside)
        aside.close()
        assert list(aside) == []
        assert aside._processes == []
