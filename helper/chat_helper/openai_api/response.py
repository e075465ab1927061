"""A Response of the Responses API as plain values: the outputs modules/response and modules/stored_response
give, always the same keys, with null where the API said nothing, so that the modules' output types stay
stable. Encoding them for Terraform is the entry's last step (core/protocol.py).
"""

import json
from typing import Any

from ..core.protocol import loads_finite
from .completion import string_or_none

# The outputs of a response, in modules/response and modules/stored_response alike.
RESPONSE_OUTPUTS = (
    "id",
    "created_at",
    "status",
    "model",
    "output_text",
    "refusal",
    "function_calls",
    "reasoning_summary",
    "output",
    "incomplete_reason",
    "usage",
    "service_tier",
)
USAGE_FIELDS = ("input_tokens", "cached_tokens", "output_tokens", "reasoning_tokens", "total_tokens")
# The text parts of a message: an answer's (output_text) and a prompt's (input_text, in input items).
TEXT_PARTS = ("output_text", "input_text")


class MalformedResponse(Exception):
    """The body is not a Response (it has no list of output items); each flow words it."""


def response_values(response: dict[str, Any]) -> dict[str, Any]:
    """RESPONSE_OUTPUTS of a response; MalformedResponse when its output is not a list of items."""
    output = response.get("output")
    if not isinstance(output, list) or not all(isinstance(item, dict) for item in output):
        raise MalformedResponse
    messages = [item for item in output if item.get("type") == "message"]
    refusals = [part["refusal"] for part in _parts(messages) if part["type"] == "refusal" and part["refusal"]]
    summaries = [text for item in output if item.get("type") == "reasoning" for text in _summary(item) or []]
    details = response.get("incomplete_details")
    return {
        "id": string_or_none(response.get("id")),
        "created_at": _whole_number(response.get("created_at")),
        "status": string_or_none(response.get("status")),
        "model": string_or_none(response.get("model")),
        "output_text": output_text(output),
        "refusal": "".join(refusals) if refusals else None,
        "function_calls": [_function_call(item) for item in output if item.get("type") == "function_call"],
        "reasoning_summary": "\n\n".join(summaries) if summaries else None,
        "output": [item_values(item) for item in output],
        "incomplete_reason": string_or_none(details.get("reason")) if isinstance(details, dict) else None,
        "usage": _usage(response.get("usage")),
        "service_tier": string_or_none(response.get("service_tier")),
    }


def output_text(output: list[dict[str, Any]]) -> str:
    """The text of every output_text part of every message, joined as the SDK's Response.output_text joins it."""
    texts = []
    for item in output:
        if item.get("type") == "message" and isinstance(item.get("content"), list):
            for part in item["content"]:
                if isinstance(part, dict) and part.get("type") == "output_text" and isinstance(part.get("text"), str):
                    texts.append(part["text"])
    return "".join(texts)


def has_message_text(output: list[dict[str, Any]]) -> bool:
    """Whether a message holds an output_text part (a structured answer is parsed from those only)."""
    return any(part["type"] == "output_text" for part in _parts(i for i in output if i.get("type") == "message"))


def item_values(item: dict[str, Any]) -> dict[str, Any]:
    """An output or input item in one shape whatever its type: null where the item has nothing; json is the
    whole item, for what the shape leaves out (a web search's action, an image, annotations)."""
    content = item.get("content")
    parts = [_part(part) for part in content if isinstance(part, dict)] if isinstance(content, list) else None
    if isinstance(content, str):  # an input message written with its text alone
        parts = [{"type": "input_text", "text": content, "refusal": None}]
    texts = [part["text"] for part in parts or [] if part["type"] in TEXT_PARTS and part["text"] is not None]
    arguments = string_or_none(item.get("arguments"))
    return {
        "type": string_or_none(item.get("type")) or ("message" if "role" in item else None),
        "id": string_or_none(item.get("id")),
        "status": string_or_none(item.get("status")),
        "role": string_or_none(item.get("role")),
        "text": "".join(texts) if texts else None,
        "content": parts,
        "name": string_or_none(item.get("name")),
        "call_id": string_or_none(item.get("call_id")),
        "arguments": arguments,
        "arguments_decoded": decoded(arguments),
        "output": string_or_none(item.get("output")),
        "summary": _summary(item),
        "json": json.dumps(item, sort_keys=True, ensure_ascii=False),
    }


def decoded(text: str | None) -> Any:
    """The value a JSON string holds, or None when it holds none (the string itself stays beside it)."""
    if text is None:
        return None
    try:
        return loads_finite(text)
    except ValueError:
        return None


def _function_call(item: dict[str, Any]) -> dict[str, Any]:
    arguments = string_or_none(item.get("arguments")) or ""
    return {
        "id": string_or_none(item.get("id")),
        "call_id": string_or_none(item.get("call_id")) or "",
        "name": string_or_none(item.get("name")) or "",
        "arguments": arguments,
        "arguments_decoded": decoded(arguments),
    }


def _parts(messages: Any) -> list[dict[str, Any]]:
    return [
        _part(part)
        for item in messages
        if isinstance(item.get("content"), list)
        for part in item["content"]
        if isinstance(part, dict)
    ]


def _part(part: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": string_or_none(part.get("type")),
        "text": string_or_none(part.get("text")),
        "refusal": string_or_none(part.get("refusal")),
    }


def _summary(item: dict[str, Any]) -> list[str] | None:
    """A reasoning item's summary texts, or None for an item without a summary."""
    summary = item.get("summary")
    if not isinstance(summary, list):
        return None
    return [part["text"] for part in summary if isinstance(part, dict) and isinstance(part.get("text"), str)]


def _usage(usage: Any) -> dict[str, int] | None:
    if not isinstance(usage, dict):
        return None
    input_details = usage.get("input_tokens_details")
    output_details = usage.get("output_tokens_details")
    return {
        "input_tokens": _count(usage.get("input_tokens")),
        "cached_tokens": _count(input_details.get("cached_tokens") if isinstance(input_details, dict) else None),
        "output_tokens": _count(usage.get("output_tokens")),
        "reasoning_tokens": _count(
            output_details.get("reasoning_tokens") if isinstance(output_details, dict) else None
        ),
        "total_tokens": _count(usage.get("total_tokens")),
    }


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)  # created_at may come as 1741476542.0 from a compatible server
    return None
