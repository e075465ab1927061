"""What modules/response sends: the inputs reshaped into the request the Responses API wants (response/request.py),
an input left unset not sent, and every request meeting the official CreateResponse schema (the fixture checks)."""

import json

from chat_helper.answers.fingerprint import request_identity, request_sha256

from testing.helper_process import RESPONSE_FLOW

WEATHER_PARAMETERS = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
WEATHER = {"name": "get_weather", "description": "The weather in a city", "parameters": json.dumps(WEATHER_PARAMETERS)}


def sent(openai_server, run_helper, inputs):
    """The body of the one request the helper sent for these inputs."""
    run = run_helper({"model": "gpt-4o", **inputs}, flow=RESPONSE_FLOW)
    assert run.returncode == 0, run.stderr
    [request] = openai_server.response_requests()
    return request.body


def test_a_string_input_is_sent_with_the_model_and_nothing_else(run_helper, openai_server):
    assert sent(openai_server, run_helper, {"input": "Hello"}) == {"model": "gpt-4o", "input": "Hello"}


def test_text_format_and_verbosity_go_in_text(run_helper, openai_server):
    text_format = {"type": "json_schema", "name": "weather", "schema": json.dumps(WEATHER_PARAMETERS), "strict": True}
    body = sent(openai_server, run_helper, {"input": "Paris?", "text_format": text_format, "verbosity": "low"})
    assert body["text"] == {
        "format": {"type": "json_schema", "name": "weather", "schema": WEATHER_PARAMETERS, "strict": True},
        "verbosity": "low",
    }
    assert "text_format" not in body and "verbosity" not in body


def test_verbosity_alone_is_text_without_a_format(run_helper, openai_server):
    assert sent(openai_server, run_helper, {"input": "Hi", "verbosity": "high"})["text"] == {"verbosity": "high"}


def test_reasoning_effort_and_summary_go_in_reasoning(run_helper, openai_server):
    body = sent(openai_server, run_helper, {"input": "Why?", "reasoning_effort": "low", "reasoning_summary": "auto"})
    assert body["reasoning"] == {"effort": "low", "summary": "auto"}
    assert "reasoning_effort" not in body and "reasoning_summary" not in body


def test_function_tools_are_sent_flat_strict_said_and_hosted_tools_after_them_as_written(run_helper, openai_server):
    hosted = {
        "type": "web_search",
        "search_context_size": "low",
        "user_location": {"type": "approximate", "country": "GB"},
    }
    body = sent(
        openai_server,
        run_helper,
        {"input": "Weather?", "tools": [WEATHER, {"name": "page_on_call"}], "hosted_tools": [hosted]},
    )
    assert body["tools"] == [
        {
            "type": "function",
            "name": "get_weather",
            "description": "The weather in a city",
            "parameters": WEATHER_PARAMETERS,
            "strict": True,
        },
        {
            "type": "function",
            "name": "page_on_call",
            "parameters": {"type": "object", "properties": {}, "additionalProperties": False},
            "strict": True,
        },
        hosted,
    ]


def test_a_tool_with_strict_false_says_so_and_may_have_loose_parameters(run_helper, openai_server):
    loose = {"type": "object", "properties": {"city": {"type": "string"}}}
    tool = {"name": "get_weather", "parameters": json.dumps(loose), "strict": False}
    body = sent(openai_server, run_helper, {"input": "Weather?", "tools": [tool]})
    assert body["tools"] == [{"type": "function", "name": "get_weather", "parameters": loose, "strict": False}]


def test_tool_choice_by_name_is_sent_as_the_object_of_its_kind(run_helper, openai_server):
    inputs = {
        "input": "Search",
        "tools": [WEATHER],
        "hosted_tools": [{"type": "file_search", "vector_store_ids": ["vs_1"]}],
    }
    for choice, expected in (
        ("get_weather", {"type": "function", "name": "get_weather"}),
        ("file_search", {"type": "file_search"}),
        ("required", "required"),
    ):
        openai_server.reset()
        assert sent(openai_server, run_helper, {**inputs, "tool_choice": choice})["tool_choice"] == expected


def test_a_custom_tool_is_chosen_by_its_name(run_helper, openai_server):
    custom = {"type": "custom", "name": "run_sql", "description": "Run a query"}
    body = sent(openai_server, run_helper, {"input": "Count users", "hosted_tools": [custom], "tool_choice": "run_sql"})
    assert body["tool_choice"] == {"type": "custom", "name": "run_sql"}


def test_input_items_are_sent_without_terraforms_nulls_and_an_image_says_its_detail(run_helper, openai_server):
    items = [
        {"type": None, "role": "developer", "content": "Answer briefly."},
        {
            "role": "user",
            "content": [
                {"type": "input_text", "text": "What is this?"},
                {"type": "input_image", "image_url": "https://example.com/a.png", "file_id": None},
            ],
        },
        {"role": "assistant", "content": "A diagram."},
        {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": '{"city": "Paris"}'},
        {"type": "function_call_output", "call_id": "call_1", "output": '{"temperature": 21}'},
    ]
    body = sent(openai_server, run_helper, {"input_items": items, "tools": [WEATHER]})
    assert body["input"] == [
        {"role": "developer", "content": "Answer briefly."},
        {
            "role": "user",
            "content": [
                {"type": "input_text", "text": "What is this?"},
                {"type": "input_image", "image_url": "https://example.com/a.png", "detail": "auto"},
            ],
        },
        {"role": "assistant", "content": "A diagram."},
        {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": '{"city": "Paris"}'},
        {"type": "function_call_output", "call_id": "call_1", "output": '{"temperature": 21}'},
    ]


def test_every_other_input_is_sent_as_it_is_at_its_bounds(run_helper, openai_server):
    inputs = {
        "input": "Hi",
        "instructions": "Be brief.",
        "hosted_tools": [{"type": "web_search"}],
        "parallel_tool_calls": False,
        "max_tool_calls": 1,
        "max_output_tokens": 16,
        "temperature": 2,
        "top_p": 0,
        "top_logprobs": 20,
        "store": False,
        "metadata": {f"k{i}": "v" * 512 for i in range(16)},
        "include": ["web_search_call.action.sources", "message.output_text.logprobs"],
        "service_tier": "flex",
        "safety_identifier": "u" * 64,
        "prompt_cache_key": "docs",
    }
    body = sent(openai_server, run_helper, inputs)
    expected = {name: value for name, value in inputs.items() if name != "hosted_tools"}
    assert body == {"model": "gpt-4o", **expected, "tools": [{"type": "web_search"}]}


def test_previous_response_id_is_sent_and_the_earlier_instructions_are_not(run_helper, openai_server):
    first = run_helper({"model": "gpt-4o", "input": "Name a planet.", "instructions": "Be brief."}, flow=RESPONSE_FLOW)
    second = run_helper(
        {"model": "gpt-4o", "input": "And its moon?", "previous_response_id": first.result["id"]}, flow=RESPONSE_FLOW
    )
    assert second.returncode == 0, second.stderr
    body = openai_server.response_requests()[1].body
    assert body == {"model": "gpt-4o", "input": "And its moon?", "previous_response_id": first.result["id"]}
    assert second.result["output_text"] == f"Echo from gpt-4o: And its moon? (continuing {first.result['id']})"


def test_the_fingerprint_names_the_responses_api(run_helper, openai_server, tmp_path):
    """The same words asked of chat completions and of responses never share a cache entry."""
    result = run_helper({"model": "gpt-4o", "input": "Hello"}, flow=RESPONSE_FLOW).result
    [entry] = (tmp_path / "cache").glob("*/*.json")
    identity = json.loads(entry.read_text())["identity"]
    assert identity["api"] == "responses" and identity["request"] == {"model": "gpt-4o", "input": "Hello"}
    assert request_sha256(identity) == result["request_sha256"] == entry.stem
    without_the_api = request_identity(identity["request"], identity["endpoint"], "")
    assert request_sha256(without_the_api) != result["request_sha256"]
