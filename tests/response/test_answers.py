"""What modules/response gives back: the outputs of a Response, the guardrails by status, structured output,
and the cache that keeps plans quiet (answers/ under the response flow)."""

import json

import pytest

from testing.helper_process import RESPONSE_FLOW, assert_one_error_line
from testing.openai_server import Reply
from testing.responses_api import ResponseOutcome

WEATHER = {
    "name": "get_weather",
    "parameters": json.dumps(
        {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["city", "unit"],
            "additionalProperties": False,
        }
    ),
}
CAPITAL_SCHEMA = {
    "type": "object",
    "properties": {"capital": {"type": "string"}, "population": {"type": "integer"}},
    "required": ["capital", "population"],
    "additionalProperties": False,
}
CAPITAL_FORMAT = {"type": "json_schema", "name": "capital", "schema": json.dumps(CAPITAL_SCHEMA), "strict": True}


@pytest.fixture
def ask(run_helper):
    """Runs the response flow: a valid request, these inputs over it, and these settings."""

    def run(inputs=None, env=None, **settings):
        request = {"model": "gpt-4o", "input": "Name a planet.", **(inputs or {}), **settings}
        return run_helper(request, flow=RESPONSE_FLOW, env=env)

    return run


def cache_entries(tmp_path):
    return list((tmp_path / "cache").glob("*/*.json"))


def a_response(text):
    """A completed response body whose one message says text."""
    return {
        "id": "resp_scripted",
        "object": "response",
        "created_at": 1700000000,
        "status": "completed",
        "model": "gpt-4o",
        "output": [
            {
                "id": "msg_scripted",
                "type": "message",
                "status": "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": text, "annotations": []}],
            }
        ],
        "usage": {"input_tokens": 3, "output_tokens": 2, "total_tokens": 5},
    }


# -- the outputs ------------------------------------------------------------------------------------


def test_a_basic_answer_has_every_output(ask, openai_server):
    result = ask().result
    assert result["output_text"] == "Echo from gpt-4o: Name a planet."
    assert (result["status"], result["model"]) == ("completed", "gpt-4o")
    assert result["id"].startswith("resp_") and isinstance(result["created_at"], int)
    assert result["refusal"] is None and result["reasoning_summary"] is None and result["incomplete_reason"] is None
    assert result["function_calls"] == [] and result["parsed"] is None
    assert result["usage"] == {
        "input_tokens": 6,
        "cached_tokens": 0,
        "output_tokens": 7,
        "reasoning_tokens": 0,
        "total_tokens": 13,
    }
    [message] = result["output"]
    assert {k: message[k] for k in ("type", "role", "status", "text")} == {
        "type": "message",
        "role": "assistant",
        "status": "completed",
        "text": result["output_text"],
    }
    assert message["content"] == [{"type": "output_text", "text": result["output_text"], "refusal": None}]
    assert json.loads(message["json"])["id"] == message["id"]
    assert set(result) == {
        "id",
        "created_at",
        "status",
        "model",
        "output_text",
        "parsed",
        "refusal",
        "function_calls",
        "reasoning_summary",
        "output",
        "incomplete_reason",
        "usage",
        "service_tier",
        "request_sha256",
    }


def test_every_output_item_has_the_same_attributes_whatever_its_type(ask, openai_server):
    result = ask({"reasoning_summary": "auto", "hosted_tools": [{"type": "web_search"}]}).result
    assert [item["type"] for item in result["output"]] == ["reasoning", "web_search_call", "message"]
    assert len({tuple(sorted(item)) for item in result["output"]}) == 1
    search = result["output"][1]
    assert json.loads(search["json"])["action"]["query"] == "Name a planet."
    assert search["content"] is None and search["text"] is None


def test_the_same_request_again_is_answered_from_the_cache_with_no_request(ask, openai_server):
    first = ask()
    again = ask()
    assert again.stdout == first.stdout
    assert len(openai_server.response_requests()) == 1


def test_regenerate_asks_again(ask, openai_server):
    first = ask().result
    second = ask(regenerate="2").result
    assert second["id"] != first["id"] and second["request_sha256"] != first["request_sha256"]
    assert len(openai_server.response_requests()) == 2


def test_a_function_call_comes_out_with_its_arguments_decoded(ask, openai_server):
    result = ask({"input": "Weather in Paris?", "tools": [WEATHER]}).result
    [call] = result["function_calls"]
    assert call["name"] == "get_weather" and call["call_id"].startswith("call_") and call["id"].startswith("fc_")
    assert call["arguments_decoded"] == {"city": "sample", "unit": "celsius"} == json.loads(call["arguments"])
    assert result["output_text"] == "" and result["output"][0]["call_id"] == call["call_id"]


def test_a_function_result_goes_back_as_a_function_call_output_item(ask, openai_server):
    first = ask({"input": "Weather in Paris?", "tools": [WEATHER]}).result
    call_id = first["function_calls"][0]["call_id"]
    output = {"type": "function_call_output", "call_id": call_id, "output": '{"temperature": 21}'}
    second = ask(
        {"input": None, "input_items": [output], "previous_response_id": first["id"], "tools": [WEATHER]}
    ).result
    assert second["output_text"] == (
        f'Echo from gpt-4o: Weather in Paris? ({call_id} returned {{"temperature": 21}}) (continuing {first["id"]})'
    )
    assert second["function_calls"] == []
    assert openai_server.response_requests()[1].body["input"] == [output]


def test_a_round_trip_without_a_stored_response_sends_the_call_back_with_its_result(ask, openai_server):
    first = ask({"input": "Weather in Paris?", "tools": [WEATHER], "store": False}).result
    call = first["function_calls"][0]
    items = [
        {"role": "user", "content": "Weather in Paris?"},
        {"type": "function_call", "call_id": call["call_id"], "name": call["name"], "arguments": call["arguments"]},
        {"type": "function_call_output", "call_id": call["call_id"], "output": "sunny"},
    ]
    second = ask({"input": None, "input_items": items, "tools": [WEATHER], "store": False}).result
    assert second["output_text"].endswith(f"({call['call_id']} returned sunny)")


def test_a_reasoning_summary_is_its_own_output(ask, openai_server):
    result = ask({"model": "o4-mini", "reasoning_effort": "low", "reasoning_summary": "auto"}).result
    assert result["reasoning_summary"] == "Weighed: Name a planet."
    assert result["output"][0]["summary"] == ["Weighed: Name a planet."]
    assert result["usage"]["reasoning_tokens"] > 0


def test_output_text_joins_every_message_part_and_leaves_refusals_out(ask, openai_server):
    body = a_response("First. ")
    body["output"].append(
        {
            "id": "msg_second",
            "type": "message",
            "status": "completed",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Second.", "annotations": []}],
        }
    )
    body["output"][0]["content"].append({"type": "output_text", "text": "Still first. ", "annotations": []})
    openai_server.queue(Reply(200, body))
    assert ask().result["output_text"] == "First. Still first. Second."


# -- the guardrails, by status ----------------------------------------------------------------------


def test_an_answer_cut_off_by_max_output_tokens_fails_naming_it_and_is_not_cached(ask, openai_server, tmp_path):
    openai_server.queue(ResponseOutcome("incomplete", reason="max_output_tokens"))
    run = ask({"max_output_tokens": 16})
    assert_one_error_line(
        run,
        "response: the answer was cut off",
        'reason = "max_output_tokens"',
        "raise max_output_tokens",
        "allow_length_cutoff",
    )
    assert cache_entries(tmp_path) == []
    assert ask({"max_output_tokens": 16}).returncode == 0, "the next call asks again"
    assert len(openai_server.response_requests()) == 2


def test_allow_length_cutoff_accepts_the_incomplete_answer(ask, openai_server):
    openai_server.queue(ResponseOutcome("incomplete", reason="max_output_tokens"))
    result = ask({"max_output_tokens": 16}, allow_length_cutoff=True).result
    assert (result["status"], result["incomplete_reason"]) == ("incomplete", "max_output_tokens")
    whole = "Echo from gpt-4o: Name a planet."
    assert whole.startswith(result["output_text"]) and len(result["output_text"]) < len(whole)


def test_an_answer_withheld_by_the_content_filter_fails_unless_allowed(ask, openai_server):
    openai_server.queue(ResponseOutcome("incomplete", reason="content_filter"))
    run = ask()
    assert_one_error_line(run, "withheld by the content filter", 'reason = "content_filter"', "allow_content_filter")
    openai_server.queue(ResponseOutcome("incomplete", reason="content_filter"))
    assert ask(allow_content_filter=True).result["incomplete_reason"] == "content_filter"


def test_an_incomplete_answer_of_another_reason_fails_whatever_is_allowed(ask, openai_server):
    body = a_response("Half")
    body.update(status="incomplete", incomplete_details={"reason": "tool_budget"})
    openai_server.queue(Reply(200, body))
    run = ask(allow_length_cutoff=True, allow_content_filter=True)
    assert_one_error_line(run, "the answer is incomplete", 'reason = "tool_budget"', "no allow_* input accepts it")


def test_a_refusal_fails_unless_allowed_and_is_then_the_refusal_output(ask, openai_server):
    openai_server.queue(ResponseOutcome(refusal="I can't help with that."))
    assert_one_error_line(ask(), "the model refused", "I can't help with that.", "allow_refusal")
    openai_server.queue(ResponseOutcome(refusal="I can't help with that."))
    result = ask(allow_refusal=True).result
    assert result["refusal"] == "I can't help with that." and result["output_text"] == ""
    assert result["output"][0]["content"] == [{"type": "refusal", "text": None, "refusal": "I can't help with that."}]


def test_a_sensitive_refusal_is_not_quoted(ask, openai_server):
    openai_server.queue(ResponseOutcome(refusal="The secret plan is X."))
    run = ask(sensitive=True)
    assert_one_error_line(run, "the model refused", "hidden: sensitive = true")
    assert "secret plan" not in run.stderr


def test_a_failed_response_fails_with_the_apis_code_and_message_and_is_not_cached(ask, openai_server, tmp_path):
    openai_server.queue(ResponseOutcome("failed", error_code="server_error", error_message="The model crashed."))
    run = ask(allow_length_cutoff=True, allow_content_filter=True, allow_refusal=True)
    assert_one_error_line(run, 'status = "failed", error server_error: The model crashed.', "nothing was cached")
    assert cache_entries(tmp_path) == []


@pytest.mark.parametrize("status", ["cancelled", "queued", "in_progress"])
def test_a_response_that_is_not_finished_fails_and_is_not_cached(ask, openai_server, tmp_path, status):
    openai_server.queue(ResponseOutcome(status))
    run = ask()
    assert_one_error_line(run, f'status = "{status}"', "nothing was cached")
    assert cache_entries(tmp_path) == []


def test_allowing_an_answer_does_not_change_the_request_sha256(ask, openai_server):
    assert ask().result["request_sha256"] == ask(allow_refusal=True, allow_length_cutoff=True).result["request_sha256"]
    assert len(openai_server.response_requests()) == 1


def test_a_body_without_output_items_is_malformed_and_not_cached(ask, openai_server, tmp_path):
    openai_server.queue(Reply(200, {"id": "resp_1", "object": "response", "status": "completed"}))
    assert_one_error_line(ask(), "malformed response", "no list of output items", "nothing was cached")
    assert cache_entries(tmp_path) == []


# -- structured output ------------------------------------------------------------------------------


def test_a_json_schema_answer_is_parsed_and_checked(ask, openai_server):
    result = ask({"input": "The capital of Spain?", "text_format": CAPITAL_FORMAT}).result
    assert result["parsed"] == {"capital": "sample", "population": 1}
    assert json.loads(result["output_text"]) == result["parsed"]


def test_a_json_object_answer_is_parsed(ask, openai_server):
    result = ask({"input": "The capital of Spain?", "text_format": {"type": "json_object"}}).result
    assert result["parsed"] == {"answer": "The capital of Spain?"}


def test_an_answer_that_breaks_the_schema_fails_naming_the_violation_and_is_not_cached(ask, openai_server, tmp_path):
    openai_server.queue(Reply(200, a_response(json.dumps({"capital": "Madrid", "population": "many"}))))
    run = ask({"text_format": CAPITAL_FORMAT})
    assert_one_error_line(
        run, "the answer does not match text_format.schema at /population", "'many' is not of type 'integer'"
    )
    assert cache_entries(tmp_path) == []


def test_an_answer_that_is_not_json_fails_naming_text_format(ask, openai_server):
    openai_server.queue(Reply(200, a_response("Madrid, about 3 million")))
    assert_one_error_line(ask({"text_format": {"type": "json_object"}}), "not the JSON that text_format asked for")


def test_a_json_answer_cut_off_fails_even_when_cut_offs_are_allowed(ask, openai_server):
    openai_server.queue(ResponseOutcome("incomplete", reason="max_output_tokens"))
    run = ask({"text_format": CAPITAL_FORMAT, "max_output_tokens": 16}, allow_length_cutoff=True)
    assert_one_error_line(run, "the structured answer was cut off", "raise max_output_tokens")


def test_a_function_call_instead_of_json_leaves_parsed_null(ask, openai_server):
    result = ask({"tools": [WEATHER], "text_format": CAPITAL_FORMAT}).result
    assert result["parsed"] is None and result["function_calls"][0]["name"] == "get_weather"


# -- replay -----------------------------------------------------------------------------------------


def test_replay_answers_with_no_api_key_and_no_request(ask, openai_server):
    recorded = ask()
    again = ask(cache_mode="replay", env={"OPENAI_API_KEY": ""})
    assert again.returncode == 0, again.stderr
    assert again.stdout == recorded.stdout
    assert len(openai_server.response_requests()) == 1


def test_a_replay_miss_names_the_input_and_makes_no_request(ask, openai_server):
    run = ask({"input": "Never asked."}, cache_mode="replay", env={"OPENAI_API_KEY": ""})
    assert_one_error_line(run, 'cache_mode = "replay" and no stored answer', "whose input is 'Never asked.'")
    assert openai_server.requests == []


def test_a_replay_miss_of_input_items_names_the_last_user_item(ask, openai_server):
    items = [
        {"role": "user", "content": "First."},
        {"role": "user", "content": [{"type": "input_text", "text": "Last."}]},
    ]
    run = ask({"input": None, "input_items": items}, cache_mode="replay")
    assert_one_error_line(run, "whose last user item is 'Last.'")
