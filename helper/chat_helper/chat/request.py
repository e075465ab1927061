"""Turns a chat_completion query (input name -> JSON string) into the API request and the settings.

Only decoding and reshaping happen here; the request's inputs are listed in inputs.py, their rules
are in request_rules.py, the settings' in core/settings.py (the endpoint) and answers/settings.py.
"""

import json
from dataclasses import dataclass
from typing import Any

from ..answers.settings import ANSWER_SETTINGS, AnswerSettings, parse_answer_settings
from ..core.errors import InputError
from ..core.protocol import decode_query, without_null_fields, without_nulls
from ..core.settings import ENDPOINT_SETTINGS
from .inputs import REQUEST_PARAMETERS

QUERY_KEYS = (*REQUEST_PARAMETERS, *ENDPOINT_SETTINGS, *ANSWER_SETTINGS)


@dataclass(frozen=True)
class Invocation:
    """One decoded query: the request exactly as it will be sent, and the settings."""

    request: dict[str, Any]
    settings: AnswerSettings


def parse_query(query: dict[str, str]) -> Invocation:
    """Decodes every input, drops the ones not set, and reshapes those the API wants differently."""
    decoded = decode_query(query, QUERY_KEYS, "this module")
    return invocation_of(decoded, parse_answer_settings(decoded))


def invocation_of(decoded: dict[str, Any], settings: AnswerSettings) -> Invocation:
    """The request among decoded query values (the settings parsed already), reshaped."""
    request = {name: decoded[name] for name in REQUEST_PARAMETERS if name in decoded}
    return Invocation(request=_reshape(request), settings=settings)


def _reshape(request: dict[str, Any]) -> dict[str, Any]:
    """Drops nulls inside messages, decodes JSON-string schemas, and names forced calls."""
    if isinstance(request.get("messages"), list):
        request["messages"] = [_reshaped_message(without_nulls(message)) for message in request["messages"]]
    if isinstance(request.get("functions"), list):
        request["functions"] = [
            _decoded_parameters(f"functions[{index}]", without_null_fields(function))
            for index, function in enumerate(request["functions"])
        ]
    if isinstance(request.get("tools"), list):
        request["tools"] = [
            _reshaped_tool(index, without_null_fields(tool)) for index, tool in enumerate(request["tools"])
        ]
    function_call = request.get("function_call")
    if isinstance(function_call, str) and function_call not in ("none", "auto"):
        request["function_call"] = {"name": function_call}
    tool_choice = request.get("tool_choice")
    if isinstance(tool_choice, str) and tool_choice not in ("none", "auto", "required"):
        request["tool_choice"] = {"type": "function", "function": {"name": tool_choice}}
    if isinstance(request.get("response_format"), dict):
        request["response_format"] = _reshaped_response_format(without_null_fields(request["response_format"]))
    return request


def _reshaped_message(message: Any) -> Any:
    """A tool call's type is "function" when left out, as the modules' variables default it (a key of
    chat_completions' requests, which is not typed, may leave it out)."""
    if not isinstance(message, dict) or not isinstance(message.get("tool_calls"), list):
        return message
    calls = [{"type": "function", **call} if isinstance(call, dict) else call for call in message["tool_calls"]]
    return {**message, "tool_calls": calls}


def _decoded_parameters(path: str, definition: Any) -> Any:
    if isinstance(definition, dict) and isinstance(definition.get("parameters"), str):
        definition = dict(definition)
        definition["parameters"] = _json_object(f"{path}.parameters", definition["parameters"])
    return definition


def _reshaped_tool(index: int, tool: Any) -> Any:
    """Module tools are flat ({name, description, parameters, strict}); the API nests them."""
    if not isinstance(tool, dict) or "function" in tool:
        return tool
    function = _decoded_parameters(f"tools[{index}]", {k: v for k, v in tool.items() if k != "type"})
    return {"type": tool.get("type", "function"), "function": function}


def _reshaped_response_format(response_format: dict[str, Any]) -> dict[str, Any]:
    """The module's flat { type = "json_schema", name, schema, strict } nested as the API wants it.

    Written as the API's docs write it (json_schema = { name, schema, strict }), the inner object never
    arrives: the variable's type has no json_schema, so Terraform drops it. The line says so."""
    if response_format.get("type") != "json_schema" or "json_schema" in response_format:
        return response_format
    missing = [name for name in ("name", "schema") if name not in response_format]
    if missing:
        raise InputError(
            "response_format",
            f'type = "json_schema" needs {" and ".join(missing)} beside it: this module takes name, schema '
            "(jsonencode of a JSON Schema object) and strict at the top level of response_format, not inside "
            "json_schema = { ... } as the API nests them",
        )
    json_schema = {k: v for k, v in response_format.items() if k != "type"}
    if isinstance(json_schema.get("schema"), str):
        json_schema["schema"] = _json_object("response_format.schema", json_schema["schema"])
    return {"type": "json_schema", "json_schema": json_schema}


def _json_object(path: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise InputError(path, f"must be a JSON string (use jsonencode): {error}") from None
