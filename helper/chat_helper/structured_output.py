"""The parsed answer of a JSON response_format, checked locally against the requested schema."""

import json
from typing import Any

from .errors import AnswerError
from .protocol import reject_non_finite

JSON_FORMATS = ("json_object", "json_schema")


def parsed_answer(request: dict[str, Any], response: dict[str, Any]) -> Any:
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
        value = json.loads(content, parse_constant=reject_non_finite)
    except ValueError as error:
        raise AnswerError(
            f"the answer is not the JSON that response_format asked for ({error}); it starts {content[:60]!r}"
        ) from None
    json_schema = response_format.get("json_schema")
    if json_schema is not None:
        _check_against_schema(value, json_schema["schema"])
    elif not isinstance(value, dict):
        kind = type(value).__name__
        raise AnswerError(f"response_format json_object asked for a JSON object; the answer is a {kind}")
    return value


def _check_against_schema(value: Any, schema: dict[str, Any]) -> None:
    import jsonschema
    from jsonschema.exceptions import best_match

    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    violation = best_match(validator_class(schema).iter_errors(value))
    if violation is not None:
        where = "/" + "/".join(str(part) for part in violation.absolute_path)
        raise AnswerError(f"the answer does not match response_format.schema at {where}: {violation.message}")
