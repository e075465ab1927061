"""Retries: which failures, how many requests, and how long the waits are."""

import time

import pytest

from testing.openai_server import Drop, api_error
from tests.conftest import USER_EXAMPLE


def test_rate_limit_waits_for_retry_after_then_succeeds(run_helper, openai_server):
    limited = api_error(
        429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", headers={"retry-after": "1"}
    )
    openai_server.queue(limited, limited)
    started = time.monotonic()
    run = run_helper(USER_EXAMPLE)
    elapsed = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 3
    assert elapsed >= 2.0, "retry-after: 1 was not honoured"


def test_retry_after_ms_takes_precedence(run_helper, openai_server):
    openai_server.queue(
        api_error(
            429,
            "Rate limit reached",
            "requests",
            "rate_limit_exceeded",
            headers={"retry-after-ms": "1500", "retry-after": "30"},
        )
    )
    started = time.monotonic()
    run = run_helper(USER_EXAMPLE)
    elapsed = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    assert 1.5 <= elapsed < 15, elapsed
    assert len(openai_server.completion_requests()) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 408, 409])
def test_transient_statuses_are_retried_until_success(run_helper, openai_server, status):
    openai_server.queue(*[api_error(status, "try again", "server_error", None)] * 2)
    run = run_helper(USER_EXAMPLE)
    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 3


def test_a_dropped_connection_is_retried(run_helper, openai_server):
    openai_server.queue(Drop())
    run = run_helper(USER_EXAMPLE)
    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 2


def test_a_retry_after_beyond_the_budget_fails_without_waiting_it_out(run_helper, openai_server):
    openai_server.queue(
        api_error(429, "Rate limit reached", "requests", "rate_limit_exceeded", headers={"retry-after": "60"})
    )
    started = time.monotonic()
    run = run_helper({**USER_EXAMPLE, "timeout_seconds": 5})
    assert run.returncode == 1
    assert "429 rate_limit_exceeded" in run.stderr
    assert time.monotonic() - started < 5
    assert len(openai_server.completion_requests()) == 1


def test_an_unparseable_retry_after_falls_back_to_backoff(run_helper, openai_server):
    openai_server.queue(
        api_error(429, "Rate limit reached", "requests", "rate_limit_exceeded", headers={"retry-after": "soon"})
    )
    run = run_helper(USER_EXAMPLE)
    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 2


def test_connection_failures_are_counted_apart_from_server_errors(run_helper, openai_server):
    openai_server.queue(api_error(500, "x", "server_error", None), api_error(500, "x", "server_error", None), Drop())
    run = run_helper(USER_EXAMPLE)
    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 4
