"""One API exchange (a request and its answer's body) under the retry policy, within a deadline.

No HTTP exchange runs past the deadline (bounded_by): the SDK's timeout bounds each read, not a
whole answer that a server sends slowly. A failure for good comes back as an ApiFailure in parts.
"""

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from ..core.errors import ApiError
from ..core.time_limit import TimeUp, time_limit
from .client import client_for
from .endpoint import Endpoint
from .error_body import failure_cause
from .failures import ApiFailure, FailureKind
from .rate_headers import RateReport, read_report
from .retry import error_body, is_rate_limited, retrying
from .sdk import openai

# By name: the SDK's HTTP stack (httpx, or httpx2 in newer SDKs) is not ours to import.
BROKEN_EXCHANGE_ERRORS = frozenset({"RemoteProtocolError", "ReadError", "WriteError"})


class Pacer(Protocol):
    """Pacing to the rate limits (answers/pacing.py): a turn is taken before each attempt, and what the
    attempt's answer said about the limits is given back after it."""

    @property
    def exchange_deadline(self) -> float:
        """When the exchanges' own time runs out (time.monotonic()), the waits for turns left out."""

    def wait_turn(self) -> Any:
        """Sleeps until the request may be sent; its turn, given back to finish."""

    def finish(self, turn: Any, report: RateReport | None, kind: str) -> None:
        """kind: answered, rate_limited or other. Must not raise (the exchange guards it all the same)."""


class DeadlinePassed(openai.OpenAIError):
    """The deadline came during an attempt (reported as the SDK's timeout is)."""


@contextlib.contextmanager
def bounded_by(deadline: float) -> Iterator[None]:
    """Interrupts the block at the deadline (time.monotonic()) with DeadlinePassed.

    Only around the HTTP exchange itself: code that holds a lock or writes a file must not be cut short.
    """
    try:
        with time_limit(deadline - time.monotonic()):
            yield
    except TimeUp:
        raise DeadlinePassed("no answer within the time budget") from None


def exchange(
    endpoint: Endpoint,
    deadline: float,
    send: Callable[[openai.OpenAI], Any],
    pacer: Pacer | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """The answer's body; send makes the raw-response call with the client it is given (its timeout set).

    sleep is how the retry policy waits between attempts (tests pass their own). With a pacer, each
    attempt waits its turn first and is bounded by the exchanges' own time, and an answer is returned
    whatever its bookkeeping does.
    """
    client = client_for(endpoint)
    policy = retrying(deadline, sleep, None if pacer is None else lambda: pacer.exchange_deadline)
    started = time.monotonic()

    def attempt() -> str:
        if pacer is None:
            return _sent(client, send, deadline)
        turn = pacer.wait_turn()
        report, kind = None, "other"
        try:
            raw = _raw_sent(client, send, min(deadline, pacer.exchange_deadline))
            report, kind = read_report(raw.headers), "answered"
            return str(raw.text)
        except openai.APIStatusError as error:
            report = read_report(error.response.headers, error.status_code, error.response.text)
            kind = "rate_limited" if is_rate_limited(error) else "other"
            raise
        finally:
            _record(pacer, turn, report, kind)  # outside the bound: never cut short, and never raising

    try:
        return policy(attempt)
    except openai.OpenAIError as error:
        attempts = policy.statistics["attempt_number"]
        raise _failure(error, endpoint, attempts, time.monotonic() - started) from None


def _sent(client: openai.OpenAI, send: Callable[[openai.OpenAI], Any], deadline: float) -> str:
    return str(_raw_sent(client, send, deadline).text)


def _raw_sent(client: openai.OpenAI, send: Callable[[openai.OpenAI], Any], deadline: float) -> Any:
    """The answer's HTTP response, read in full before the deadline."""
    with bounded_by(deadline):
        seconds_left = max(0.01, deadline - time.monotonic())  # after any wait for a turn
        response = send(client.with_options(timeout=seconds_left)).http_response
        response.read()
        return response


def _record(pacer: Pacer, turn: Any, report: RateReport | None, kind: str) -> None:
    """The attempt's bookkeeping; an answer that arrived is never lost to it."""
    with contextlib.suppress(Exception):  # an answer arrived, or a failure is being reported: either matters more
        pacer.finish(turn, report, kind)


def json_object(body: str, endpoint: Endpoint, read: str | None = None) -> dict[str, Any]:
    """A body as a JSON object; ApiError when it is not one. read: the stored read it answered (GET ...),
    or None for an answer (of which nothing is then cached)."""
    what, ending = (f"{read} returned a body that", "") if read else ("the body", "; nothing was cached")
    try:
        decoded = json.loads(body)
    except ValueError:
        decoded = None
        problem = f"{what} is not JSON ({len(body)} bytes, starting {body[:60]!r})"
    else:
        problem = f"{what} is not a JSON object ({len(body)} bytes, starting {body[:60]!r})"
    if not isinstance(decoded, dict):
        raise ApiError(f"malformed response from {endpoint.base_url}: {problem}{ending}")
    return decoded


def _failure(error: openai.OpenAIError, endpoint: Endpoint, attempts: int, seconds: float) -> ApiFailure:
    if isinstance(error, (openai.APITimeoutError, DeadlinePassed)):
        return ApiFailure("timeout", endpoint, attempts, seconds, str(error))
    if isinstance(error, openai.APIConnectionError):
        kind: FailureKind = "broken" if _broke_after_connecting(error) else "unreachable"
        return ApiFailure(kind, endpoint, attempts, seconds, _root_cause(error))
    if isinstance(error, openai.APIStatusError):
        body = error_body(error)
        cause = failure_cause(error.status_code, body)
        return ApiFailure("status", endpoint, attempts, seconds, body.message, error.status_code, body.code, cause)
    return ApiFailure("client", endpoint, attempts, seconds, str(error))


def _broke_after_connecting(error: BaseException) -> bool:
    """True when the server was reached but the exchange broke (dropped or truncated answer)."""
    return type(_deepest_cause(error)).__name__ in BROKEN_EXCHANGE_ERRORS


def _root_cause(error: BaseException) -> str:
    cause = _deepest_cause(error)
    text = str(cause) or type(cause).__name__
    return text if cause is not error else "connection failed"


def _deepest_cause(error: BaseException) -> BaseException:
    cause = error
    while cause.__cause__ is not None:
        cause = cause.__cause__
    return cause
