"""Stored completions as modules/stored_completion's outputs: chat_completion's, shaped by the same code.

Every output is always present (null for the other operation) so that the module's output types stay stable.
"""

from typing import Any

from ..core.errors import ApiError
from ..openai_api.completion import (
    COMPLETION_OUTPUTS,
    MalformedCompletion,
    call_values,
    completion_values,
    string_or_none,
    tool_call_values,
)

# Not request_sha256: no request is made here; not parsed: a stored completion does not carry the schema
# it was checked against.
READ_OUTPUTS = (*COMPLETION_OUTPUTS, "metadata", "messages")
LIST_OUTPUTS = ("completions", "ids", "has_more")


def retrieved_values(completion: dict[str, Any], messages: list[dict[str, Any]]) -> dict[str, Any]:
    """completion as stored_completion returned it; messages as the API listed them."""
    values: dict[str, Any] = dict.fromkeys(LIST_OUTPUTS)
    values.update(completion)
    values["messages"] = [_message(message) for message in messages]
    return values


def listed_values(completions: list[dict[str, Any]], has_more: bool, base_url: str) -> dict[str, Any]:
    """completions as the API listed them."""
    values: dict[str, Any] = dict.fromkeys(READ_OUTPUTS)
    shaped = [stored_completion(completion, base_url) for completion in completions]
    values.update(completions=shaped, ids=[completion["id"] for completion in shaped], has_more=has_more)
    return values


def stored_completion(completion: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The completion's outputs plus its metadata; ApiError when it lacks an id or a message per choice."""
    malformed = ApiError(
        f"malformed response from {base_url}: stored completion {completion.get('id')!r} lacks an id, "
        f"or choices with a message each"
    )
    if not isinstance(completion.get("id"), str):
        raise malformed
    try:
        values = completion_values(completion)
    except MalformedCompletion:
        raise malformed from None
    metadata = completion.get("metadata")
    values["metadata"] = {k: v for k, v in metadata.items() if isinstance(v, str)} if isinstance(metadata, dict) else {}
    return values


def _message(message: dict[str, Any]) -> dict[str, Any]:
    """A stored request message: always the same attributes, null where the message has none."""
    return {
        "id": string_or_none(message.get("id")),
        "role": string_or_none(message.get("role")),
        "content": string_or_none(message.get("content")),
        "content_parts": message.get("content_parts") if isinstance(message.get("content_parts"), list) else None,
        "name": string_or_none(message.get("name")),
        "tool_call_id": string_or_none(message.get("tool_call_id")),
        "function_call": call_values(message.get("function_call")),
        "tool_calls": tool_call_values(message.get("tool_calls")),
    }
