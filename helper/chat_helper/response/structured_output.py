"""The parsed answer of a response asked for JSON (text_format), checked locally against the schema."""

from typing import Any

from ..answers.structured_output import JSON_FORMATS, cut_off_json, parsed_json
from ..openai_api.response import has_message_text
from .guardrails import LIMIT_INPUTS


def parsed_answer(request: dict[str, Any], response: dict[str, Any], values: dict[str, Any], sensitive: bool) -> Any:
    """The answer's text as a value, or None when the request did not ask for JSON or the model wrote no
    message text (it refused, or only called a tool)."""
    text_format = (request.get("text") or {}).get("format") or {}
    if text_format.get("type") not in JSON_FORMATS or values["refusal"] is not None:
        return None
    if not has_message_text(response["output"]):
        return None
    if values["status"] == "incomplete" and values["incomplete_reason"] == "max_output_tokens":
        raise cut_off_json('status = "incomplete", incomplete_details.reason = "max_output_tokens"', LIMIT_INPUTS)
    schema = text_format.get("schema") if text_format["type"] == "json_schema" else None
    return parsed_json(values["output_text"], schema, sensitive, "text_format")
