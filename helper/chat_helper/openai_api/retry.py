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


UNMENDABLE = frozenset({"quota", "context_length", "unknown_model", "too_large"})  # no retry can change their answer
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


def retrying(
    deadline: float,
    sleep: Callable[[float], None] = time.sleep,
    exchange_deadline: Callable[[], float] | None = None,
) -> tenacity.Retrying:
    """The policy for one exchange that starts now; sleep is how it waits (tests pass their own).

    exchange_deadline: when the exchange is paced (answers/pacing.py), when its own time runs out, its
    waits for turns left out; a rate limit's 429 is then retried at once, and the pacer waits for it.
    """
    backoff = tenacity.wait_random_exponential(
        multiplier=2 * BACKOFF_BASE_SECONDS, max=BACKOFF_MAX_SECONDS, min=BACKOFF_BASE_SECONDS / 2
    )  # a wait drawn from BACKOFF_BASE_SECONDS / 2 to BACKOFF_BASE_SECONDS * 2 ** attempt, at most BACKOFF_MAX_SECONDS
    return tenacity.Retrying(
        retry=tenacity.retry_if_exception(is_retryable),
        wait=wait_server_requested(otherwise=backoff, paced=exchange_deadline is not None),
        stop=stop_after_unreachable(CONNECTION_ATTEMPTS) | stop_past_budget(deadline, exchange_deadline),
        sleep=sleep,
        reraise=True,
    )


def is_rate_limited(error: BaseException | None) -> bool:
    """A 429 that waiting mends (a rate limit; not quota, not a request larger than the limit)."""
    return isinstance(error, openai.APIStatusError) and error.status_code == 429 and is_retryable(error)


class wait_server_requested(tenacity.wait.wait_base):  # lower case: named as tenacity names its waits
    """The wait the server asked for in retry-after-ms or retry-after, else the other wait's; none for a
    paced rate limit's 429, whose wait the pacer keeps (for every process)."""

    def __init__(self, otherwise: tenacity.wait.wait_base, paced: bool = False) -> None:
        self.otherwise = otherwise
        self.paced = paced

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        error = _error(retry_state)
        if self.paced and is_rate_limited(error):
            return 0.0
        requested = server_requested_wait(error)
        return self.otherwise(retry_state) if requested is None else requested


class stop_past_budget(tenacity.stop.stop_base):  # lower case: named as tenacity names its stops
    """Stops when the wait just planned would leave less than MIN_ATTEMPT_SECONDS before the deadline
    (time.monotonic()), or, paced, before the exchange's own deadline (not for a rate limit's 429: the
    pacer bounds that wait by rate_limit_wait_seconds)."""

    def __init__(self, deadline: float, exchange_deadline: Callable[[], float] | None = None) -> None:
        self.deadline = deadline
        self.exchange_deadline = exchange_deadline

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        next_start = time.monotonic() + (retry_state.upcoming_sleep or 0.0) + MIN_ATTEMPT_SECONDS
        if next_start > self.deadline:
            return True
        if self.exchange_deadline is None or is_rate_limited(_error(retry_state)):
            return False
        return next_start > self.exchange_deadline()


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
