"""Many requests at once: at most a given number in flight, each within its own time budget.

Threads, since each request waits on the network. The main thread keeps every request to its budget:
off the main thread no timer signal can cut an exchange short (core/time_limit.py), and a server that
sends its answer a byte at a time passes every per-read timeout. A request still running a little past
its deadline is reported as timed out and its thread left behind: threads are daemons, so the process
ends without waiting for them, and nothing a left-behind thread writes is half-written (the cache
writes whole files, atomically).
"""

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")
GRACE_SECONDS = 2.0  # past a deadline, for the request's own time-out to be reported first


def run_concurrently(
    tasks: Mapping[str, Callable[[float], T]],
    limit: int,
    budget_seconds: float,
    time_up: Callable[[str], BaseException],
    waited: Callable[[str], float] | None = None,
) -> dict[str, T | BaseException]:
    """Each task's value, or the exception it raised, by key; a task runs with its deadline
    (time.monotonic()), set when it starts; time_up(key) is the failure of one that outlived it.
    waited(key): seconds the task spent waiting its turn under the rate limits, which its budget leaves out."""
    extra = waited or (lambda key: 0.0)
    results: dict[str, T | BaseException] = {}
    deadlines: dict[str, float] = {}  # of the tasks in flight
    waiting = deque(tasks)
    changed = threading.Condition()

    def run(key: str, deadline: float) -> None:
        try:
            outcome: T | BaseException = tasks[key](deadline)
        except BaseException as error:  # reported by key, as the task's own failure
            outcome = error
        with changed:
            if key not in results:  # not given up on meanwhile
                results[key] = outcome
                del deadlines[key]
            changed.notify_all()

    with changed:
        while len(results) < len(tasks):
            while waiting and len(deadlines) < limit:
                key = waiting.popleft()
                deadlines[key] = time.monotonic() + budget_seconds
                threading.Thread(target=run, args=(key, deadlines[key]), name=f"request {key}", daemon=True).start()
            now = time.monotonic()
            ends = {key: deadline + GRACE_SECONDS + extra(key) for key, deadline in deadlines.items()}
            for key in [key for key, end in ends.items() if now >= end]:
                results[key] = time_up(key)
                del deadlines[key], ends[key]
            if deadlines and len(results) < len(tasks):
                changed.wait(min(1.0, max(0.01, min(ends.values()) - now)))  # a wait's end moves: look again
    return results
