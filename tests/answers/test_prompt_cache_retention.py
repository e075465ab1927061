"""prompt_cache_retention (in_memory or 24h: how long the API may keep a request's cached prompt prefix),
sent as written by chat_completion, chat_completions and response, and part of the cache key."""

import pytest

from testing.helper_process import CHAT_FLOW, RESPONSE_FLOW, assert_one_error_line

CHAT = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Review the plan."}]}
RESPONSE = {"model": "gpt-4o", "input": "Review the plan."}


@pytest.mark.parametrize(("flow", "request_inputs"), [(CHAT_FLOW, CHAT), (RESPONSE_FLOW, RESPONSE)])
def test_it_is_sent_and_asks_again_when_changed(run_helper, openai_server, flow, request_inputs):
    day = run_helper({**request_inputs, "prompt_cache_retention": "24h"}, flow=flow)
    memory = run_helper({**request_inputs, "prompt_cache_retention": "in_memory"}, flow=flow)

    assert day.returncode == 0 and memory.returncode == 0, day.stderr + memory.stderr
    assert day.result["request_sha256"] != memory.result["request_sha256"]
    [first, second] = [request.body for request in openai_server.requests if request.method == "POST"]
    assert (first["prompt_cache_retention"], second["prompt_cache_retention"]) == ("24h", "in_memory")


def test_a_key_of_chat_completions_sets_its_own(run_helper, openai_server):
    requests = {
        "a": {"messages": CHAT["messages"], "prompt_cache_retention": "24h"},
        "b": {"messages": CHAT["messages"]},
    }

    run = run_helper({"model": "gpt-4o", "requests": requests}, flow="chat_completions")

    assert run.returncode == 0, run.stderr
    retention = sorted(str(r.body.get("prompt_cache_retention")) for r in openai_server.completion_requests())
    assert retention == ["24h", "None"]


@pytest.mark.parametrize(("flow", "request_inputs"), [(CHAT_FLOW, CHAT), (RESPONSE_FLOW, RESPONSE)])
def test_another_value_fails_naming_the_input(run_helper, openai_server, flow, request_inputs):
    run = run_helper({**request_inputs, "prompt_cache_retention": "1h"}, flow=flow)

    assert_one_error_line(run, "input prompt_cache_retention", "'1h' is not one of ['in_memory', '24h']")
    assert openai_server.requests == []
