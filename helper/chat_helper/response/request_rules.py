"""Every rule a response request's inputs must meet before it is sent, each failure naming the input.

The inputs are checked as the user wrote them (input_items[1].call_id, text_format.schema), not as they
are reshaped for the API: the schema is built from response/inputs.py; the rules between inputs are
below it. The tests check that every request passing them also passes the official CreateResponse
schema. Imported only on a cache miss (it brings in jsonschema).
"""

from typing import Any

from ..answers.schema_rules import check_json_schema, first_violation, is_json
from ..core.errors import InputError
from .inputs import FORCIBLE_HOSTED_TOOLS, MAX_TOOLS, MCP_SERVER_KEYS, REQUEST_INPUTS, SOURCE_KEYS, TOOL_CHOICE_MODES
from .request import function_names, named_hosted_tools

INPUTS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["model"],
    "additionalProperties": False,
    "properties": REQUEST_INPUTS,
}
PROMPT_INPUTS = ("input", "input_items")


def validate_inputs(inputs: dict[str, Any]) -> None:
    """Raises InputError naming the first input that breaks a rule; returns when all hold."""
    _check_hosted_tool_kinds(inputs)
    first_violation(INPUTS_SCHEMA, inputs)
    _check_prompt(inputs)
    _check_items(inputs.get("input_items", []))
    _check_tools(inputs)
    _check_text_format(inputs.get("text_format"))


def _check_hosted_tool_kinds(inputs: dict[str, Any]) -> None:
    """A function tool among the hosted tools: said before the schema's list of hosted types would be."""
    hosted = inputs.get("hosted_tools")
    for index, tool in enumerate(hosted if isinstance(hosted, list) else []):
        if isinstance(tool, dict) and tool.get("type") == "function":
            raise InputError(
                f"hosted_tools[{index}].type",
                '"function" is a function tool: declare it in tools ({ name, description, parameters, strict })',
            )


def _check_prompt(inputs: dict[str, Any]) -> None:
    if not inputs["model"].strip():
        raise InputError("model", 'must not be empty: name a model such as "gpt-4o"')
    given = [name for name in PROMPT_INPUTS if name in inputs]
    if not given:
        raise InputError("input", "is required: set input (a string) or input_items (a list of items)")
    if len(given) == 2:
        raise InputError("input", "cannot be combined with input_items (set one)")


def _check_items(items: list[dict[str, Any]]) -> None:
    for index, item in enumerate(items):
        where = f"input_items[{index}]"
        if (
            item.get("type", "message") == "message"
            and item["role"] == "assistant"
            and not isinstance(item["content"], str)
        ):
            raise InputError(
                f"{where}.content",
                "an assistant message's content must be a string (the text of the earlier answer); parts are for "
                "user, system and developer messages",
            )
        if item.get("type") == "function_call" and not is_json(item["arguments"]):
            raise InputError(f"{where}.arguments", "must be a JSON string (use jsonencode)")
        for number, part in enumerate(item["content"] if isinstance(item.get("content"), list) else []):
            keys = SOURCE_KEYS.get(part["type"], ())
            if keys and not set(keys) & set(part):
                raise InputError(f"{where}.content[{number}]", f"an {part['type']} part needs {_one_of(keys)}")


def _check_tools(inputs: dict[str, Any]) -> None:
    tools, hosted = inputs.get("tools", []), inputs.get("hosted_tools", [])
    for index, tool in enumerate(hosted):
        if tool["type"] == "mcp" and not set(MCP_SERVER_KEYS) & set(tool):
            raise InputError(f"hosted_tools[{index}]", f"an mcp tool needs {_one_of(MCP_SERVER_KEYS)}")
    if len(tools) + len(hosted) > MAX_TOOLS:
        raise InputError("hosted_tools", f"tools and hosted_tools together may hold at most {MAX_TOOLS} tools")
    seen: set[str] = set()
    named = [(f"tools[{index}].name", tool["name"]) for index, tool in enumerate(tools)]
    named += [(f"hosted_tools[{index}].name", name) for index, name in named_hosted_tools(inputs)]
    for where, name in named:
        if name in seen:
            raise InputError(where, f"{name!r} is declared twice: tool names must be unique")
        seen.add(name)
    for index, tool in enumerate(tools):
        if "parameters" in tool:
            _check_parameters(f"tools[{index}].parameters", tool)
    declared = bool(tools or hosted)
    for name in ("tool_choice", "parallel_tool_calls", "max_tool_calls"):
        if name in inputs and not declared:
            raise InputError(name, "is set, but no tools are declared (tools or hosted_tools)")
    choice = inputs.get("tool_choice")
    if choice is None or choice in TOOL_CHOICE_MODES:
        return
    hosted_types = {tool["type"] for tool in hosted}
    custom = {tool["name"] for tool in hosted if tool["type"] == "custom"}
    if choice in function_names(inputs) or choice in custom:
        return
    if choice in hosted_types and choice in FORCIBLE_HOSTED_TOOLS:
        return
    if choice in hosted_types:
        raise InputError(
            "tool_choice", f"{choice!r} is a hosted tool the API cannot be told to use; set auto or required"
        )
    raise InputError(
        "tool_choice",
        f"names {choice!r}, which is not a declared tool: use none, auto, required, a function tool's name, or the "
        f"type of a hosted tool declared in hosted_tools ({', '.join(FORCIBLE_HOSTED_TOOLS)})",
    )


def _check_parameters(path: str, tool: dict[str, Any]) -> None:
    """A valid JSON Schema, and strict mode's rules unless the tool says strict = false: the Responses API
    makes a function tool strict by default."""
    try:
        check_json_schema(path, tool["parameters"], strict=tool.get("strict") is not False)
    except InputError as error:
        if "strict" in tool or "strict = true" not in str(error):
            raise
        rule = str(error).removeprefix(f"input {error.input_name}: ")
        raise InputError(
            error.input_name, f"{rule} (a function tool is strict unless it sets strict = false: the API's default)"
        ) from None


def _check_text_format(text_format: dict[str, Any] | None) -> None:
    if text_format is None:
        return
    if text_format["type"] == "json_schema":
        check_json_schema("text_format.schema", text_format["schema"], strict=text_format.get("strict") is True)
        return
    for key in ("name", "description", "schema", "strict"):
        if key in text_format:
            raise InputError(f"text_format.{key}", f'is only for type = "json_schema", not {text_format["type"]!r}')


def _one_of(keys: tuple[str, ...]) -> str:
    return ", ".join(keys[:-1]) + f" or {keys[-1]}"
