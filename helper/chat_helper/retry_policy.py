"""When to retry an API call and how long to wait: one policy, with tenacity.

Retried: connection errors and timeouts (at most CONNECTION_ATTEMPTS), 408, 409, 429 other than
insufficient_quota, and 5xx. Waits honour retry-after-ms / retry-after, else exponential backoff
with full jitter. Nothing is retried past the request's deadline.
"""

import email.utils
import random
import time
from collections.abc import Callable
from typing import TypeVar

import openai
import tenacity

T = TypeVar("T")

CONNECTION_ATTEMPTS = 3
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 20.0
MIN_ATTEMPT_SECONDS = 0.5
RETRIED_STATUSES = frozenset({408, 409, 429})


def is_retryable(error: BaseException) -> bool:
    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(error, openai.APIStatusError):
        if error.status_code == 429 and error_code(error) == "insufficient_quota":
            return False
        return error.status_code in RETRIED_STATUSES or error.status_code >= 500
    return False


def error_code(error: openai.APIStatusError) -> str | None:
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("code") is not None:
            return str(inner["code"])
    return None


def server_requested_wait(error: BaseException) -> float | None:
    """Seconds the server asked for in retry-after-ms or retry-after, if it asked."""
    if not isinstance(error, openai.APIStatusError):
        return None
    headers = error.response.headers
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    seconds = headers.get("retry-after")
    if seconds is None:
        return None
    try:
        return max(0.0, float(seconds))
    except ValueError:
        moment = email.utils.parsedate_to_datetime(seconds) if seconds else None
        return max(0.0, moment.timestamp() - time.time()) if moment else None


class RetryPolicy:
    """Calls a function until it succeeds, fails for good, or the deadline comes."""

    def __init__(self, deadline: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.deadline = deadline
        self.attempts = 0
        self._sleep = sleep
        self._planned_waits: dict[int, float] = {}

    def call(self, attempt: Callable[[float], T]) -> T:
        """attempt receives the seconds left before the deadline."""
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(is_retryable),
            stop=self._should_stop,
            wait=self._wait,
            sleep=self._sleep,
            reraise=True,
        )

        def counted() -> T:
            self.attempts += 1
            return attempt(max(0.01, self.deadline - time.monotonic()))

        return retrying(counted)

    def _planned_wait(self, state: tenacity.RetryCallState) -> float:
        number = state.attempt_number
        if number not in self._planned_waits:
            error = state.outcome.exception() if state.outcome else None
            requested = server_requested_wait(error) if error else None
            if requested is None:
                ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2**number)
                requested = random.uniform(BACKOFF_BASE_SECONDS / 2, ceiling)
            self._planned_waits[number] = requested
        return self._planned_waits[number]

    def _should_stop(self, state: tenacity.RetryCallState) -> bool:
        error = state.outcome.exception() if state.outcome else None
        unreachable = isinstance(error, openai.APIConnectionError) and not isinstance(error, openai.APITimeoutError)
        if unreachable and state.attempt_number >= CONNECTION_ATTEMPTS:
            return True
        remaining = self.deadline - time.monotonic()
        return self._planned_wait(state) + MIN_ATTEMPT_SECONDS > remaining

    def _wait(self, state: tenacity.RetryCallState) -> float:
        return self._planned_wait(state)


def describe_attempts(policy: RetryPolicy, started: float) -> str:
    elapsed = time.monotonic() - started
    noun = "attempt" if policy.attempts == 1 else "attempts"
    return f"{policy.attempts} {noun} in {elapsed:.1f} s"
