"""Every rule of a response request (response/inputs.py, response/request_rules.py), checked by the helper
before any network call, each failure one line naming the input as the user wrote it."""

import json

import pytest

from testing.helper_process import RESPONSE_FLOW, assert_one_error_line

STRICT_WEATHER = {
    "name": "get_weather",
    "description": "The weather in a city",
    "parameters": json.dumps(
        {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
            "additionalProperties": False,
        }
    ),
}
LOOSE_PARAMETERS = json.dumps({"type": "object", "properties": {"city": {"type": "string"}}})
ANSWER_SCHEMA = json.dumps(
    {
        "type": "object",
        "properties": {"capital": {"type": "string"}},
        "required": ["capital"],
        "additionalProperties": False,
    }
)
USER = {"role": "user", "content": "Weather in Paris?"}
OUTPUT = {"type": "function_call_output", "call_id": "call_1", "output": "sunny"}

# (what is wrong, inputs merged over {"model": "gpt-4o", "input": "hi"}, fragments the one error line must hold)
BAD_REQUESTS = [
    # the request
    ("empty model", {"model": ""}, ["input model", "non-empty"]),
    ("blank model", {"model": "  "}, ["input model", "must not be empty"]),
    ("neither input nor input_items", {"input": None}, ["input input", "is required", "input_items"]),
    ("input and input_items", {"input_items": [USER]}, ["input input", "cannot be combined with input_items"]),
    ("empty input", {"input": ""}, ["input input", "non-empty"]),
    ("input over the API's limit", {"input": "x" * 10_485_761}, ["input input", "10485761 characters", "10485760"]),
    ("input_items empty", {"input": None, "input_items": []}, ["input input_items", "at least 1"]),
    ("input_items not a list", {"input": None, "input_items": "hi"}, ["input input_items", "not of type 'array'"]),
    ("item of an unknown type", {"input": None, "input_items": [{"type": "image"}]}, ["input input_items[0].type"]),
    (
        "message without a role",
        {"input": None, "input_items": [{"content": "hi"}]},
        ["input input_items[0]", "'role' is a required property"],
    ),
    (
        "message of an unknown role",
        {"input": None, "input_items": [{"role": "tool", "content": "hi"}]},
        ["input input_items[0].role", "'tool' is not one of"],
    ),
    (
        "message without content",
        {"input": None, "input_items": [{"role": "user"}]},
        ["input input_items[0]", "'content' is a required property"],
    ),
    (
        "message with an unknown attribute",
        {"input": None, "input_items": [{"role": "user", "content": "hi", "name": "Jane"}]},
        ["input input_items[0]", "'name' was unexpected"],
    ),
    (
        "message with a misspelt attribute",
        {"input": None, "input_items": [{"role": "user", "contnet": "hi", "content": "hi"}]},
        ["input input_items[0]", "'contnet' was unexpected", "did you mean content?"],
    ),
    (
        "function output with a misspelt attribute",
        {"input": None, "input_items": [{**OUTPUT, "call_ids": "call_1"}]},
        ["input input_items[0]", "'call_ids' was unexpected", "did you mean call_id?"],
    ),
    (
        "content neither a string nor parts",
        {"input": None, "input_items": [{"role": "user", "content": 7}]},
        ["input input_items[0].content", "not of type 'string', 'array'"],
    ),
    (
        "content with no parts",
        {"input": None, "input_items": [{"role": "user", "content": []}]},
        ["input input_items[0].content", "at least 1"],
    ),
    (
        "part of an unknown type",
        {"input": None, "input_items": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]},
        ["input input_items[0].content[0].type", "'text' is not one of"],
    ),
    (
        "text part without text",
        {"input": None, "input_items": [{"role": "user", "content": [{"type": "input_text"}]}]},
        ["input input_items[0].content[0]", "'text' is a required property"],
    ),
    (
        "image part without an image",
        {"input": None, "input_items": [{"role": "user", "content": [{"type": "input_image", "detail": "low"}]}]},
        ["input input_items[0].content[0]", "an input_image part needs image_url or file_id"],
    ),
    (
        "file part without a file",
        {"input": None, "input_items": [{"role": "user", "content": [{"type": "input_file", "filename": "a.pdf"}]}]},
        ["input input_items[0].content[0]", "an input_file part needs file_id, file_url or file_data"],
    ),
    (
        "image part of an unknown detail",
        {
            "input": None,
            "input_items": [{"role": "user", "content": [{"type": "input_image", "file_id": "f", "detail": "max"}]}],
        },
        ["input input_items[0].content[0].detail", "'max' is not one of"],
    ),
    (
        "assistant content as parts",
        {
            "input": None,
            "input_items": [USER, {"role": "assistant", "content": [{"type": "input_text", "text": "Sunny."}]}],
        },
        ["input input_items[1].content", "an assistant message's content must be a string"],
    ),
    (
        "function_call_output without call_id",
        {"input": None, "input_items": [{"type": "function_call_output", "output": "sunny"}]},
        ["input input_items[0]", "'call_id' is a required property"],
    ),
    (
        "function_call_output with an empty call_id",
        {"input": None, "input_items": [{**OUTPUT, "call_id": ""}]},
        ["input input_items[0].call_id", "non-empty"],
    ),
    (
        "function_call_output whose output is not a string",
        {"input": None, "input_items": [{**OUTPUT, "output": {"temperature": 21}}]},
        ["input input_items[0].output", "not of type 'string'"],
    ),
    (
        "function_call whose arguments are not JSON",
        {
            "input": None,
            "input_items": [
                {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{city"}
            ],
        },
        ["input input_items[0].arguments", "must be a JSON string"],
    ),
    ("instructions not a string", {"instructions": ["Be brief."]}, ["input instructions", "not of type 'string'"]),
    # tools
    ("no tools in the list", {"tools": []}, ["input tools", "at least 1"]),
    ("129 tools", {"tools": [dict(STRICT_WEATHER, name=f"f{n}") for n in range(129)]}, ["input tools", "at most 128"]),
    ("tool name with a space", {"tools": [dict(STRICT_WEATHER, name="get weather")]}, ["input tools[0].name"]),
    (
        "two tools of one name",
        {"tools": [STRICT_WEATHER, STRICT_WEATHER]},
        ["input tools[1].name", "'get_weather' is declared twice"],
    ),
    (
        "a function tool and a custom tool of one name",
        {"tools": [STRICT_WEATHER], "hosted_tools": [{"type": "custom", "name": "get_weather"}]},
        ["input hosted_tools[0].name", "'get_weather' is declared twice"],
    ),
    (
        "parameters not JSON",
        {"tools": [dict(STRICT_WEATHER, parameters="{type: object")]},
        ["input tools[0].parameters", "must be a JSON string"],
    ),
    (
        "parameters not an object schema",
        {"tools": [dict(STRICT_WEATHER, parameters=json.dumps({"type": "string"}))]},
        ["input tools[0].parameters", '"object"'],
    ),
    (
        "parameters not a valid JSON Schema",
        {"tools": [dict(STRICT_WEATHER, parameters=json.dumps({"type": "object", "required": "city"}))]},
        ["input tools[0].parameters", "not a valid JSON Schema"],
    ),
    (
        "parameters not strict while strict is left to the API's default",
        {"tools": [dict(STRICT_WEATHER, parameters=LOOSE_PARAMETERS)]},
        ["input tools[0].parameters", "additionalProperties = false", "unless it sets strict = false"],
    ),
    (
        "parameters not strict with strict = true",
        {"tools": [dict(STRICT_WEATHER, parameters=LOOSE_PARAMETERS, strict=True)]},
        ["input tools[0].parameters", "strict = true needs additionalProperties = false"],
    ),
    ("strict not a bool", {"tools": [dict(STRICT_WEATHER, strict="yes")]}, ["input tools[0].strict", "boolean"]),
    ("no hosted tools in the list", {"hosted_tools": []}, ["input hosted_tools", "at least 1"]),
    (
        "hosted tool of an unknown type",
        {"hosted_tools": [{"type": "web-search"}]},
        ["input hosted_tools[0].type", "'web-search' is not one of"],
    ),
    (
        "hosted tool without a type",
        {"hosted_tools": [{"search_context_size": "low"}]},
        ["input hosted_tools[0]", "'type' is a required property"],
    ),
    (
        "a function tool among the hosted tools",
        {"hosted_tools": [{"type": "function", "name": "get_weather"}]},
        ["input hosted_tools[0].type", "declare it in tools"],
    ),
    (
        "file_search without vector_store_ids",
        {"hosted_tools": [{"type": "file_search"}]},
        ["input hosted_tools[0]", "'vector_store_ids' is a required property"],
    ),
    (
        "code_interpreter without a container",
        {"hosted_tools": [{"type": "code_interpreter"}]},
        ["input hosted_tools[0]", "'container' is a required property"],
    ),
    (
        "computer_use_preview without its display",
        {"hosted_tools": [{"type": "computer_use_preview", "environment": "browser"}]},
        ["input hosted_tools[0]", "'display_width' is a required property"],
    ),
    (
        "mcp without a server",
        {"hosted_tools": [{"type": "mcp", "server_label": "docs"}]},
        ["input hosted_tools[0]", "an mcp tool needs server_url, connector_id or tunnel_id"],
    ),
    (
        "tools and hosted tools over 128 together",
        {"tools": [dict(STRICT_WEATHER, name=f"f{n}") for n in range(100)], "hosted_tools": [{"type": "shell"}] * 29},
        ["input hosted_tools", "at most 128 tools"],
    ),
    ("tool_choice without tools", {"tool_choice": "auto"}, ["input tool_choice", "no tools are declared"]),
    (
        "tool_choice of an undeclared function",
        {"tools": [STRICT_WEATHER], "tool_choice": "get_time"},
        ["input tool_choice", "names 'get_time', which is not a declared tool"],
    ),
    (
        "tool_choice of a hosted tool that is not declared",
        {"tools": [STRICT_WEATHER], "tool_choice": "file_search"},
        ["input tool_choice", "names 'file_search', which is not a declared tool"],
    ),
    (
        "tool_choice of a hosted tool that cannot be forced",
        {"hosted_tools": [{"type": "web_search"}], "tool_choice": "web_search"},
        ["input tool_choice", "cannot be told to use"],
    ),
    ("tool_choice empty", {"tools": [STRICT_WEATHER], "tool_choice": ""}, ["input tool_choice", "non-empty"]),
    ("parallel_tool_calls without tools", {"parallel_tool_calls": False}, ["input parallel_tool_calls", "no tools"]),
    ("max_tool_calls without tools", {"max_tool_calls": 2}, ["input max_tool_calls", "no tools"]),
    ("max_tool_calls zero", {"hosted_tools": [{"type": "web_search"}], "max_tool_calls": 0}, ["input max_tool_calls"]),
    (
        "max_tool_calls not whole",
        {"hosted_tools": [{"type": "web_search"}], "max_tool_calls": 1.5},
        ["input max_tool_calls", "integer"],
    ),
    # format and reasoning
    ("text_format of an unknown type", {"text_format": {"type": "yaml"}}, ["input text_format.type", "'yaml'"]),
    (
        "json_schema without a schema",
        {"text_format": {"type": "json_schema", "name": "answer"}},
        ["input text_format", "'schema' is a required property"],
    ),
    (
        "json_schema without a name",
        {"text_format": {"type": "json_schema", "schema": ANSWER_SCHEMA}},
        ["input text_format", "'name' is a required property"],
    ),
    (
        "json_schema name with a space",
        {"text_format": {"type": "json_schema", "name": "the answer", "schema": ANSWER_SCHEMA}},
        ["input text_format.name"],
    ),
    (
        "json_schema schema not JSON",
        {"text_format": {"type": "json_schema", "name": "answer", "schema": "{oops"}},
        ["input text_format.schema", "must be a JSON string"],
    ),
    (
        "json_schema schema not an object schema",
        {"text_format": {"type": "json_schema", "name": "answer", "schema": json.dumps({"type": "array"})}},
        ["input text_format.schema", '"object"'],
    ),
    (
        "strict json_schema schema not closed",
        {"text_format": {"type": "json_schema", "name": "answer", "schema": LOOSE_PARAMETERS, "strict": True}},
        ["input text_format.schema", "strict = true needs additionalProperties = false"],
    ),
    (
        "a schema for the text format",
        {"text_format": {"type": "text", "schema": ANSWER_SCHEMA}},
        ["input text_format.schema", 'is only for type = "json_schema"'],
    ),
    ("verbosity unknown", {"verbosity": "terse"}, ["input verbosity", "'terse' is not one of"]),
    ("reasoning_effort unknown", {"reasoning_effort": "extreme"}, ["input reasoning_effort", "'extreme'"]),
    ("reasoning_summary unknown", {"reasoning_summary": "short"}, ["input reasoning_summary", "'short'"]),
    # sampling and limits
    ("max_output_tokens below 16", {"max_output_tokens": 15}, ["input max_output_tokens", "minimum of 16"]),
    ("max_output_tokens not whole", {"max_output_tokens": 100.5}, ["input max_output_tokens", "integer"]),
    ("temperature below 0", {"temperature": -0.1}, ["input temperature", "minimum of 0"]),
    ("temperature above 2", {"temperature": 2.1}, ["input temperature", "maximum of 2"]),
    ("top_p above 1", {"top_p": 1.5}, ["input top_p", "maximum of 1"]),
    ("top_logprobs above 20", {"top_logprobs": 21}, ["input top_logprobs", "maximum of 20"]),
    ("top_logprobs below 0", {"top_logprobs": -1}, ["input top_logprobs", "minimum of 0"]),
    # state and tracking
    ("previous_response_id empty", {"previous_response_id": ""}, ["input previous_response_id", "non-empty"]),
    ("store not a bool", {"store": "yes"}, ["input store", "boolean"]),
    ("17 metadata pairs", {"metadata": {f"k{i}": "v" for i in range(17)}}, ["input metadata", "17 entries", "16"]),
    ("metadata key over 64", {"metadata": {"k" * 65: "v"}}, ["input metadata"]),
    ("metadata value over 512", {"metadata": {"k": "v" * 513}}, ["input metadata.k", "513 characters", "512"]),
    ("include unknown", {"include": ["reasoning"]}, ["input include[0]", "'reasoning' is not one of"]),
    (
        "include twice the same",
        {"include": ["reasoning.encrypted_content", "reasoning.encrypted_content"]},
        ["input include", "non-unique"],
    ),
    ("service_tier unknown", {"service_tier": "cheap"}, ["input service_tier", "'cheap' is not one of"]),
    ("safety_identifier over 64", {"safety_identifier": "u" * 65}, ["input safety_identifier", "65 characters", "64"]),
    ("prompt_cache_key empty", {"prompt_cache_key": ""}, ["input prompt_cache_key", "non-empty"]),
    # settings shared with chat_completion
    ("cache_mode unknown", {"cache_mode": "sometimes"}, ["input cache_mode", "read-write, replay, off"]),
    ("timeout_seconds zero", {"timeout_seconds": 0}, ["input timeout_seconds"]),
    ("an input of chat_completion", {"messages": [USER]}, ["input messages", "not an input of this module"]),
]


@pytest.mark.parametrize(("case", "inputs", "fragments"), BAD_REQUESTS, ids=[c[0] for c in BAD_REQUESTS])
def test_bad_input_is_refused_naming_the_input_before_any_request(run_helper, openai_server, case, inputs, fragments):
    run = run_helper({"model": "gpt-4o", "input": "hi", **inputs}, flow=RESPONSE_FLOW)
    assert_one_error_line(run, "response: input ", *fragments)
    assert openai_server.requests == []
