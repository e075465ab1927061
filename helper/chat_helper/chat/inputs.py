"""The request inputs of a chat completion: the one list the helper's parameters and schema come from.

Each entry is an input the module sends (variables.tf, main.tf) and the API receives as it is, after
chat/request.py's reshaping, with the JSON Schema of that value: chat/request_rules.py checks a
request against them (and the cross-field rules), and chat/request.py takes exactly these names
from the query. Adding an input: CONTRIBUTING.md's recipe. The modules' inputs are declared in
scripts/module_interface.py; tests/test_module_declaration.py holds this list to that declaration's
order.
"""

from collections.abc import Iterable
from typing import Any

from ..answers.input_schemas import (
    BOOLEAN,
    METADATA,
    MODEL,
    NAME,
    NON_EMPTY_STRING,
    PROMPT_CACHE_RETENTION,
    REASONING_EFFORT,
    SAFETY_IDENTIFIER,
    SCHEMA_OBJECT,
    SERVICE_TIER,
    TEMPERATURE,
    TOP_LOGPROBS,
    TOP_P,
    VERBOSITY,
)

MAX_CONTENT_CHARACTERS = 1_048_576
ROLES = ("system", "user", "assistant", "function", "developer", "tool")

_call = {
    "type": "object",
    "required": ["name", "arguments"],
    "properties": {"name": NAME, "arguments": {"type": "string"}},
    "additionalProperties": False,
}
_function_definition = {
    "type": "object",
    "required": ["name", "parameters"],
    "properties": {"name": NAME, "description": {"type": "string"}, "parameters": SCHEMA_OBJECT, "strict": BOOLEAN},
    "additionalProperties": False,
}
# A tool may take no arguments at all (the API allows parameters to be left out).
_tool_function_definition = {**_function_definition, "required": ["name"]}


def _required_for_role(roles: Iterable[str], required: list[str]) -> dict[str, Any]:
    return {
        "if": {"properties": {"role": {"enum": list(roles)}}, "required": ["role"]},
        "then": {"required": required},
    }


_message = {
    "type": "object",
    "required": ["role"],
    "properties": {
        "role": {"enum": list(ROLES)},
        "content": {"type": "string", "maxLength": MAX_CONTENT_CHARACTERS},
        "name": NON_EMPTY_STRING,
        "function_call": _call,
        "tool_calls": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "type", "function"],
                "properties": {"id": NON_EMPTY_STRING, "type": {"const": "function"}, "function": _call},
                "additionalProperties": False,
            },
        },
        "tool_call_id": NON_EMPTY_STRING,
    },
    "additionalProperties": False,
    "allOf": [
        _required_for_role(["system", "user", "developer"], ["content"]),
        _required_for_role(["function"], ["name", "content"]),
        {
            "if": {"properties": {"role": {"const": "function"}}, "required": ["role"]},
            "then": {"properties": {"name": NAME}},
        },
        _required_for_role(["tool"], ["tool_call_id", "content"]),
    ],
}
_named_function_choice = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": NAME},
    "additionalProperties": False,
}
_positive_whole_number = {"type": "integer", "minimum": 1}
_penalty = {"type": "number", "minimum": -2, "maximum": 2}

# In the order of the module interface's declaration (scripts/module_interface.py).
REQUEST_INPUTS: dict[str, dict[str, Any]] = {
    "model": MODEL,
    "messages": {"type": "array", "minItems": 1, "items": _message},
    "tools": {
        "type": "array",
        "minItems": 1,
        "maxItems": 128,
        "items": {
            "type": "object",
            "required": ["type", "function"],
            "properties": {"type": {"const": "function"}, "function": _tool_function_definition},
            "additionalProperties": False,
        },
    },
    "tool_choice": {
        "anyOf": [
            {"enum": ["none", "auto", "required"]},
            {
                "type": "object",
                "required": ["type", "function"],
                "properties": {"type": {"const": "function"}, "function": _named_function_choice},
            },
        ]
    },
    "parallel_tool_calls": BOOLEAN,
    "functions": {"type": "array", "minItems": 1, "maxItems": 128, "items": _function_definition},
    "function_call": {"anyOf": [{"enum": ["none", "auto"]}, _named_function_choice]},
    "response_format": {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"enum": ["text", "json_object", "json_schema"]},
            "json_schema": {
                "type": "object",
                "required": ["name", "schema"],
                "properties": {
                    "name": NAME,
                    "description": {"type": "string"},
                    "schema": SCHEMA_OBJECT,
                    "strict": BOOLEAN,
                },
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
        "if": {"properties": {"type": {"const": "json_schema"}}},
        "then": {"required": ["json_schema"]},
        "else": {"not": {"required": ["json_schema"]}},
    },
    "temperature": TEMPERATURE,
    "top_p": TOP_P,
    "n": {"type": "integer", "minimum": 1, "maximum": 128},
    "stop": {"type": "array", "minItems": 1, "maxItems": 4, "items": {"type": "string"}},
    "max_tokens": _positive_whole_number,
    "max_completion_tokens": _positive_whole_number,
    "presence_penalty": _penalty,
    "frequency_penalty": _penalty,
    "logit_bias": {
        "type": "object",
        "propertyNames": {"pattern": "^[0-9]+$"},
        "additionalProperties": {"type": "integer", "minimum": -100, "maximum": 100},
    },
    "logprobs": BOOLEAN,
    "top_logprobs": TOP_LOGPROBS,
    "seed": {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1},
    "reasoning_effort": REASONING_EFFORT,
    "verbosity": VERBOSITY,
    "service_tier": SERVICE_TIER,
    "user": NON_EMPTY_STRING,
    "safety_identifier": SAFETY_IDENTIFIER,
    "prompt_cache_key": NON_EMPTY_STRING,
    "prompt_cache_retention": PROMPT_CACHE_RETENTION,
    "store": BOOLEAN,
    "metadata": METADATA,
}
REQUEST_PARAMETERS = tuple(REQUEST_INPUTS)
