"""Flex processing (service_tier = "flex") against the loopback server's Flex with no capacity (429
Resource Unavailable): with flex_fallback the request is asked again at the standard tier and the
service_tier output says so; without it, Flex is retried as any 429 is. A Flex request's default time
budget is the guide's 15 minutes."""

from typing import Any

import pytest
from chat_helper.core.settings import FLEX_TIMEOUT_SECONDS, parse_endpoint_settings

from testing.helper_process import CHAT_FLOW, RESPONSE_FLOW, assert_one_error_line

REQUESTS = {
    CHAT_FLOW: {"model": "gpt-4o", "messages": [{"role": "user", "content": "Summarise the plan."}]},
    RESPONSE_FLOW: {"model": "gpt-4o", "input": "Summarise the plan."},
}


def sent(openai_server: Any, flow: str) -> list[Any]:
    return openai_server.completion_requests() if flow == CHAT_FLOW else openai_server.response_requests()


@pytest.mark.parametrize("flow", [CHAT_FLOW, RESPONSE_FLOW])
def test_flex_without_capacity_falls_back_to_the_standard_tier(run_helper, openai_server, flow):
    openai_server.flex_capacity = False

    run = run_helper({**REQUESTS[flow], "service_tier": "flex", "flex_fallback": True}, flow=flow)

    assert run.returncode == 0, run.stderr
    assert run.result["service_tier"] == "default"
    assert [request.body["service_tier"] for request in sent(openai_server, flow)] == ["flex", "auto"]


@pytest.mark.parametrize("flow", [CHAT_FLOW, RESPONSE_FLOW])
def test_flex_with_capacity_is_served_by_flex(run_helper, openai_server, flow):
    run = run_helper({**REQUESTS[flow], "service_tier": "flex", "flex_fallback": True}, flow=flow)

    assert run.returncode == 0, run.stderr
    assert run.result["service_tier"] == "flex"
    assert len(sent(openai_server, flow)) == 1


def test_without_the_fallback_flex_is_retried_and_never_sent_at_another_tier(run_helper, openai_server):
    openai_server.flex_capacity = False

    run = run_helper({**REQUESTS[CHAT_FLOW], "service_tier": "flex", "timeout_seconds": 3})

    assert_one_error_line(run, "429", "Resource Unavailable")
    requests = openai_server.completion_requests()
    assert len(requests) >= 2 and all(request.body["service_tier"] == "flex" for request in requests)


def test_a_rate_limit_429_is_not_a_reason_to_leave_flex(run_helper, openai_server):
    openai_server.rate_limit_per_minute = 1
    run_helper({**REQUESTS[CHAT_FLOW], "service_tier": "flex"})

    run = run_helper(
        {**REQUESTS[CHAT_FLOW], "service_tier": "flex", "flex_fallback": True, "n": 2, "timeout_seconds": 2}
    )

    assert run.returncode == 1
    assert all(request.body["service_tier"] == "flex" for request in openai_server.completion_requests())


def test_flex_fallback_must_be_a_boolean(run_helper, openai_server):
    run = run_helper({**REQUESTS[CHAT_FLOW], "service_tier": "flex", "flex_fallback": "yes"})
    assert_one_error_line(run, "input flex_fallback: must be true or false")
    assert openai_server.requests == []


def test_a_flex_requests_default_time_budget_is_the_guides():
    assert parse_endpoint_settings({"service_tier": "flex"}).timeout_seconds == FLEX_TIMEOUT_SECONDS == 900
    assert parse_endpoint_settings({"service_tier": "default"}).timeout_seconds == 120
    assert parse_endpoint_settings({"service_tier": "flex", "timeout_seconds": 30}).timeout_seconds == 30
