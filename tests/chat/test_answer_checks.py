"""Structured outputs are parsed and checked; cut-off, filtered and refused answers fail unless allowed."""

import json
from pathlib import Path
from typing import Any

import pytest

from testing.helper_process import USER_EXAMPLE, assert_one_error_line
from testing.openai_server import OpenAIServer, Reply

TICKET_SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "priority": {"type": "integer", "minimum": 1, "maximum": 5},
        "labels": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["title", "priority", "labels"],
    "additionalProperties": False,
}
JSON_SCHEMA_FORMAT = {"type": "json_schema", "name": "ticket", "schema": json.dumps(TICKET_SCHEMA), "strict": True}


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").rglob("*.json"))


def _answer(server: OpenAIServer, *, content: str | None, finish_reason: str = "stop", **message: Any) -> Reply:
    """A completion whose first choice says exactly this."""
    body = server.completion_for({"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]})
    body["choices"][0]["message"].update({"content": content, **message})
    body["choices"][0]["finish_reason"] = finish_reason
    return Reply(200, body)


def test_a_json_schema_answer_is_parsed_and_sent_in_the_api_shape(run_helper, openai_server):
    result = run_helper({**USER_EXAMPLE, "response_format": JSON_SCHEMA_FORMAT}).result
    assert result["parsed"] == {"title": "sample", "priority": 1, "labels": ["sample"]}
    assert json.loads(result["content"]) == result["parsed"]
    [request] = openai_server.completion_requests()
    assert request.body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "ticket", "schema": TICKET_SCHEMA, "strict": True},
    }


def test_a_json_object_answer_is_parsed(run_helper, openai_server):
    result = run_helper({**USER_EXAMPLE, "response_format": {"type": "json_object"}}).result
    assert result["parsed"] == {"answer": "Tell me about the solar system."}


def test_a_text_answer_has_no_parsed_value(run_helper, openai_server):
    assert run_helper(USER_EXAMPLE).result["parsed"] is None


def test_an_answer_that_breaks_the_schema_names_the_first_violation_and_is_not_cached(
    run_helper, openai_server, tmp_path
):
    wrong = {"title": "Disk full", "priority": 9, "labels": []}
    openai_server.queue(_answer(openai_server, content=json.dumps(wrong)))
    run = run_helper({**USER_EXAMPLE, "response_format": JSON_SCHEMA_FORMAT})
    assert_one_error_line(run, "does not match response_format.schema", "/priority", "9 is greater than the maximum")
    assert _entries(tmp_path) == []


def test_an_answer_that_is_not_json_is_refused(run_helper, openai_server, tmp_path):
    openai_server.queue(_answer(openai_server, content="Sure! Here is the ticket: {"))
    run = run_helper({**USER_EXAMPLE, "response_format": {"type": "json_object"}})
    assert_one_error_line(run, "not the JSON that response_format asked for", "Sure! Here is")
    assert _entries(tmp_path) == []


def test_a_structured_answer_cut_off_says_so_even_when_cut_offs_are_allowed(run_helper, openai_server, tmp_path):
    openai_server.queue(_answer(openai_server, content='{"title": "Disk', finish_reason="length"))
    run = run_helper({**USER_EXAMPLE, "response_format": JSON_SCHEMA_FORMAT, "allow_length_cutoff": True})
    assert_one_error_line(run, "structured answer was cut off", 'finish_reason = "length"', "max_completion_tokens")
    assert _entries(tmp_path) == []


@pytest.mark.parametrize(
    ("finish_reason", "message", "allow", "fragments"),
    [
        ("length", {}, "allow_length_cutoff", ["cut off", "allow_length_cutoff = true"]),
        ("content_filter", {}, "allow_content_filter", ["content filter", "allow_content_filter = true"]),
        ("stop", {"refusal": "I can't help with that."}, "allow_refusal", ["refused", "I can't help", "allow_refusal"]),
    ],
)
def test_guardrails_fail_until_allowed(run_helper, openai_server, tmp_path, finish_reason, message, allow, fragments):
    content = None if "refusal" in message else "partial answer"
    openai_server.queue(_answer(openai_server, content=content, finish_reason=finish_reason, **message))
    refused = run_helper(USER_EXAMPLE)
    assert_one_error_line(refused, *fragments)
    assert _entries(tmp_path) == [], "an answer the configuration does not accept is not cached"

    openai_server.queue(_answer(openai_server, content=content, finish_reason=finish_reason, **message))
    accepted = run_helper({**USER_EXAMPLE, allow: True})
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.result["finish_reason"] == finish_reason
    assert accepted.result["refusal"] == message.get("refusal")
    assert len(_entries(tmp_path)) == 1
    assert len(openai_server.completion_requests()) == 2


def test_allowing_an_answer_does_not_change_the_request_identity(run_helper, openai_server):
    plain = run_helper(USER_EXAMPLE).result
    allowed = run_helper({**USER_EXAMPLE, "allow_length_cutoff": True, "allow_refusal": True}).result
    assert allowed["request_sha256"] == plain["request_sha256"]
    assert len(openai_server.completion_requests()) == 1


def test_a_cached_answer_is_checked_again_when_the_guardrails_tighten(run_helper, openai_server):
    openai_server.queue(_answer(openai_server, content="partial", finish_reason="length"))
    assert run_helper({**USER_EXAMPLE, "allow_length_cutoff": True}).returncode == 0
    tightened = run_helper(USER_EXAMPLE)
    assert_one_error_line(tightened, "cut off")
    assert len(openai_server.completion_requests()) == 1


def test_tool_calls_come_back_raw_and_decoded(run_helper, openai_server):
    tools = [
        {
            "name": "create_ticket",
            "description": "Open a ticket",
            "parameters": json.dumps(TICKET_SCHEMA),
            "strict": True,
        },
        {"name": "ping"},
    ]
    result = run_helper(
        {**USER_EXAMPLE, "tools": tools, "tool_choice": "create_ticket", "parallel_tool_calls": False}
    ).result
    [call] = result["tool_calls"]
    assert call["name"] == "create_ticket" and call["type"] == "function" and call["id"]
    assert (
        json.loads(call["arguments"])
        == call["arguments_decoded"]
        == {
            "title": "sample",
            "priority": 1,
            "labels": ["sample"],
        }
    )
    assert result["finish_reason"] == "tool_calls" and result["content"] is None
    [request] = openai_server.completion_requests()
    assert request.body["tools"][1] == {"type": "function", "function": {"name": "ping"}}
    assert request.body["tool_choice"] == {"type": "function", "function": {"name": "create_ticket"}}


def test_invalid_tool_arguments_stay_raw_with_a_null_decoded_value(run_helper, openai_server):
    call = {"id": "call_1", "type": "function", "function": {"name": "ping", "arguments": "{not json"}}
    openai_server.queue(_answer(openai_server, content=None, finish_reason="tool_calls", tool_calls=[call]))
    [result] = run_helper({**USER_EXAMPLE, "tools": [{"name": "ping"}]}).result["tool_calls"]
    assert result["arguments"] == "{not json" and result["arguments_decoded"] is None


def test_a_tool_result_conversation_is_sent_whole(run_helper, openai_server):
    messages = [
        {"role": "user", "content": "Open a ticket for the full disk."},
        {
            "role": "assistant",
            "tool_calls": [
                {"id": "call_7", "type": "function", "function": {"name": "ping", "arguments": "{}"}},
            ],
        },
        {"role": "tool", "tool_call_id": "call_7", "content": "pong"},
        {"role": "user", "content": "Now summarise."},
    ]
    result = run_helper({"model": "gpt-4o", "messages": messages, "tools": [{"name": "ping"}], "tool_choice": "none"})
    assert result.result["content"] == "Echo from gpt-4o: Now summarise."
    [request] = openai_server.completion_requests()
    assert request.body["messages"][2] == {"role": "tool", "tool_call_id": "call_7", "content": "pong"}


def test_non_finite_numbers_in_tool_arguments_leave_only_the_raw_string(run_helper, openai_server):
    call = {"id": "call_1", "type": "function", "function": {"name": "ping", "arguments": '{"x": NaN, "y": 1e999}'}}
    openai_server.queue(_answer(openai_server, content=None, finish_reason="tool_calls", tool_calls=[call]))
    run = run_helper({**USER_EXAMPLE, "tools": [{"name": "ping"}]})
    for value in json.loads(run.stdout).values():  # what Terraform's jsondecode accepts: no NaN, no Infinity
        json.loads(value, parse_constant=lambda constant: pytest.fail(f"{constant} reached Terraform"))
    [result] = run.result["tool_calls"]
    assert result["arguments_decoded"] is None and result["arguments"] == '{"x": NaN, "y": 1e999}'


def test_a_structured_answer_with_a_number_too_large_is_refused_and_not_cached(run_helper, openai_server, tmp_path):
    openai_server.queue(_answer(openai_server, content='{"answer": 1e999}'))
    run = run_helper({**USER_EXAMPLE, "response_format": {"type": "json_object"}})
    assert_one_error_line(run, "not the JSON that response_format asked for", "too large")
    assert _entries(tmp_path) == []


def test_a_non_finite_log_probability_becomes_null(run_helper, openai_server):
    body = openai_server.completion_for({"model": "gpt-4o", "messages": [{"role": "user", "content": "x"}]})
    body["choices"][0]["logprobs"] = {"content": [{"token": "a", "logprob": float("-inf"), "top_logprobs": []}]}
    openai_server.queue(Reply(200, body))
    result = run_helper({**USER_EXAMPLE, "logprobs": True}).result
    assert result["choices"][0]["logprobs"]["content"][0]["logprob"] is None


@pytest.mark.parametrize(
    ("reference", "fragment"),
    [("#/$defs/missing", "points at nothing"), ("https://example.com/schema.json", "must point inside the schema")],
)
def test_a_schema_reference_that_cannot_be_resolved_is_refused_before_the_call(
    run_helper, openai_server, reference, fragment
):
    schema = {"type": "object", "properties": {"item": {"$ref": reference}}, "$defs": {"item": {"type": "string"}}}
    response_format = {"type": "json_schema", "name": "answer", "schema": json.dumps(schema)}
    run = run_helper({**USER_EXAMPLE, "response_format": response_format})
    assert_one_error_line(run, "input response_format.schema", fragment)
    assert openai_server.completion_requests() == []


def test_a_schema_with_local_references_checks_the_answer(run_helper, openai_server):
    schema = {
        "type": "object",
        "properties": {"item": {"$ref": "#/$defs/item"}},
        "required": ["item"],
        "$defs": {"item": {"type": "integer"}},
    }
    openai_server.queue(_answer(openai_server, content='{"item": "seven"}'))
    response_format = {"type": "json_schema", "name": "answer", "schema": json.dumps(schema)}
    run = run_helper({**USER_EXAMPLE, "response_format": response_format})
    assert_one_error_line(run, "does not match response_format.schema at /item", "'seven' is not of type 'integer'")


def test_sensitive_keeps_answer_text_out_of_error_messages(run_helper, openai_server):
    openai_server.queue(_answer(openai_server, content=None, refusal="The secret plan is X."))
    refused = run_helper({**USER_EXAMPLE, "sensitive": True})
    assert_one_error_line(refused, "the model refused", "hidden: sensitive = true")
    assert "secret plan" not in refused.stderr

    openai_server.queue(
        _answer(openai_server, content=json.dumps({"title": "Secret title", "priority": 9, "labels": []}))
    )
    broken = run_helper({**USER_EXAMPLE, "response_format": JSON_SCHEMA_FORMAT, "sensitive": True})
    assert_one_error_line(broken, "at /priority", "'maximum' rule", "hidden: sensitive = true")
    assert "9" not in broken.stderr.split("at /priority")[1]

    replay = run_helper({**USER_EXAMPLE, "cache_mode": "replay", "sensitive": True})
    assert_one_error_line(replay, "no stored answer", "hidden: sensitive = true")
    assert "solar system" not in replay.stderr
