"""Stored completions as the flat object of strings Terraform reads, shaped as chat_completion shapes them.

Every key is always present (null for the other mode) so that the module's output types stay stable.
"""

import json
from typing import Any

from .errors import ApiError
from .result import flatten_call, flatten_response, flatten_tool_calls, string_or_none

# chat_completion's outputs that a stored completion has too (not request_sha256: no request is made
# here; not parsed: the stored completion does not carry the schema it was checked against).
CHAT_KEYS = (
    "id",
    "created",
    "model",
    "choices",
    "content",
    "finish_reason",
    "function_call",
    "tool_calls",
    "refusal",
    "usage",
    "system_fingerprint",
    "service_tier",
)
READ_KEYS = (*CHAT_KEYS, "metadata", "messages")
LIST_KEYS = ("completions", "ids", "has_more")


def flatten_retrieved(completion: dict[str, Any], messages: list[dict[str, Any]]) -> dict[str, str]:
    """completion as shaped_completion returned it; messages as the API listed them."""
    values: dict[str, Any] = dict.fromkeys(LIST_KEYS)
    values.update(completion)
    values["messages"] = [_message(message) for message in messages]
    return _encoded(values)


def flatten_listed(completions: list[dict[str, Any]], has_more: bool, base_url: str) -> dict[str, str]:
    values: dict[str, Any] = dict.fromkeys(READ_KEYS)
    shaped = [shaped_completion(completion, base_url) for completion in completions]
    values.update(completions=shaped, ids=[completion["id"] for completion in shaped], has_more=has_more)
    return _encoded(values)


def shaped_completion(completion: dict[str, Any], base_url: str) -> dict[str, Any]:
    """chat_completion's outputs, shaped by the same code, plus metadata; ApiError when malformed."""
    choices = completion.get("choices")
    messages = [c.get("message") if isinstance(c, dict) else None for c in choices] if isinstance(choices, list) else []
    if not isinstance(completion.get("id"), str) or not messages or not all(isinstance(m, dict) for m in messages):
        raise ApiError(
            f"malformed response from {base_url}: stored completion {completion.get('id')!r} lacks an id, "
            f"or choices with a message each"
        )
    flat = flatten_response(completion, "")  # checked above, so its own malformed-answer errors cannot arise
    shaped = {name: json.loads(flat[name]) for name in CHAT_KEYS}
    metadata = completion.get("metadata")
    shaped["metadata"] = {k: v for k, v in metadata.items() if isinstance(v, str)} if isinstance(metadata, dict) else {}
    return shaped


def _message(message: dict[str, Any]) -> dict[str, Any]:
    """A stored request message: always the same attributes, null where the message has none."""
    return {
        "id": string_or_none(message.get("id")),
        "role": string_or_none(message.get("role")),
        "content": string_or_none(message.get("content")),
        "content_parts": message.get("content_parts") if isinstance(message.get("content_parts"), list) else None,
        "name": string_or_none(message.get("name")),
        "tool_call_id": string_or_none(message.get("tool_call_id")),
        "function_call": flatten_call(message.get("function_call")),
        "tool_calls": flatten_tool_calls(message.get("tool_calls")),
    }


def _encoded(values: dict[str, Any]) -> dict[str, str]:
    return {name: json.dumps(value, ensure_ascii=False, sort_keys=True) for name, value in values.items()}
