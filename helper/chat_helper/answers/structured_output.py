"""A structured answer: its text parsed as the JSON a format asked for, and checked against the schema.

jsonschema is imported only to check a schema (a json_object answer needs none).
"""

from typing import Any

from ..core.errors import AnswerError
from ..core.protocol import loads_finite

JSON_FORMATS = ("json_object", "json_schema")
SHOWN_RULE_CHARACTERS = 200


def parsed_json(text: str, schema: dict[str, Any] | None, sensitive: bool, format_input: str) -> Any:
    """text as a value: checked against schema, or, without one (json_object), to be a JSON object.
    AnswerError names format_input (the input that asked for JSON) when it is not."""
    try:
        value = loads_finite(text)
    except ValueError as error:
        start = "its text is hidden: sensitive = true" if sensitive else f"it starts {text[:60]!r}"
        raise AnswerError(f"the answer is not the JSON that {format_input} asked for ({error}); {start}") from None
    if schema is not None:
        _check_against_schema(value, schema, sensitive, format_input)
    elif not isinstance(value, dict):
        kind = type(value).__name__
        raise AnswerError(f"{format_input} json_object asked for a JSON object; the answer is a {kind}")
    return value


def cut_off_json(where: str, limit_inputs: str) -> AnswerError:
    """A structured answer stopped at the token limit: its JSON is incomplete, whatever allow_length_cutoff says."""
    return AnswerError(
        f"the structured answer was cut off ({where}) before its JSON was complete; raise {limit_inputs}"
    )


def _check_against_schema(value: Any, schema: dict[str, Any], sensitive: bool, format_input: str) -> None:
    import jsonschema
    from jsonschema.exceptions import best_match

    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        violation = best_match(validator_class(schema).iter_errors(value))
    except Exception as error:  # a reference jsonschema cannot resolve; the request checks should prevent it
        raise AnswerError(f"cannot check the answer against {format_input}.schema: {error}") from None
    if violation is not None:
        where = "/" + "/".join(str(part) for part in violation.absolute_path)
        rule = violation.message
        if len(rule) > SHOWN_RULE_CHARACTERS:
            rule = rule[: SHOWN_RULE_CHARACTERS - 3] + "..."
        if sensitive:
            rule = f"the value breaks the schema's {violation.validator!r} rule (the value is hidden: sensitive = true)"
        raise AnswerError(f"the answer does not match {format_input}.schema at {where}: {rule}")
