"""When to retry an API exchange and how long to wait: tenacity's own retry, wait and stop.

Retried: connection errors and timeouts (an endpoint not reached at most CONNECTION_ATTEMPTS times),
408, 409, 429 and 5xx, unless the failure is one no retry can mend: the account out of quota, a
request too long for the model, an unknown model, however a gateway wrapped it (error_body.py).
Waits honour retry-after-ms / retry-after (and a LiteLLM gateway's llm_provider- copies of them),
else exponential backoff with full jitter. No retry starts unless, after its wait,
MIN_ATTEMPT_SECONDS are left before the deadline.
"""

import datetime
import email.utils
import time
from collections.abc import Callable

import tenacity

from .error_body import ErrorBody, failure_cause, read_error_body
from .sdk import openai

CONNECTION_ATTEMPTS = 3
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 20.0
MIN_ATTEMPT_SECONDS = 0.5
RETRIED_STATUSES = frozenset({408, 409, 429})


UNMENDABLE = frozenset({"quota", "context_length", "unknown_model"})  # no retry can change their answer
# Where the server asks for a wait: the API's headers, then a LiteLLM gateway's copies of the upstream's.
RETRY_AFTER_MS = ("retry-after-ms", "llm_provider-retry-after-ms")
RETRY_AFTER = ("retry-after", "llm_provider-retry-after")


def is_retryable(error: BaseException) -> bool:
    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(error, openai.APIStatusError):
        if failure_cause(error.status_code, error_body(error)) in UNMENDABLE:
            return False
        return error.status_code in RETRIED_STATUSES or error.status_code >= 500
    return False


def error_body(error: openai.APIStatusError) -> ErrorBody:
    """The error response's body, read whatever its shape."""
    text = error.response.text if error.response is not None else ""
    return read_error_body(text, error.status_code)


def server_requested_wait(error: BaseException | None) -> float | None:
    """Seconds the server asked for in retry-after-ms or retry-after, if it asked."""
    if not isinstance(error, openai.APIStatusError):
        return None
    headers = error.response.headers
    for name in RETRY_AFTER_MS:
        milliseconds = headers.get(name)
        if milliseconds is not None:
            try:
                return max(0.0, float(milliseconds) / 1000)
            except ValueError:
                pass
    seconds = next((headers[name] for name in RETRY_AFTER if headers.get(name) is not None), None)
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
