"""The parsed answer of a chat completion asked for JSON (response_format), checked locally against the schema."""

from typing import Any


def parsed_answer(request: dict[str, Any], response: dict[str, Any], sensitive: bool = False) -> Any:
    """The first choice's content as a value, or None when the request did not ask for JSON."""
    response_format = request.get("response_format") or {}
    if response_format.get("type") not in ("json_object", "json_schema"):
        return None
    from ..answers.structured_output import cut_off_json, parsed_json  # a request for JSON only

    choice = response["choices"][0]
    message = choice.get("message") or {}
    content = message.get("content")
    if not isinstance(content, str):
        return None  # a refusal or a tool call: there is no answer to parse
    if choice.get("finish_reason") == "length":
        raise cut_off_json('finish_reason = "length"', "max_tokens / max_completion_tokens")
    json_schema = response_format.get("json_schema")
    schema = json_schema["schema"] if json_schema is not None else None
    return parsed_json(content, schema, sensitive, "response_format")
