"""A stored response as modules/stored_response's outputs: modules/response's, shaped by the same code
(openai_api/response.py), with what only a read-back has: metadata, the error, the input items.

Not request_sha256: no request is made here. parsed is the answer decoded when the stored response asked
for JSON (its own text.format), not checked again: the read reports what was stored.
"""

from typing import Any

from ..core.errors import ApiError
from ..openai_api.completion import string_or_none
from ..openai_api.response import MalformedResponse, decoded, has_message_text, item_values, response_values

JSON_FORMATS = ("json_object", "json_schema")


def stored_values(response: dict[str, Any], input_items: list[dict[str, Any]], base_url: str) -> dict[str, Any]:
    """The outputs of a stored response and its input items, as the API returned them."""
    if not isinstance(response.get("id"), str):
        raise ApiError(f"malformed response from {base_url}: the stored response has no id")
    try:
        values = response_values(response)
    except MalformedResponse:
        raise ApiError(
            f"malformed response from {base_url}: stored response {response['id']!r} has no list of output items"
        ) from None
    text_format = (response.get("text") or {}).get("format") if isinstance(response.get("text"), dict) else None
    asked_json = isinstance(text_format, dict) and text_format.get("type") in JSON_FORMATS
    answered = values["refusal"] is None and has_message_text(response["output"])
    values["parsed"] = decoded(values["output_text"]) if asked_json and answered else None
    metadata = response.get("metadata")
    values["metadata"] = {k: v for k, v in metadata.items() if isinstance(v, str)} if isinstance(metadata, dict) else {}
    values["error"] = _error(response.get("error"))
    values["input_items"] = [item_values(item) for item in input_items]
    return values


def _error(error: Any) -> dict[str, Any] | None:
    """A failed response's error as { code, message }, or None."""
    if not isinstance(error, dict):
        return None
    return {"code": string_or_none(error.get("code")), "message": string_or_none(error.get("message"))}
