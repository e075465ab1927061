"""When to retry an API call and how long to wait: one policy, with tenacity.

Retried: connection errors and timeouts (at most CONNECTION_ATTEMPTS), 408, 409, 429 other than
insufficient_quota, and 5xx. Waits honour retry-after-ms / retry-after, else exponential backoff
with full jitter. Nothing is retried past the request's deadline.
"""

import datetime
import email.utils
import random
import time
from collections.abc import Callable
from typing import TypeVar

import tenacity

from .sdk import openai

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
        if error.status_code == 429 and is_quota_error(error):
            return False
        return error.status_code in RETRIED_STATUSES or error.status_code >= 500
    return False


def is_quota_error(error: openai.APIStatusError) -> bool:
    body = error.body
    inner = body.get("error", body) if isinstance(body, dict) else None
    kinds = (inner.get("code"), inner.get("type")) if isinstance(inner, dict) else ()
    return "insufficient_quota" in kinds


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
        pass
    try:
        moment = email.utils.parsedate_to_datetime(seconds)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None  # neither seconds nor an HTTP date: fall back to backoff
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, moment.timestamp() - time.time())


class RetryPolicy:
    """Calls a function until it succeeds, fails for good, or the deadline comes."""

    def __init__(self, deadline: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.deadline = deadline
        self.attempts = 0
        self._sleep = sleep
        self._planned_waits: dict[int, float] = {}
        self._connection_failures = 0

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
            try:
                return attempt(max(0.01, self.deadline - time.monotonic()))
            except openai.APITimeoutError:
                raise
            except openai.APIConnectionError:
                self._connection_failures += 1
                raise

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
        if unreachable and self._connection_failures >= CONNECTION_ATTEMPTS:
            return True
        remaining = self.deadline - time.monotonic()
        return self._planned_wait(state) + MIN_ATTEMPT_SECONDS > remaining

    def _wait(self, state: tenacity.RetryCallState) -> float:
        return self._planned_wait(state)
