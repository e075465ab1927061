"""Every rule a chat completion request must meet before it is sent, checked with jsonschema.

The schema is built from chat/inputs.py, written for clear messages; the tests check that every
request passing it also passes the official OpenAPI request schema. The rules between inputs are
below it. Imported only on a cache miss (it brings in jsonschema).
"""

from typing import Any

from ..answers.schema_rules import check_json_schema, check_unique_names, first_violation, is_json
from ..core.errors import InputError
from .inputs import REQUEST_INPUTS

REQUEST_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["model", "messages"],
    "additionalProperties": False,
    "properties": REQUEST_INPUTS,
}


def validate_request(request: dict[str, Any]) -> None:
    """Raises InputError naming the first input that breaks a rule; returns when all hold."""
    first_violation(REQUEST_SCHEMA, request)
    _check_cross_field_rules(request)
    for path, schema in _declared_schemas(request):
        check_json_schema(path, schema)


def _declared_schemas(request: dict[str, Any]) -> list[tuple[str, Any]]:
    schemas: list[tuple[str, Any]] = []
    for index, function in enumerate(request.get("functions", [])):
        schemas.append((f"functions[{index}].parameters", function["parameters"]))
    for index, tool in enumerate(request.get("tools", [])):
        if "parameters" in tool["function"]:
            schemas.append((f"tools[{index}].parameters", tool["function"]["parameters"]))
    return schemas


def _check_cross_field_rules(request: dict[str, Any]) -> None:
    if not request["model"].strip():
        raise InputError("model", 'must not be empty: name a model such as "gpt-4o"')
    tool_functions = [tool["function"] for tool in request.get("tools", [])]
    for name, definitions in (("functions", request.get("functions", [])), ("tools", tool_functions)):
        check_unique_names(name, definitions)
    declared_functions = {function["name"] for function in request.get("functions", [])}
    function_call = request.get("function_call")
    if function_call is not None and "functions" not in request:
        raise InputError("function_call", "is set, but no functions are declared")
    if isinstance(function_call, dict):
        if not declared_functions:
            raise InputError("function_call", "names a function, but no functions are declared")
        if function_call["name"] not in declared_functions:
            raise InputError("function_call", f"names {function_call['name']!r}, which is not a declared function")
    declared_tools = {tool["function"]["name"] for tool in request.get("tools", [])}
    tool_choice = request.get("tool_choice")
    if isinstance(tool_choice, dict) and tool_choice["function"]["name"] not in declared_tools:
        raise InputError("tool_choice", f"names {tool_choice['function']['name']!r}, which is not a declared tool")
    if tool_choice is not None and not declared_tools:
        raise InputError("tool_choice", "is set, but no tools are declared")
    if "parallel_tool_calls" in request and not declared_tools:
        raise InputError("parallel_tool_calls", "is set, but no tools are declared")
    if "functions" in request and "tools" in request:
        raise InputError("functions", "cannot be combined with tools (functions are the deprecated form of tools)")
    if "top_logprobs" in request and request.get("logprobs") is not True:
        raise InputError("top_logprobs", "needs logprobs = true")
    if "max_tokens" in request and "max_completion_tokens" in request:
        raise InputError("max_tokens", "cannot be combined with max_completion_tokens (set one)")
    for index, message in enumerate(request["messages"]):
        if message["role"] == "assistant" and not {"content", "function_call", "tool_calls"} & set(message):
            raise InputError(f"messages[{index}]", "an assistant message needs content, function_call or tool_calls")
        calls = [("function_call", message.get("function_call"))]
        tool_calls = enumerate(message.get("tool_calls", []))
        calls += [(f"tool_calls[{number}].function", call["function"]) for number, call in tool_calls]
        for where, call in calls:
            if call is not None and not is_json(call["arguments"]):
                raise InputError(f"messages[{index}].{where}.arguments", "must be a JSON string (use jsonencode)")
        for key, roles in (("function_call", {"assistant"}), ("tool_calls", {"assistant"}), ("tool_call_id", {"tool"})):
            if key in message and message["role"] not in roles:
                raise InputError(
                    f"messages[{index}].{key}", f"is only allowed on {' or '.join(sorted(roles))} messages"
                )
    response_format = request.get("response_format", {})
    json_schema = response_format.get("json_schema")
    if json_schema is not None:
        check_json_schema("response_format.schema", json_schema["schema"], strict=json_schema.get("strict") is True)
    for index, tool in enumerate(request.get("tools", [])):
        function = tool["function"]
        if function.get("strict") is True and "parameters" in function:
            check_json_schema(f"tools[{index}].parameters", function["parameters"], strict=True)
