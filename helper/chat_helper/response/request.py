"""Turns a response query (input name -> JSON string) into the inputs, the request exactly as sent, and the settings.

Only decoding and reshaping happen here, and never a rule (a cache hit pays for no check): the inputs are
listed in inputs.py, their rules are in request_rules.py, the settings' in core/settings.py (the endpoint)
and answers/settings.py. The module's inputs are shaped for Terraform; the API wants some of them
otherwise: text_format and verbosity go in text, reasoning_effort and reasoning_summary in reasoning,
the function tools and the hosted tools in one tools list, a tool's name in tool_choice as an object.
An input that is not set is not sent.
"""

import json
from dataclasses import dataclass
from typing import Any

from ..answers.settings import ANSWER_SETTINGS, AnswerSettings, parse_answer_settings
from ..core.errors import InputError
from ..core.protocol import decode_query, without_null_fields, without_nulls
from ..core.settings import ENDPOINT_SETTINGS
from .inputs import FORCIBLE_HOSTED_TOOLS, NAMED_HOSTED_TOOLS, REQUEST_PARAMETERS, TOOL_CHOICE_MODES

QUERY_KEYS = (*REQUEST_PARAMETERS, *ENDPOINT_SETTINGS, *ANSWER_SETTINGS)
# What a function tool without parameters takes: no arguments (valid in strict mode, which the API defaults to).
NO_ARGUMENTS: dict[str, Any] = {"type": "object", "properties": {}, "additionalProperties": False}
# Sent as they are (the rest are reshaped below).
AS_THEY_ARE = (
    "model",
    "instructions",
    "parallel_tool_calls",
    "max_tool_calls",
    "max_output_tokens",
    "temperature",
    "top_p",
    "top_logprobs",
    "previous_response_id",
    "store",
    "metadata",
    "include",
    "service_tier",
    "safety_identifier",
    "prompt_cache_key",
    "prompt_cache_retention",
)


@dataclass(frozen=True)
class Invocation:
    """One decoded query: the inputs as the user wrote them (what the rules check and name), the request
    exactly as it will be sent (what the fingerprint is of), and the settings."""

    inputs: dict[str, Any]
    request: dict[str, Any]
    settings: AnswerSettings


def parse_query(query: dict[str, str]) -> Invocation:
    """Decodes every input, drops the ones not set, and reshapes them into the request."""
    decoded = decode_query(query, QUERY_KEYS, "this module")
    inputs = decoded_inputs({name: decoded[name] for name in REQUEST_PARAMETERS if name in decoded})
    return Invocation(inputs=inputs, request=request_of(inputs), settings=parse_answer_settings(decoded))


def decoded_inputs(inputs: dict[str, Any]) -> dict[str, Any]:
    """The inputs with Terraform's nulls dropped from their objects and the JSON-string schemas decoded."""
    if isinstance(inputs.get("input_items"), list):
        inputs["input_items"] = [without_nulls(item) for item in inputs["input_items"]]
    if isinstance(inputs.get("hosted_tools"), list):
        inputs["hosted_tools"] = [without_null_fields(tool) for tool in inputs["hosted_tools"]]
    if isinstance(inputs.get("tools"), list):
        inputs["tools"] = [
            _decoded(f"tools[{index}].parameters", without_null_fields(tool), "parameters")
            for index, tool in enumerate(inputs["tools"])
        ]
    if isinstance(inputs.get("text_format"), dict):
        inputs["text_format"] = _decoded("text_format.schema", without_null_fields(inputs["text_format"]), "schema")
    return inputs


def request_of(inputs: dict[str, Any]) -> dict[str, Any]:
    """The request the API receives for these inputs (valid or not: the rules are checked on a miss only)."""
    request = {name: inputs[name] for name in AS_THEY_ARE if name in inputs}
    if "input" in inputs:
        request["input"] = inputs["input"]
    elif "input_items" in inputs:
        items = inputs["input_items"]
        request["input"] = [_sent_item(item) for item in items] if isinstance(items, list) else items
    if "tools" in inputs or "hosted_tools" in inputs:
        request["tools"] = [_sent_function_tool(tool) for tool in _listed(inputs.get("tools"))] + _listed(
            inputs.get("hosted_tools")
        )
    if "tool_choice" in inputs:
        request["tool_choice"] = tool_choice_of(inputs["tool_choice"], inputs)
    text = {
        key: value
        for key, value in (("format", inputs.get("text_format")), ("verbosity", inputs.get("verbosity")))
        if value is not None
    }
    if text:
        request["text"] = text
    reasoning = {
        key: inputs[name]
        for key, name in (("effort", "reasoning_effort"), ("summary", "reasoning_summary"))
        if name in inputs
    }
    if reasoning:
        request["reasoning"] = reasoning
    return request


def tool_choice_of(choice: Any, inputs: dict[str, Any]) -> Any:
    """A mode as it is; a name as the object the API wants: a function's, a custom tool's, or a hosted tool's
    type. A name of no declared tool is sent as a function's (the rules refuse it before any request)."""
    if not isinstance(choice, str) or choice in TOOL_CHOICE_MODES:
        return choice
    if choice in function_names(inputs):
        return {"type": "function", "name": choice}
    hosted = _listed(inputs.get("hosted_tools"))
    if any(tool.get("type") == "custom" and tool.get("name") == choice for tool in hosted if isinstance(tool, dict)):
        return {"type": "custom", "name": choice}
    declared_types = {tool.get("type") for tool in hosted if isinstance(tool, dict)}
    if choice in FORCIBLE_HOSTED_TOOLS and choice in declared_types:
        return {"type": choice}
    return {"type": "function", "name": choice}


def function_names(inputs: dict[str, Any]) -> list[str]:
    return [tool["name"] for tool in _listed(inputs.get("tools")) if isinstance(tool, dict) and "name" in tool]


def named_hosted_tools(inputs: dict[str, Any]) -> list[tuple[int, str]]:
    """(index, name) of the hosted tools whose name shares the function tools' names (custom, namespace)."""
    return [
        (index, tool["name"])
        for index, tool in enumerate(_listed(inputs.get("hosted_tools")))
        if isinstance(tool, dict) and tool.get("type") in NAMED_HOSTED_TOOLS and isinstance(tool.get("name"), str)
    ]


def _sent_item(item: Any) -> Any:
    """An input item as the API wants it: an image part's detail, which the API defaults to auto, is said."""
    if not isinstance(item, dict) or not isinstance(item.get("content"), list):
        return item
    content = [
        {**part, "detail": "auto"}
        if isinstance(part, dict) and part.get("type") == "input_image" and "detail" not in part
        else part
        for part in item["content"]
    ]
    return {**item, "content": content}


def _sent_function_tool(tool: Any) -> Any:
    """A module function tool, flat as the Responses API has them; strict said (the API's default is true)."""
    if not isinstance(tool, dict):
        return tool
    sent = {"type": "function", **tool}
    sent.setdefault("parameters", NO_ARGUMENTS)
    sent.setdefault("strict", True)
    return sent


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _decoded(path: str, definition: Any, key: str) -> Any:
    """definition with its key (a JSON Schema the module sends as a JSON string) decoded."""
    if isinstance(definition, dict) and isinstance(definition.get(key), str):
        try:
            return {**definition, key: json.loads(definition[key])}
        except ValueError as error:
            raise InputError(path, f"must be a JSON string (use jsonencode): {error}") from None
    return definition
