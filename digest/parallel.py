"""fork_map(): per-article work spread over the machine's cores.

The stages' per-article work (entity mentions, word and number features, candidate pairs)
is pure Python, so threads would share one core. Forked processes start as copies of this
one, loaded models and closures included: only the results travel back (pickled), and the
items are read from the copied memory by index. The standard library's multiprocessing
does the forking and collecting; nothing here is more than choosing when to use it.

One process does it all where forking is unsafe or cannot pay: no "fork" start method
(Windows, and macOS where it is unsafe), other Python threads running (`mkdocs serve`'s
server: a forked copy would inherit their held locks), one core, or little work. A thread
marked with fork_safe() does not count: it holds nothing the workers use (the Pagefind
client's, which only moves bytes to and from its own service).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

Item, Result = TypeVar("Item"), TypeVar("Result")

# What the workers run, set just before they are forked (module state is what fork copies).
_function: Callable | None = None
_items: Sequence = ()
PROGRESS_EVERY = 30.0  # seconds between progress lines of a long map (fork_map's `label`)


def cores() -> int:
    """Cores this process may run on (the affinity mask, which containers and CI set)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fork_map(function: Callable[[Item], Result], items: Sequence[Item],
             min_items_per_worker: int = 100, label: str | None = None) -> list[Result]:
    """[function(item) for item in items], in order, computed by forked worker processes
    when that pays: at least `min_items_per_worker` items for each worker. With a `label`
    ("finding names"), a map that runs long logs how far it is every PROGRESS_EVERY seconds."""
    workers = min(cores(), len(items) // max(1, min_items_per_worker))
    if workers < 2 or not _can_fork():
        return [function(item) for item in items]
    global _function, _items
    _function, _items = function, items
    # Several slices per worker even out slow and quick items (Russian NER, long articles);
    # a large map has more, so that its progress can be told.
    count = max(workers * 4, min(len(items) // 1000, 100))
    step = -(-len(items) // count)
    slices = [(start, min(start + step, len(items))) for start in range(0, len(items), step)]
    parts, started = [], time.perf_counter()
    told = started
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_run_slice, slices, chunksize=1):
                parts.append(part)
                if label and time.perf_counter() - told >= PROGRESS_EVERY:
                    told = time.perf_counter()
                    done = sum(map(len, parts))
                    logging.getLogger("mkdocs.plugins.digest").info(
                        "digest: %s: %s of %s articles (%.0f s)", label, f"{done:,}", f"{len(items):,}",
                        told - started)
    finally:
        _function, _items = None, ()
    return [result for part in parts for result in part]


def _run_slice(bounds: tuple[int, int]) -> list:
    start, stop = bounds
    return [_function(item) for item in _items[start:stop]]


def fork_safe(thread: threading.Thread) -> threading.Thread:
    """Mark a thread whose locks and objects no forked worker touches: fork_map forks while
    it runs."""
    thread.digest_fork_safe = True
    return thread


def _can_fork() -> bool:
    others = [t for t in threading.enumerate() if t is not threading.current_thread()]
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and all(getattr(t, "digest_fork_safe", False) for t in others))
