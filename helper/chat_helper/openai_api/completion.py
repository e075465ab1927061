"""A chat completion as plain values: the outputs both modules give, always the same keys, with null
where the API said nothing, so that the modules' output types stay stable. Encoding them for
Terraform is the entry's last step (core/protocol.py).
"""

import math
from typing import Any

from ..core.protocol import loads_finite

# The outputs of a chat completion, in modules/chat_completion and modules/stored_completion alike.
COMPLETION_OUTPUTS = (
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
USAGE_FIELDS = ("prompt_tokens", "completion_tokens", "total_tokens")


class MalformedCompletion(Exception):
    """The body is not a chat completion; each flow words it. choice: the first without a message,
    or None when there is no list of choices at all."""

    def __init__(self, choice: int | None) -> None:
        super().__init__(choice)
        self.choice = choice


def completion_values(response: dict[str, Any]) -> dict[str, Any]:
    """COMPLETION_OUTPUTS of a response; MalformedCompletion when it has no choices, each with a message."""
    choices = response.get("choices")
    if not isinstance(choices, list) or not choices or not all(isinstance(c, dict) for c in choices):
        raise MalformedCompletion(None)
    normalized = [_choice(position, choice) for position, choice in enumerate(choices)]
    first = normalized[0]
    message = first["message"]
    return {
        "id": string_or_none(response.get("id")),
        "created": response.get("created") if isinstance(response.get("created"), int) else None,
        "model": string_or_none(response.get("model")),
        "choices": normalized,
        "content": message["content"],
        "finish_reason": first["finish_reason"],
        "function_call": message["function_call"],
        "tool_calls": message["tool_calls"],
        "refusal": message["refusal"],
        "usage": _usage(response.get("usage")),
        "system_fingerprint": string_or_none(response.get("system_fingerprint")),
        "service_tier": string_or_none(response.get("service_tier")),
    }


def _choice(position: int, choice: dict[str, Any]) -> dict[str, Any]:
    message = choice.get("message")
    if not isinstance(message, dict):
        raise MalformedCompletion(position)
    index = choice.get("index")
    return {
        "index": index if isinstance(index, int) else position,
        "finish_reason": string_or_none(choice.get("finish_reason")),
        "logprobs": _finite_numbers(choice.get("logprobs")) if isinstance(choice.get("logprobs"), dict) else None,
        "message": {
            "role": string_or_none(message.get("role")) or "assistant",
            "content": string_or_none(message.get("content")),
            "refusal": string_or_none(message.get("refusal")),
            "function_call": call_values(message.get("function_call")),
            "tool_calls": tool_call_values(message.get("tool_calls")),
        },
    }


def call_values(call: Any) -> dict[str, Any] | None:
    """A function call as {name, arguments}, or None when there is none."""
    if not isinstance(call, dict):
        return None
    arguments = string_or_none(call.get("arguments")) or ""
    return {"name": string_or_none(call.get("name")) or "", "arguments": arguments}


def tool_call_values(calls: Any) -> list[dict[str, Any]] | None:
    """Tool calls, flat, with their arguments also decoded where they are valid JSON; None when there are none."""
    if not isinstance(calls, list) or not calls:
        return None
    result = []
    for call in calls:
        if not isinstance(call, dict):
            continue
        function = call_values(call.get("function")) or {"name": "", "arguments": ""}
        result.append(
            {
                "id": string_or_none(call.get("id")) or "",
                "type": string_or_none(call.get("type")) or "function",
                "name": function["name"],
                "arguments": function["arguments"],
                "arguments_decoded": _decoded(function["arguments"]),
            }
        )
    return result


def _decoded(arguments: str) -> Any:
    """The arguments as a value where they are valid JSON, else null (the raw string stays)."""
    try:
        return loads_finite(arguments)
    except ValueError:
        return None


def _finite_numbers(value: Any) -> Any:
    """Non-finite numbers (a -inf log probability from a compatible server) become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite_numbers(item) for item in value]
    return value


def _usage(usage: Any) -> dict[str, int] | None:
    if not isinstance(usage, dict):
        return None
    return {field: usage[field] if isinstance(usage.get(field), int) else 0 for field in USAGE_FIELDS}


def string_or_none(value: Any) -> str | None:
    """The value if the API gave a string there, else None: a response's fields are not trusted."""
    return value if isinstance(value, str) else None
