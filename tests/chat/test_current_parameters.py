"""Tools, response formats and the current API parameters: refused naming the input, or sent as the API wants."""

import json

import pytest

from testing.helper_process import USER_EXAMPLE, assert_one_error_line
from testing.openai_server import Reply

USER = [{"role": "user", "content": "hi"}]
OBJECT = json.dumps({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]})
LOOKUP = {"name": "lookup", "parameters": OBJECT}
LOOSE = json.dumps({"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string"}}})

BAD_REQUESTS = [
    (
        "tool name with a space",
        {"tools": [{"name": "has space", "parameters": OBJECT}]},
        ["input tools[0].function.name"],
    ),
    ("129 tools", {"tools": [dict(LOOKUP, name=f"t{i}") for i in range(129)]}, ["input tools", "at most 128"]),
    ("tool parameters not JSON", {"tools": [{"name": "lookup", "parameters": "{"}]}, ["input tools[0].parameters"]),
    (
        "tool parameters not a schema",
        {"tools": [{"name": "lookup", "parameters": json.dumps({"type": "object", "required": "city"})}]},
        ["input tools[0].parameters", "not a valid JSON Schema"],
    ),
    (
        "tool parameters an array schema",
        {"tools": [{"name": "lookup", "parameters": json.dumps({"type": "array"})}]},
        ["input tools[0].parameters", '"object"'],
    ),
    (
        "strict tool with an open object",
        {"tools": [{"name": "lookup", "parameters": LOOSE, "strict": True}]},
        ["input tools[0].parameters", "additionalProperties = false"],
    ),
    (
        "strict tool with an optional property",
        {
            "tools": [
                {
                    "name": "lookup",
                    "strict": True,
                    "parameters": json.dumps(
                        {**json.loads(LOOSE), "additionalProperties": False, "required": ["city"]}
                    ),
                }
            ]
        },
        ["input tools[0].parameters", "every property required", "unit"],
    ),
    (
        "tool_choice undeclared",
        {"tools": [LOOKUP], "tool_choice": "other"},
        ["input tool_choice", "not a declared tool"],
    ),
    ("tool_choice without tools", {"tool_choice": "required"}, ["input tool_choice", "no tools"]),
    ("parallel_tool_calls without tools", {"parallel_tool_calls": True}, ["input parallel_tool_calls", "no tools"]),
    ("functions with tools", {"tools": [LOOKUP], "functions": [LOOKUP]}, ["input functions", "cannot be combined"]),
    (
        "tool message without a preceding call id",
        {"messages": [{"role": "tool", "content": "x", "tool_call_id": ""}]},
        ["input messages[0].tool_call_id"],
    ),
    ("response_format unknown type", {"response_format": {"type": "xml"}}, ["input response_format.type"]),
    (
        "json_schema without schema",
        {"response_format": {"type": "json_schema", "name": "answer"}},
        ["input response_format:", "needs schema beside it", "name, schema", "at the top level"],
    ),
    (
        # json_schema = { name, schema, strict } as the API's docs nest it: Terraform drops the inner object
        "json_schema nested as the API nests it",
        {"response_format": {"type": "json_schema"}},
        ["input response_format:", "needs name and schema beside it", "not inside json_schema = { ... }"],
    ),
    (
        "json_schema schema not JSON",
        {"response_format": {"type": "json_schema", "name": "answer", "schema": "{"}},
        ["input response_format.schema", "JSON string"],
    ),
    (
        "strict json_schema with an open object",
        {"response_format": {"type": "json_schema", "name": "answer", "schema": LOOSE, "strict": True}},
        ["input response_format.schema", "additionalProperties = false"],
    ),
    ("max_completion_tokens zero", {"max_completion_tokens": 0}, ["input max_completion_tokens"]),
    (
        "max_tokens with max_completion_tokens",
        {"max_tokens": 5, "max_completion_tokens": 5},
        ["input max_tokens", "cannot be combined"],
    ),
    ("reasoning_effort unknown", {"reasoning_effort": "extreme"}, ["input reasoning_effort"]),
    ("verbosity unknown", {"verbosity": "chatty"}, ["input verbosity"]),
    ("service_tier unknown", {"service_tier": "gold"}, ["input service_tier"]),
    ("seed not whole", {"seed": 1.5}, ["input seed", "integer"]),
    ("seed over 64 bits", {"seed": 2**63}, ["input seed", "maximum"]),
    ("safety_identifier over 64", {"safety_identifier": "x" * 65}, ["input safety_identifier", "65 characters"]),
    ("logit_bias key not a token", {"logit_bias": {"hello": 1}}, ["input logit_bias"]),
    ("logit_bias below -100", {"logit_bias": {"50256": -101}}, ["input logit_bias.50256", "minimum of -100"]),
    ("logit_bias fraction", {"logit_bias": {"50256": 0.5}}, ["input logit_bias.50256", "integer"]),
    ("top_logprobs over 20", {"logprobs": True, "top_logprobs": 21}, ["input top_logprobs", "maximum of 20"]),
    ("top_logprobs without logprobs", {"top_logprobs": 2}, ["input top_logprobs", "logprobs = true"]),
    ("tools empty list", {"tools": []}, ["input tools"]),
    ("tools bad name", {"tools": [{"name": "has space", "parameters": '{"type":"object"}'}]}, ["input tools"]),
    (
        "tools duplicate names",
        {
            "tools": [
                {"name": "lookup", "parameters": '{"type":"object"}'},
                {"name": "lookup", "parameters": '{"type":"object"}'},
            ]
        },
        ["input tools"],
    ),
    ("tools parameters not json", {"tools": [{"name": "lookup", "parameters": "{not json"}]}, ["input tools"]),
    (
        "tools parameters not an object schema",
        {"tools": [{"name": "lookup", "parameters": '{"type":"string"}'}]},
        ["input tools"],
    ),
    ("tool choice bad form", {"tool_choice": "no such!"}, ["input tool_choice"]),
    (
        "tool choice names an undeclared tool",
        {"tools": [{"name": "lookup", "parameters": '{"type":"object"}'}], "tool_choice": "other"},
        ["input tool_choice"],
    ),
    ("tool choice without tools", {"tool_choice": "auto"}, ["input tool_choice"]),
    (
        "functions with tools",
        {
            "tools": [{"name": "lookup", "parameters": '{"type":"object"}'}],
            "functions": [{"name": "lookup", "parameters": '{"type":"object"}'}],
        },
        ["input functions"],
    ),
    (
        "response format schema on json object",
        {"response_format": {"type": "json_object", "schema": '{"type":"object"}'}},
        ["input response_format"],
    ),
    (
        "response format bad name",
        {"response_format": {"type": "json_schema", "name": "a b", "schema": '{"type":"object"}'}},
        ["input response_format"],
    ),
    (
        "response format schema not object",
        {"response_format": {"type": "json_schema", "name": "answer", "schema": '{"type":"array"}'}},
        ["input response_format"],
    ),
    ("max completion tokens fraction", {"max_completion_tokens": 10.5}, ["input max_completion_tokens"]),
    ("max tokens with max completion tokens", {"max_tokens": 10, "max_completion_tokens": 10}, ["input max_tokens"]),
    ("prompt cache key empty", {"prompt_cache_key": ""}, ["input prompt_cache_key"]),
    ("logit bias key not a token id", {"logit_bias": {'"hello"': 1}}, ["input logit_bias"]),
    ("logit bias out of range", {"logit_bias": {'"50256"': -101}}, ["input logit_bias"]),
]


@pytest.mark.parametrize(("case", "inputs", "fragments"), BAD_REQUESTS, ids=[c[0] for c in BAD_REQUESTS])
def test_bad_input_is_refused_naming_the_input_before_any_call(run_helper, openai_server, case, inputs, fragments):
    run = run_helper({"model": "gpt-4o", "messages": USER, **inputs})
    assert_one_error_line(run, *fragments)
    assert openai_server.completion_requests() == []


def test_every_current_parameter_at_its_bounds_is_sent_and_valid(run_helper, openai_server):
    inputs = {
        **USER_EXAMPLE,
        "max_tokens": None,
        "max_completion_tokens": 1,
        "reasoning_effort": "xhigh",
        "verbosity": "low",
        "seed": -(2**63),
        "service_tier": "flex",
        "safety_identifier": "u" * 64,
        "prompt_cache_key": "runbooks-v1",
        "logit_bias": {"50256": -100, "1": 100},
        "logprobs": True,
        "top_logprobs": 20,
    }
    run = run_helper(inputs)
    assert run.returncode == 0, run.stderr
    body = openai_server.completion_requests()[0].body
    sent = {name: value for name, value in inputs.items() if value is not None and name not in USER_EXAMPLE}
    assert {name: body[name] for name in sent} == sent
    assert "max_tokens" not in body
    assert run.result["service_tier"] == "flex" and run.result["system_fingerprint"] == "fp_loopback"


def test_log_probabilities_come_back_in_choices(run_helper, openai_server):
    body = openai_server.completion_for({"model": "gpt-4o", "messages": USER})
    logprobs = {"content": [{"token": "Hi", "logprob": -0.01, "bytes": [72, 105], "top_logprobs": []}], "refusal": None}
    body["choices"][0]["logprobs"] = logprobs
    openai_server.queue(Reply(200, body))
    result = run_helper({"model": "gpt-4o", "messages": USER, "logprobs": True}).result
    assert result["choices"][0]["logprobs"] == logprobs


def test_nulls_inside_a_schema_given_as_an_object_are_kept(run_helper, openai_server):
    schema = {"type": "object", "properties": {"unit": {"enum": ["celsius", None]}}}
    tools = [{"name": "lookup", "description": None, "parameters": schema}]
    assert run_helper({"model": "gpt-4o", "messages": USER, "tools": tools}).returncode == 0
    sent = openai_server.completion_requests()[0].body["tools"][0]
    assert sent == {"type": "function", "function": {"name": "lookup", "parameters": schema}}
