"""Retries: which failures, how many requests, and how long the waits are.

Each test runs one exchange of the SDK with the loopback server, and hands the retry policy a sleep
that only records the wait it was asked for: the waits are asserted, never waited.
"""

import time
from collections.abc import Callable
from typing import Any

import pytest
from chat_helper.openai_api.endpoint import Endpoint
from chat_helper.openai_api.exchange import exchange
from chat_helper.openai_api.failures import ApiFailure
from chat_helper.openai_api.retry import BACKOFF_BASE_SECONDS

from testing.helper_process import USER_EXAMPLE
from testing.openai_server import Drop, OpenAIServer, api_error
from testing.secret_canary import TEST_API_KEY

Exchange = Callable[..., tuple["str | ApiFailure", list[float]]]


@pytest.fixture
def one_exchange(openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> Exchange:
    """One chat completion exchange: (the body or the failure, the waits the policy asked for)."""
    monkeypatch.setenv("OPENAI_API_KEY", TEST_API_KEY)
    endpoint = Endpoint(base_url=openai_server.base_url, organization=None, project=None)

    def send(client: Any) -> Any:
        return client.chat.completions.with_raw_response.create(
            model=USER_EXAMPLE["model"], messages=USER_EXAMPLE["messages"]
        )

    def run(timeout_seconds: float = 60) -> tuple[str | ApiFailure, list[float]]:
        waits: list[float] = []
        try:
            body = exchange(endpoint, time.monotonic() + timeout_seconds, send, sleep=waits.append)
        except ApiFailure as failure:
            return failure, waits
        return body, waits

    return run


def _rate_limited(**headers: str) -> Any:
    return api_error(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", headers=headers)


def _backoff_window(attempt: int) -> tuple[float, float]:
    """Where the backoff's wait after this attempt falls (full jitter)."""
    return BACKOFF_BASE_SECONDS / 2, BACKOFF_BASE_SECONDS * 2**attempt


def test_rate_limit_waits_for_retry_after_then_succeeds(one_exchange, openai_server):
    openai_server.queue(_rate_limited(**{"retry-after": "1"}), _rate_limited(**{"retry-after": "1"}))
    body, waits = one_exchange()
    assert isinstance(body, str), body
    assert len(openai_server.completion_requests()) == 3
    assert waits == [1.0, 1.0], "retry-after: 1 was not honoured"


def test_retry_after_ms_takes_precedence(one_exchange, openai_server):
    openai_server.queue(_rate_limited(**{"retry-after-ms": "1500", "retry-after": "30"}))
    body, waits = one_exchange()
    assert isinstance(body, str), body
    assert waits == [1.5]
    assert len(openai_server.completion_requests()) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 408, 409])
def test_transient_statuses_are_retried_until_success(one_exchange, openai_server, status):
    openai_server.queue(*[api_error(status, "try again", "server_error", None)] * 2)
    body, waits = one_exchange()
    assert isinstance(body, str), body
    assert len(openai_server.completion_requests()) == 3
    assert len(waits) == 2
    for attempt, wait in enumerate(waits, start=1):
        low, high = _backoff_window(attempt)
        assert low <= wait <= high, (attempt, wait)


def test_a_dropped_connection_is_retried(one_exchange, openai_server):
    openai_server.queue(Drop())
    body, _ = one_exchange()
    assert isinstance(body, str), body
    assert len(openai_server.completion_requests()) == 2


def test_a_retry_after_beyond_the_budget_fails_without_waiting_it_out(one_exchange, openai_server):
    openai_server.queue(_rate_limited(**{"retry-after": "60"}))
    failure, waits = one_exchange(timeout_seconds=5)
    assert isinstance(failure, ApiFailure)
    assert "429 rate_limit_exceeded" in failure.line()
    assert waits == [], "it waited although the wait would have passed the deadline"
    assert len(openai_server.completion_requests()) == 1


def test_an_unparseable_retry_after_falls_back_to_backoff(one_exchange, openai_server):
    openai_server.queue(_rate_limited(**{"retry-after": "soon"}))
    body, waits = one_exchange()
    assert isinstance(body, str), body
    assert len(openai_server.completion_requests()) == 2
    [wait] = waits
    low, high = _backoff_window(1)
    assert low <= wait <= high


def test_connection_failures_are_counted_apart_from_server_errors(one_exchange, openai_server):
    openai_server.queue(api_error(500, "x", "server_error", None), api_error(500, "x", "server_error", None), Drop())
    body, waits = one_exchange()
    assert isinstance(body, str), body
    assert len(openai_server.completion_requests()) == 4
    assert len(waits) == 3
