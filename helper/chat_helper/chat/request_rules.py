"""Every rule a chat completion request must meet before it is sent, checked with jsonschema.

The request schema below is the module's interface, written for clear messages; the tests check
that every request passing it also passes the official OpenAPI request schema.
"""

import json
from collections.abc import Iterable
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from ..core.errors import InputError

MAX_CONTENT_CHARACTERS = 1_048_576
NAME_PATTERN = "^[a-zA-Z0-9_-]{1,64}\\Z"  # \Z: "$" would also accept a final newline
SHOWN_NAME_PATTERN = "^[a-zA-Z0-9_-]{1,64}$"
ROLES = ("system", "user", "assistant", "function", "developer", "tool")

_name = {"type": "string", "pattern": NAME_PATTERN}
_call = {
    "type": "object",
    "required": ["name", "arguments"],
    "properties": {"name": _name, "arguments": {"type": "string"}},
    "additionalProperties": False,
}
_function_definition = {
    "type": "object",
    "required": ["name", "parameters"],
    "properties": {
        "name": _name,
        "description": {"type": "string"},
        "parameters": {"type": "object"},
        "strict": {"type": "boolean"},
    },
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
        "name": {"type": "string", "minLength": 1},
        "function_call": _call,
        "tool_calls": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "type", "function"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "type": {"const": "function"},
                    "function": _call,
                },
                "additionalProperties": False,
            },
        },
        "tool_call_id": {"type": "string", "minLength": 1},
    },
    "additionalProperties": False,
    "allOf": [
        _required_for_role(["system", "user", "developer"], ["content"]),
        _required_for_role(["function"], ["name", "content"]),
        {
            "if": {"properties": {"role": {"const": "function"}}, "required": ["role"]},
            "then": {"properties": {"name": _name}},
        },
        _required_for_role(["tool"], ["tool_call_id", "content"]),
    ],
}

REQUEST_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["model", "messages"],
    "additionalProperties": False,
    "properties": {
        "model": {"type": "string", "minLength": 1},
        "messages": {"type": "array", "minItems": 1, "items": _message},
        "functions": {"type": "array", "minItems": 1, "maxItems": 128, "items": _function_definition},
        "function_call": {
            "anyOf": [
                {"enum": ["none", "auto"]},
                {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": _name},
                    "additionalProperties": False,
                },
            ]
        },
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
                    "properties": {
                        "type": {"const": "function"},
                        "function": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {"name": _name},
                        },
                    },
                },
            ]
        },
        "parallel_tool_calls": {"type": "boolean"},
        "response_format": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"enum": ["text", "json_object", "json_schema"]},
                "json_schema": {
                    "type": "object",
                    "required": ["name", "schema"],
                    "properties": {
                        "name": _name,
                        "description": {"type": "string"},
                        "schema": {"type": "object"},
                        "strict": {"type": "boolean"},
                    },
                    "additionalProperties": False,
                },
            },
            "additionalProperties": False,
            "if": {"properties": {"type": {"const": "json_schema"}}},
            "then": {"required": ["json_schema"]},
            "else": {"not": {"required": ["json_schema"]}},
        },
        "temperature": {"type": "number", "minimum": 0, "maximum": 2},
        "top_p": {"type": "number", "minimum": 0, "maximum": 1},
        "n": {"type": "integer", "minimum": 1, "maximum": 128},
        "stop": {"type": "array", "minItems": 1, "maxItems": 4, "items": {"type": "string"}},
        "max_tokens": {"type": "integer", "minimum": 1},
        "max_completion_tokens": {"type": "integer", "minimum": 1},
        "presence_penalty": {"type": "number", "minimum": -2, "maximum": 2},
        "frequency_penalty": {"type": "number", "minimum": -2, "maximum": 2},
        "logit_bias": {
            "type": "object",
            "propertyNames": {"pattern": "^[0-9]+$"},
            "additionalProperties": {"type": "integer", "minimum": -100, "maximum": 100},
        },
        "logprobs": {"type": "boolean"},
        "top_logprobs": {"type": "integer", "minimum": 0, "maximum": 20},
        "seed": {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1},
        "user": {"type": "string", "minLength": 1},
        "safety_identifier": {"type": "string", "minLength": 1, "maxLength": 64},
        "prompt_cache_key": {"type": "string", "minLength": 1},
        "store": {"type": "boolean"},
        "metadata": {
            "type": "object",
            "maxProperties": 16,
            "propertyNames": {"minLength": 1, "maxLength": 64},
            "additionalProperties": {"type": "string", "maxLength": 512},
        },
        "reasoning_effort": {"enum": ["none", "minimal", "low", "medium", "high", "xhigh", "max"]},
        "service_tier": {"enum": ["auto", "default", "flex", "scale", "priority", "fast"]},
        "verbosity": {"enum": ["low", "medium", "high"]},
    },
}


def validate_request(request: dict[str, Any]) -> None:
    """Raises InputError naming the first input that breaks a rule; returns when all hold."""
    validator = jsonschema.Draft202012Validator(REQUEST_SCHEMA)
    error = best_match(validator.iter_errors(request))
    if error is not None:
        raise _input_error(error)
    _check_cross_field_rules(request)
    for path, schema in _declared_schemas(request):
        check_json_schema(path, schema)


def check_json_schema(path: str, schema: Any, *, strict: bool = False) -> None:
    """A function or tool's parameters: a valid JSON Schema whose top-level type is object."""
    if not isinstance(schema, dict):
        raise InputError(path, "must be a JSON Schema object")
    if not isinstance(schema.get("$schema", ""), str):
        raise InputError(path, '"$schema" must be a string (a meta-schema URI)')
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        validator_class.check_schema(schema)
    except jsonschema.SchemaError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        raise InputError(path, f"is not a valid JSON Schema at {where}: {error.message}") from None
    if schema.get("type") != "object":
        raise InputError(path, 'must be a JSON Schema whose top-level "type" is "object"')
    _check_references(path, schema, schema)
    if strict:
        _check_strict_schema(path, schema)


def _check_references(path: str, root: dict[str, Any], node: Any) -> None:
    """Every $ref points inside the schema: nothing is fetched, and nothing fails after a paid call."""
    if isinstance(node, list):
        for item in node:
            _check_references(path, root, item)
        return
    if not isinstance(node, dict):
        return
    reference = node.get("$ref")
    if reference is not None:
        if not isinstance(reference, str) or not (reference == "#" or reference.startswith("#/")):
            raise InputError(path, f"$ref {reference!r} must point inside the schema (#/$defs/...); nothing is fetched")
        target: Any = root
        for token in reference[2:].split("/") if reference != "#" else []:
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and token in target:
                target = target[token]
            elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
                target = target[int(token)]
            else:
                raise InputError(path, f"$ref {reference!r} points at nothing in the schema")
    for key, child in node.items():
        if key not in ("const", "enum", "default", "examples"):
            _check_references(path, root, child)


def _check_strict_schema(path: str, schema: dict[str, Any], where: str = "") -> None:
    """Strict mode's rules: every object closes additionalProperties and requires each property."""
    if schema.get("type") == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is not False:
            raise InputError(path, f"strict = true needs additionalProperties = false at {where or '(top level)'}")
        missing = sorted(set(properties) - set(schema.get("required", [])))
        if missing:
            raise InputError(
                path,
                f"strict = true needs every property required; at {where or '(top level)'} "
                f"these are not: {', '.join(missing)}",
            )
        for name, child in properties.items():
            if isinstance(child, dict):
                _check_strict_schema(path, child, f"{where}/properties/{name}")
    for keyword in ("items",):
        if isinstance(schema.get(keyword), dict):
            _check_strict_schema(path, schema[keyword], f"{where}/{keyword}")
    for keyword in ("anyOf", "$defs", "definitions"):
        children = schema.get(keyword)
        items = children.items() if isinstance(children, dict) else enumerate(children or [])
        for key, child in items:
            if isinstance(child, dict):
                _check_strict_schema(path, child, f"{where}/{keyword}/{key}")


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
        _check_unique_names(name, definitions)
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
            if call is not None and not _is_json(call["arguments"]):
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


def _check_unique_names(input_name: str, definitions: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for index, definition in enumerate(definitions):
        if definition["name"] in seen:
            name = definition["name"]
            raise InputError(f"{input_name}[{index}].name", f"{name!r} is declared twice: names must be unique")
        seen.add(definition["name"])


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _input_error(error: ValidationError) -> InputError:
    path = list(error.absolute_path)
    if not path:
        if error.validator == "additionalProperties":
            return InputError("request", error.message)
        return InputError(_missing_name(error), error.message)
    name = str(path[0])
    for part in path[1:]:
        name += f"[{part}]" if isinstance(part, int) else f".{part}"
    return InputError(name, _rule(error))


def _missing_name(error: ValidationError) -> str:
    required = error.validator_value
    if error.validator == "required" and isinstance(error.instance, dict) and isinstance(required, list):
        for name in required:
            if name not in error.instance:
                return str(name)
    return "request"


def _rule(error: ValidationError) -> str:
    """jsonschema's message, made about the value rather than the schema when that reads better."""
    if error.validator == "pattern" and error.validator_value == NAME_PATTERN:
        return f"{error.instance!r} does not match {SHOWN_NAME_PATTERN} (letters, digits, _ and -, 1 to 64 characters)"
    if error.validator == "pattern":
        return f"{error.instance!r} does not match {error.validator_value}"
    if error.validator == "maxLength" and isinstance(error.instance, str):
        return f"is {len(error.instance)} characters long; the limit is {error.validator_value}"
    if error.validator in ("maxItems", "minItems") and isinstance(error.instance, list):
        bound = "at most" if error.validator == "maxItems" else "at least"
        return f"has {len(error.instance)} items; it must have {bound} {error.validator_value}"
    if error.validator == "maxProperties" and isinstance(error.instance, dict):
        return f"has {len(error.instance)} entries; the limit is {error.validator_value}"
    if error.validator == "anyOf":
        return f"{error.instance!r} is not one of the accepted forms"
    return error.message
