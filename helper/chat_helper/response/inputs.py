"""The request inputs of a response: the one list the helper's parameters and rules come from.

Each entry is an input the module sends (variables.tf, main.tf), with the JSON Schema of its value as the
module sends it (nulls inside objects dropped, JSON-string schemas decoded): response/request_rules.py
checks the inputs against them (and the rules between inputs), naming the input as the user wrote it,
and response/request.py takes exactly these names from the query and reshapes them into the request the
API receives. Adding an input: CONTRIBUTING.md's recipe. The modules' inputs are declared in
scripts/module_interface.py; tests/test_module_declaration.py holds this list to that declaration's
order.
"""

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

# The longest text the API takes in one input string, message part or function call output.
MAX_TEXT_CHARACTERS = 10_485_760
MAX_TOOLS = 128
ROLES = ("user", "assistant", "system", "developer")
ITEM_TYPES = ("message", "function_call", "function_call_output")
PART_TYPES = ("input_text", "input_image", "input_file")
TEXT_FORMATS = ("text", "json_object", "json_schema")
# Built-in tools, sent as written, and the keys each needs (the official CreateResponse schema's Tool).
HOSTED_TOOL_KEYS: dict[str, tuple[str, ...]] = {
    "web_search": (),
    "web_search_2025_08_26": (),
    "web_search_preview": (),
    "web_search_preview_2025_03_11": (),
    "file_search": ("vector_store_ids",),
    "code_interpreter": ("container",),
    "image_generation": (),
    "computer": (),
    "computer_use_preview": ("environment", "display_width", "display_height"),
    "mcp": ("server_label",),  # and one of MCP_SERVER_KEYS (request_rules.py)
    "local_shell": (),
    "shell": (),
    "apply_patch": (),
    "tool_search": (),
    "programmatic_tool_calling": (),
    "custom": ("name",),
    "namespace": ("name", "description", "tools"),
}
MCP_SERVER_KEYS = ("server_url", "connector_id", "tunnel_id")
NAMED_HOSTED_TOOLS = ("custom", "namespace")  # their name shares the function tools' names
# The hosted tools tool_choice can force by their type (the official ToolChoiceTypes).
FORCIBLE_HOSTED_TOOLS = (
    "file_search",
    "web_search_preview",
    "web_search_preview_2025_03_11",
    "computer",
    "computer_use_preview",
    "image_generation",
    "code_interpreter",
)
TOOL_CHOICE_MODES = ("none", "auto", "required")
INCLUDABLE = (
    "file_search_call.results",
    "web_search_call.results",
    "web_search_call.action.sources",
    "message.input_image.image_url",
    "computer_call_output.output.image_url",
    "code_interpreter_call.outputs",
    "reasoning.encrypted_content",
    "message.output_text.logprobs",
)

_text: dict[str, Any] = {"type": "string", "maxLength": MAX_TEXT_CHARACTERS}
_call_id: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 64}


def _when(field: str, value: str, then: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"properties": {field: {"const": value}}, "required": [field]}, "then": then}


def _closed(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"required": required, "properties": properties, "additionalProperties": False}


_part = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"enum": list(PART_TYPES)}},
    "allOf": [
        _when("type", "input_text", _closed(["type", "text"], {"type": {}, "text": _text})),
        _when(
            "type",
            "input_image",
            _closed(
                ["type"],
                {
                    "type": {},
                    "image_url": NON_EMPTY_STRING,
                    "file_id": NON_EMPTY_STRING,
                    "detail": {"enum": ["low", "high", "auto", "original"]},
                },
            ),
        ),
        _when(
            "type",
            "input_file",
            _closed(
                ["type"],
                {
                    "type": {},
                    "file_id": NON_EMPTY_STRING,
                    "file_url": NON_EMPTY_STRING,
                    "file_data": NON_EMPTY_STRING,
                    "filename": NON_EMPTY_STRING,
                    "detail": {"enum": ["auto", "low", "high"]},
                },
            ),
        ),
    ],
}
# What a part needs one of, the image or file it is about (request_rules.py says which is missing).
SOURCE_KEYS = {"input_image": ("image_url", "file_id"), "input_file": ("file_id", "file_url", "file_data")}
_message = _closed(
    ["role", "content"],
    {
        "type": {},
        "role": {"enum": list(ROLES)},
        # A string, or a list of parts: maxLength holds for the one, minItems and items for the other.
        "content": {"type": ["string", "array"], "maxLength": MAX_TEXT_CHARACTERS, "minItems": 1, "items": _part},
    },
)
_item = {
    "type": "object",
    "properties": {"type": {"enum": list(ITEM_TYPES)}},
    "allOf": [
        # A message may leave its type out, as the API's own easy form does.
        {"if": {"not": {"required": ["type"]}}, "then": _message},
        _when("type", "message", _message),
        _when(
            "type",
            "function_call",
            _closed(
                ["type", "call_id", "name", "arguments"],
                {"type": {}, "call_id": _call_id, "name": NAME, "arguments": {"type": "string"}},
            ),
        ),
        _when(
            "type",
            "function_call_output",
            _closed(["type", "call_id", "output"], {"type": {}, "call_id": _call_id, "output": _text}),
        ),
    ],
}
_function_tool = {
    "type": "object",
    **_closed(
        ["name"],
        {"name": NAME, "description": {"type": "string"}, "parameters": SCHEMA_OBJECT, "strict": BOOLEAN},
    ),
}
_hosted_tool = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"enum": list(HOSTED_TOOL_KEYS)}},
    "allOf": [_when("type", kind, {"required": list(keys)}) for kind, keys in HOSTED_TOOL_KEYS.items() if keys],
}
_text_format = {
    "type": "object",
    **_closed(
        ["type"],
        {
            "type": {"enum": list(TEXT_FORMATS)},
            "name": NAME,
            "description": {"type": "string"},
            "schema": SCHEMA_OBJECT,
            "strict": BOOLEAN,
        },
    ),
    "allOf": [_when("type", "json_schema", {"required": ["name", "schema"]})],
}

# In the order of the module interface's declaration (scripts/module_interface.py).
REQUEST_INPUTS: dict[str, dict[str, Any]] = {
    "model": MODEL,
    "input": {**_text, "minLength": 1},
    "input_items": {"type": "array", "minItems": 1, "items": _item},
    "instructions": _text,
    "tools": {"type": "array", "minItems": 1, "maxItems": MAX_TOOLS, "items": _function_tool},
    "hosted_tools": {"type": "array", "minItems": 1, "maxItems": MAX_TOOLS, "items": _hosted_tool},
    "tool_choice": NON_EMPTY_STRING,  # a mode or a declared tool's name: request_rules.py checks which
    "parallel_tool_calls": BOOLEAN,
    "max_tool_calls": {"type": "integer", "minimum": 1},
    "text_format": _text_format,
    "verbosity": VERBOSITY,
    "reasoning_effort": REASONING_EFFORT,
    "reasoning_summary": {"enum": ["auto", "concise", "detailed"]},
    "max_output_tokens": {"type": "integer", "minimum": 16},
    "temperature": TEMPERATURE,
    "top_p": TOP_P,
    "top_logprobs": TOP_LOGPROBS,
    "previous_response_id": NON_EMPTY_STRING,
    "store": BOOLEAN,
    "metadata": METADATA,
    "include": {"type": "array", "uniqueItems": True, "items": {"enum": list(INCLUDABLE)}},
    "service_tier": {"enum": [*SERVICE_TIER["enum"], "ultrafast"]},
    "safety_identifier": SAFETY_IDENTIFIER,
    "prompt_cache_key": NON_EMPTY_STRING,
    "prompt_cache_retention": PROMPT_CACHE_RETENTION,
}
REQUEST_PARAMETERS = tuple(REQUEST_INPUTS)
