"""A time limit on a block of code, by a timer signal: it interrupts even a blocking system call.

Where no timer signal can be had (Windows, or off the main thread) the block runs without a limit.
Only around code that may be cut short anywhere: never around a lock held or a file half-written.
"""

import contextlib
import signal
import threading
from collections.abc import Iterator


class TimeUp(BaseException):
    """Raised in the block when its time is up: a BaseException, so that no `except Exception` on
    the way (entry.main, the SDK) reports it or wraps it as another error."""


def _time_up(number: int, frame: object) -> None:
    raise TimeUp


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raises TimeUp in the block once `seconds` have passed."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _time_up)
    try:
        signal.setitimer(signal.ITIMER_REAL, max(0.01, seconds))
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
