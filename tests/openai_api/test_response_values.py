"""A Response as plain values (openai_api/response.py): output_text exactly as the SDK's Response.output_text,
the same attributes for every item, null where the API said nothing."""

import json

import pytest
from chat_helper.openai_api.response import MalformedResponse, item_values, response_values
from openai.types.responses import Response

BASE = {
    "id": "resp_1",
    "object": "response",
    "created_at": 1741476542,
    "status": "completed",
    "model": "gpt-4o",
    "parallel_tool_calls": True,
    "tool_choice": "auto",
    "tools": [],
}


def message(*parts, role="assistant"):
    return {"id": "msg_1", "type": "message", "status": "completed", "role": role, "content": list(parts)}


def text(value):
    return {"type": "output_text", "text": value, "annotations": []}


OUTPUTS = {
    "one message": [message(text("Hello."))],
    "two parts and two messages": [message(text("A"), text("B")), message(text("C"))],
    "a refusal between texts": [message(text("I "), {"type": "refusal", "refusal": "no"}, text("can't."))],
    "a function call only": [
        {
            "id": "fc_1",
            "type": "function_call",
            "call_id": "call_1",
            "name": "f",
            "arguments": "{}",
            "status": "completed",
        }
    ],
    "reasoning, a search, then a message": [
        {"id": "rs_1", "type": "reasoning", "summary": [{"type": "summary_text", "text": "Thought."}]},
        {"id": "ws_1", "type": "web_search_call", "status": "completed", "action": {"type": "search", "query": "q"}},
        message(text("Found it.")),
    ],
    "nothing": [],
}


@pytest.mark.parametrize("output", OUTPUTS.values(), ids=OUTPUTS)
def test_output_text_is_the_sdks(output):
    body = {**BASE, "output": output}
    assert response_values(body)["output_text"] == Response.model_validate(body).output_text


def test_every_item_has_the_same_attributes_and_json_holds_the_rest():
    items = [item_values(item) for output in OUTPUTS.values() for item in output]
    assert len({tuple(sorted(item)) for item in items}) == 1
    search = next(item for item in items if item["type"] == "web_search_call")
    assert json.loads(search["json"])["action"] == {"type": "search", "query": "q"}
    assert search["text"] is None and search["summary"] is None and search["arguments_decoded"] is None


def test_refusals_summaries_and_calls_are_gathered_from_every_item():
    values = response_values(
        {**BASE, "output": [*OUTPUTS["reasoning, a search, then a message"], *OUTPUTS["a refusal between texts"]]}
    )
    assert values["refusal"] == "no"
    assert values["reasoning_summary"] == "Thought."
    assert values["function_calls"] == []
    calls = response_values({**BASE, "output": OUTPUTS["a function call only"]})["function_calls"]
    assert calls == [{"id": "fc_1", "call_id": "call_1", "name": "f", "arguments": "{}", "arguments_decoded": {}}]


def test_what_the_api_did_not_say_is_null():
    values = response_values({"output": []})
    assert values["id"] is None and values["usage"] is None and values["created_at"] is None
    assert values["incomplete_reason"] is None and values["refusal"] is None and values["reasoning_summary"] is None


def test_usage_takes_the_cached_and_reasoning_counts_from_their_details():
    usage = {
        "input_tokens": 10,
        "input_tokens_details": {"cached_tokens": 4},
        "output_tokens": 7,
        "output_tokens_details": {"reasoning_tokens": 5},
        "total_tokens": 17,
    }
    assert response_values({"output": [], "usage": usage})["usage"] == {
        "input_tokens": 10,
        "cached_tokens": 4,
        "output_tokens": 7,
        "reasoning_tokens": 5,
        "total_tokens": 17,
    }


@pytest.mark.parametrize("output", [None, "text", [1, 2]])
def test_a_body_without_a_list_of_items_is_malformed(output):
    with pytest.raises(MalformedResponse):
        response_values({"output": output})


def test_an_input_message_written_as_a_string_is_one_input_text_part():
    item = item_values({"role": "user", "content": "Hi"})
    assert item["type"] == "message" and item["text"] == "Hi"
    assert item["content"] == [{"type": "input_text", "text": "Hi", "refusal": None}]
