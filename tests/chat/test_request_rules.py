"""Every rule of a chat completion request (chat/inputs.py, chat/request_rules.py), checked by the helper
before any network call, and the request sent as the API wants it."""

import json

import pytest

from testing.helper_process import USER_EXAMPLE, assert_one_error_line

USER = [{"role": "user", "content": "hi"}]
LONG_CONTENT = " " * 1048576 + "x"
FUNCTIONS_129 = [{"name": f"f{number}", "parameters": '{"type":"object"}'} for number in range(129)]
METADATA_KEY_65 = {" " * 64 + "k": "v"}
METADATA_VALUE_513 = {"k": " " * 512 + "v"}
WEATHER = {
    "name": "get_weather",
    "description": "Weather in a city",
    "parameters": json.dumps({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
}

# (what is wrong, inputs merged over a valid request, fragments the one error line must hold)
BAD_REQUESTS = [
    ("empty model", {"model": ""}, ["input model"]),
    ("no messages", {"messages": []}, ["input messages", "at least 1"]),
    ("unknown role", {"messages": [{"role": "robot", "content": "x"}]}, ["input messages[0].role", "robot"]),
    (
        "function message without name",
        {"messages": [{"role": "function", "content": "{}"}]},
        ["input messages[0]", "'name'"],
    ),
    ("user message without content", {"messages": [{"role": "user"}]}, ["input messages[0]", "'content'"]),
    (
        "empty assistant message",
        {"messages": [*USER, {"role": "assistant"}]},
        ["input messages[1]", "content, function_call or tool_calls"],
    ),
    (
        "bad function message name",
        {"messages": [{"role": "function", "content": "x", "name": "has space"}]},
        ["input messages[0].name", "^[a-zA-Z0-9_-]{1,64}$"],
    ),
    (
        "function name with a final newline",
        {"functions": [dict(WEATHER, name="get_weather\n")]},
        ["input functions[0].name"],
    ),
    ("temperature NaN", {}, ["input temperature", "JSON"]),
    ("timeout_seconds infinite", {}, ["input timeout_seconds"]),
    (
        "schema with a non-string $schema",
        {"functions": [dict(WEATHER, parameters=json.dumps({"type": "object", "$schema": []}))]},
        ["input functions[0].parameters", "$schema"],
    ),
    (
        "function_call on a user message",
        {"messages": [{"role": "user", "content": "x", "function_call": {"name": "f", "arguments": "{}"}}]},
        ["input messages[0].function_call", "assistant"],
    ),
    (
        "tool message without tool_call_id",
        {"messages": [{"role": "tool", "content": "x"}]},
        ["input messages[0]", "tool_call_id"],
    ),
    (
        "content over the API's limit",
        {"messages": [{"role": "user", "content": "x" * 1_048_577}]},
        ["input messages[0].content", "1048577 characters", "1048576"],
    ),
    ("no functions in the list", {"functions": []}, ["input functions", "at least 1"]),
    (
        "129 functions",
        {"functions": [dict(WEATHER, name=f"f{i}") for i in range(129)]},
        ["input functions", "at most 128"],
    ),
    ("bad function name", {"functions": [dict(WEATHER, name="get weather")]}, ["input functions[0].name"]),
    ("function name over 64", {"functions": [dict(WEATHER, name="f" * 65)]}, ["input functions[0].name"]),
    (
        "parameters not JSON",
        {"functions": [dict(WEATHER, parameters="{type: object")]},
        ["input functions[0].parameters", "JSON"],
    ),
    (
        "parameters not an object schema",
        {"functions": [dict(WEATHER, parameters=json.dumps({"type": "string"}))]},
        ["input functions[0].parameters", '"object"'],
    ),
    (
        "parameters not a valid JSON Schema",
        {
            "functions": [
                dict(WEATHER, parameters=json.dumps({"type": "object", "properties": {"city": {"type": "text"}}}))
            ]
        },
        ["input functions[0].parameters", "not a valid JSON Schema", "properties/city/type"],
    ),
    (
        "parameters with a bad required",
        {"functions": [dict(WEATHER, parameters=json.dumps({"type": "object", "required": "city"}))]},
        ["input functions[0].parameters", "not a valid JSON Schema"],
    ),
    (
        "function_call of an undeclared function",
        {"functions": [WEATHER], "function_call": "get_time"},
        ["input function_call", "get_time", "not a declared function"],
    ),
    ("function_call without functions", {"function_call": "get_weather"}, ["input function_call", "no functions"]),
    ("function_call not a name", {"function_call": "sometimes"}, ["input function_call"]),
    ("temperature below 0", {"temperature": -0.1}, ["input temperature", "minimum of 0"]),
    ("temperature above 2", {"temperature": 2.1}, ["input temperature", "maximum of 2"]),
    ("max_tokens zero", {"max_tokens": 0}, ["input max_tokens"]),
    ("max_tokens not whole", {"max_tokens": 1.5}, ["input max_tokens", "integer"]),
    ("top_p above 1", {"top_p": 1.5}, ["input top_p", "maximum of 1"]),
    ("n zero", {"n": 0}, ["input n", "minimum of 1"]),
    ("n above 128", {"n": 129}, ["input n", "maximum of 128"]),
    ("five stop sequences", {"stop": ["a", "b", "c", "d", "e"]}, ["input stop", "at most 4"]),
    ("presence_penalty above 2", {"presence_penalty": 2.5}, ["input presence_penalty"]),
    ("frequency_penalty below -2", {"frequency_penalty": -2.5}, ["input frequency_penalty"]),
    ("user not a string", {"user": 7}, ["input user", "string"]),
    ("store not a bool", {"store": "yes"}, ["input store", "boolean"]),
    ("17 metadata pairs", {"metadata": {f"k{i}": "v" for i in range(17)}}, ["input metadata", "17 entries", "16"]),
    ("metadata key over 64", {"metadata": {"k" * 65: "v"}}, ["input metadata"]),
    ("metadata value over 512", {"metadata": {"k": "v" * 513}}, ["input metadata.k", "513 characters", "512"]),
    ("metadata value not a string", {"metadata": {"k": 1}}, ["input metadata.k", "string"]),
    (
        "messages empty assistant",
        {"messages": [{"role": "user", "content": "x"}, {"role": "assistant"}]},
        ["input messages"],
    ),
    (
        "messages function call arguments not json",
        {
            "messages": [
                {"role": "user", "content": "x"},
                {"role": "assistant", "function_call": {"name": "f", "arguments": "{oops"}},
            ]
        },
        ["input messages"],
    ),
    ("messages content over limit", {"messages": [{"role": "user", "content": LONG_CONTENT}]}, ["input messages"]),
    ("functions over 128", {"functions": FUNCTIONS_129}, ["input functions"]),
    (
        "functions bad name",
        {"functions": [{"name": "get weather", "parameters": '{"type":"object"}'}]},
        ["input functions"],
    ),
    (
        "functions duplicate names",
        {
            "functions": [
                {"name": "f", "parameters": '{"type":"object"}'},
                {"name": "f", "parameters": '{"type":"object"}'},
            ]
        },
        ["input functions"],
    ),
    (
        "functions parameters not json",
        {"functions": [{"name": "f", "parameters": "{type: object"}]},
        ["input functions"],
    ),
    (
        "functions parameters not object",
        {"functions": [{"name": "f", "parameters": '{"type":"string"}'}]},
        ["input functions"],
    ),
    ("function call not a name", {"function_call": "sometimes please"}, ["input function_call"]),
    (
        "function call undeclared",
        {"functions": [{"name": "f", "parameters": '{"type":"object"}'}], "function_call": "g"},
        ["input function_call"],
    ),
    ("function call without functions", {"function_call": "f"}, ["input function_call"]),
    ("top p above 1", {"top_p": 1.01}, ["input top_p"]),
    ("top p below 0", {"top_p": -0.5}, ["input top_p"]),
    ("n fraction", {"n": 2.5}, ["input n"]),
    ("stop empty", {"stop": []}, ["input stop"]),
    ("presence penalty below minus 2", {"presence_penalty": -2.5}, ["input presence_penalty"]),
    ("frequency penalty above 2", {"frequency_penalty": 2.01}, ["input frequency_penalty"]),
    ("frequency penalty below minus 2", {"frequency_penalty": -3}, ["input frequency_penalty"]),
    ("user empty", {"user": ""}, ["input user"]),
    ("metadata key over 64", {"metadata": METADATA_KEY_65}, ["input metadata"]),
    ("metadata value over 512", {"metadata": METADATA_VALUE_513}, ["input metadata"]),
    (
        "messages tool call arguments not json",
        {
            "messages": [
                {"role": "user", "content": "hi"},
                {
                    "role": "assistant",
                    "tool_calls": [{"id": "call_1", "function": {"name": "lookup", "arguments": "{not json"}}],
                },
                {"role": "tool", "tool_call_id": "call_1", "content": "done"},
            ]
        },
        ["input messages"],
    ),
]


@pytest.mark.parametrize(("case", "inputs", "fragments"), BAD_REQUESTS, ids=[c[0] for c in BAD_REQUESTS])
def test_bad_input_is_refused_naming_the_input_before_any_call(run_helper, openai_server, case, inputs, fragments):
    raw = {"temperature NaN": ("temperature", "NaN"), "timeout_seconds infinite": ("timeout_seconds", "Infinity")}
    if case in raw:  # values json.dumps cannot produce from Python, but a hand-written query can
        name, text = raw[case]
        stdin = json.dumps({"flow": '"chat_completion"', "model": '"gpt-4o"', "messages": json.dumps(USER), name: text})
        run = run_helper({}, raw_stdin=stdin)
    else:
        run = run_helper({"model": "gpt-4o", "messages": USER, **inputs})
    assert_one_error_line(run, *fragments)
    assert openai_server.completion_requests() == []


def test_function_call_by_name_is_sent_as_an_object(run_helper, openai_server):
    result = run_helper(
        {"model": "gpt-4o", "messages": USER, "functions": [WEATHER], "function_call": "get_weather"}
    ).result
    body = openai_server.completion_requests()[0].body
    assert body["function_call"] == {"name": "get_weather"}
    assert body["functions"][0]["parameters"] == json.loads(WEATHER["parameters"])
    assert result["function_call"]["name"] == "get_weather"
    assert json.loads(result["function_call"]["arguments"]) == {"city": "sample"}
    assert result["content"] is None
    assert result["finish_reason"] == "function_call"


@pytest.mark.parametrize("mode", ["none", "auto"])
def test_function_call_modes_are_sent_as_strings(run_helper, openai_server, mode):
    run_helper({"model": "gpt-4o", "messages": USER, "functions": [WEATHER], "function_call": mode})
    assert openai_server.completion_requests()[0].body["function_call"] == mode


def test_a_conversation_with_function_results_is_accepted(run_helper, openai_server):
    messages = [
        *USER,
        {
            "role": "assistant",
            "content": None,
            "function_call": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
        },
        {"role": "function", "name": "get_weather", "content": '{"temperature": 21}'},
    ]
    run = run_helper({"model": "gpt-4o", "messages": messages, "functions": [WEATHER], "function_call": "none"})
    assert run.returncode == 0, run.stderr
    assert openai_server.completion_requests()[0].body["messages"][1] == {
        "role": "assistant",
        "function_call": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
    }


def test_every_user_parameter_at_its_bounds_is_sent_and_valid(run_helper, openai_server):
    inputs = {
        **USER_EXAMPLE,
        "temperature": 2,
        "top_p": 0,
        "n": 128,
        "stop": ["a", "b", "c", "d"],
        "presence_penalty": -2,
        "frequency_penalty": 2,
        "user": "team-a",
        "store": True,
        "metadata": {f"k{i}": "v" * 512 for i in range(16)},
    }
    run = run_helper(inputs)
    assert run.returncode == 0, run.stderr
    body = openai_server.completion_requests()[0].body
    assert {k: body[k] for k in ("temperature", "top_p", "n", "user", "store")} == {
        "temperature": 2,
        "top_p": 0,
        "n": 128,
        "user": "team-a",
        "store": True,
    }


def test_a_user_message_name_may_hold_any_text(run_helper, openai_server):
    messages = [{"role": "user", "content": "hi", "name": "Jane Doe"}]
    assert run_helper({"model": "gpt-4o", "messages": messages}).returncode == 0
    assert openai_server.completion_requests()[0].body["messages"][0]["name"] == "Jane Doe"
