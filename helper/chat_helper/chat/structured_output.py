"""The parsed answer of a JSON response_format, checked locally against the requested schema."""

from typing import Any

from ..core.errors import AnswerError
from ..core.protocol import loads_finite

JSON_FORMATS = ("json_object", "json_schema")


def parsed_answer(request: dict[str, Any], response: dict[str, Any], sensitive: bool = False) -> Any:
    """The first choice's content as a value, or None when the request did not ask for JSON."""
    response_format = request.get("response_format") or {}
    if response_format.get("type") not in JSON_FORMATS:
        return None
    choice = response["choices"][0]
    message = choice.get("message") or {}
    content = message.get("content")
    if not isinstance(content, str):
        return None  # a refusal or a tool call: there is no answer to parse
    if choice.get("finish_reason") == "length":
        raise AnswerError(
            'the structured answer was cut off (finish_reason = "length") before its JSON was complete; '
            "raise max_tokens / max_completion_tokens"
        )
    try:
        value = loads_finite(content)
    except ValueError as error:
        start = "its text is hidden: sensitive = true" if sensitive else f"it starts {content[:60]!r}"
        raise AnswerError(f"the answer is not the JSON that response_format asked for ({error}); {start}") from None
    json_schema = response_format.get("json_schema")
    if json_schema is not None:
        _check_against_schema(value, json_schema["schema"], sensitive)
    elif not isinstance(value, dict):
        kind = type(value).__name__
        raise AnswerError(f"response_format json_object asked for a JSON object; the answer is a {kind}")
    return value


def _check_against_schema(value: Any, schema: dict[str, Any], sensitive: bool) -> None:
    import jsonschema
    from jsonschema.exceptions import best_match

    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        violation = best_match(validator_class(schema).iter_errors(value))
    except Exception as error:  # a reference jsonschema cannot resolve; the request checks should prevent it
        raise AnswerError(f"cannot check the answer against response_format.schema: {error}") from None
    if violation is not None:
        where = "/" + "/".join(str(part) for part in violation.absolute_path)
        rule = violation.message if len(violation.message) <= 200 else violation.message[:197] + "..."
        if sensitive:
            rule = f"the value breaks the schema's {violation.validator!r} rule (the value is hidden: sensitive = true)"
        raise AnswerError(f"the answer does not match response_format.schema at {where}: {rule}")
