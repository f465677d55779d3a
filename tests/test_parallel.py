"""fork_map: the same list as a plain loop, from worker processes when that pays, else here."""

from __future__ import annotations

import logging
import os
import threading

import pytest

from digest import parallel
from digest.parallel import fork_map


def test_same_results_in_order_from_forked_workers(monkeypatch):
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    offset = 7  # a closure: workers are copies of this process, nothing is pickled but results
    results = fork_map(lambda n: (n + offset, os.getpid()), list(range(1000)))
    assert [value for value, _ in results] == [n + offset for n in range(1000)]
    assert {pid for _, pid in results} - {os.getpid()}, "no worker process did any of it"


def test_small_inputs_and_one_core_stay_in_this_process(monkeypatch):
    assert {pid for pid in fork_map(lambda _: os.getpid(), range(50))} == {os.getpid()}
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    assert {pid for pid in fork_map(lambda _: os.getpid(), range(1000))} == {os.getpid()}


def test_no_fork_while_other_threads_run(monkeypatch):
    """mkdocs serve runs its server in threads: a forked copy could inherit a held lock."""
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert {pid for pid in fork_map(lambda _: os.getpid(), range(1000))} == {os.getpid()}
    finally:
        stop.set()
        thread.join()


def test_a_fork_safe_thread_does_not_stop_forking(monkeypatch):
    """The Pagefind client's threads (parallel.fork_safe) run while the link stage forks."""
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    stop = threading.Event()
    thread = parallel.fork_safe(threading.Thread(target=stop.wait))
    thread.start()
    try:
        assert {pid for pid in fork_map(lambda _: os.getpid(), range(1000))} - {os.getpid()}
    finally:
        stop.set()
        thread.join()


def test_a_worker_error_reaches_the_caller(monkeypatch):
    monkeypatch.setattr(parallel, "cores", lambda: 2)

    def fails_on_500(n):
        if n == 500:
            raise ValueError(f"item {n} is bad")
        return n

    with pytest.raises(ValueError, match="item 500 is bad"):
        fork_map(fails_on_500, list(range(1000)))


def test_a_long_map_with_a_label_says_how_far_it_is(monkeypatch, caplog):
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(parallel, "PROGRESS_EVERY", 0.0)  # every slice "took long"
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.digest"):
        assert fork_map(lambda n: n * 2, list(range(4000)), label="doubling") == [n * 2 for n in range(4000)]
    lines = [r.getMessage() for r in caplog.records if "doubling" in r.getMessage()]
    assert lines and all(" of 4,000 articles" in line for line in lines)
    assert lines[-1].startswith("digest: doubling: 4,000 of 4,000")
