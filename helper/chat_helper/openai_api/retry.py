"""When to retry an API exchange and how long to wait: tenacity's own retry, wait and stop.

Retried: connection errors and timeouts (an endpoint not reached at most CONNECTION_ATTEMPTS times),
408, 409, 429 other than insufficient_quota, and 5xx. Waits honour retry-after-ms / retry-after,
else exponential backoff with full jitter. No retry starts unless, after its wait, MIN_ATTEMPT_SECONDS
are left before the deadline.
"""

import datetime
import email.utils
import time
from collections.abc import Callable

import tenacity

from .sdk import openai

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


def server_requested_wait(error: BaseException | None) -> float | None:
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


def retrying(deadline: float, sleep: Callable[[float], None] = time.sleep) -> tenacity.Retrying:
    """The policy for one exchange that starts now; sleep is how it waits (tests pass their own)."""
    backoff = tenacity.wait_random_exponential(
        multiplier=2 * BACKOFF_BASE_SECONDS, max=BACKOFF_MAX_SECONDS, min=BACKOFF_BASE_SECONDS / 2
    )  # a wait drawn from BACKOFF_BASE_SECONDS / 2 to BACKOFF_BASE_SECONDS * 2 ** attempt, at most BACKOFF_MAX_SECONDS
    return tenacity.Retrying(
        retry=tenacity.retry_if_exception(is_retryable),
        wait=wait_server_requested(otherwise=backoff),
        # stop_before_delay sees the wait just planned (retry_state.upcoming_sleep): no retry waits past the deadline.
        stop=stop_after_unreachable(CONNECTION_ATTEMPTS)
        | tenacity.stop_before_delay(deadline - time.monotonic() - MIN_ATTEMPT_SECONDS),
        sleep=sleep,
        reraise=True,
    )


class wait_server_requested(tenacity.wait.wait_base):  # lower case: named as tenacity names its waits
    """The wait the server asked for in retry-after-ms or retry-after, else the other wait's."""

    def __init__(self, otherwise: tenacity.wait.wait_base) -> None:
        self.otherwise = otherwise

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        requested = server_requested_wait(_error(retry_state))
        return self.otherwise(retry_state) if requested is None else requested


class stop_after_unreachable(tenacity.stop.stop_base):  # lower case: named as tenacity names its stops
    """Stops once the endpoint was not reached this many times (a timeout does not count: it was reached).

    It counts across the attempts of one exchange: make one for each (retrying() does).
    """

    def __init__(self, attempts: int) -> None:
        self.attempts = attempts
        self.unreachable = 0

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        error = _error(retry_state)
        if not isinstance(error, openai.APIConnectionError) or isinstance(error, openai.APITimeoutError):
            return False
        self.unreachable += 1
        return self.unreachable >= self.attempts


def _error(retry_state: tenacity.RetryCallState) -> BaseException | None:
    return retry_state.outcome.exception() if retry_state.outcome is not None else None
