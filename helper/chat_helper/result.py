"""A response as the flat object of strings Terraform reads; every value is JSON, decoded by outputs.tf."""

import json
import math
from typing import Any

from .errors import ApiError
from .protocol import loads_finite

USAGE_FIELDS = ("prompt_tokens", "completion_tokens", "total_tokens")


def flatten_response(response: dict[str, Any], request_sha256: str) -> dict[str, str]:
    """Always the same keys, with null where the API said nothing, so output types stay stable."""
    choices = response.get("choices")
    if not isinstance(choices, list) or not choices or not all(isinstance(c, dict) for c in choices):
        raise ApiError("malformed response: it has no choices; nothing was cached")
    normalized = [_choice(position, choice) for position, choice in enumerate(choices)]
    first = normalized[0]
    message = first["message"]
    values: dict[str, Any] = {
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
        "request_sha256": request_sha256,
    }
    try:
        return {
            name: json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
            for name, value in values.items()
        }
    except ValueError:  # NaN or Infinity somewhere: Terraform could not decode it
        raise ApiError("malformed response: it holds a number that is not finite (NaN or Infinity)") from None


def _choice(position: int, choice: dict[str, Any]) -> dict[str, Any]:
    message = choice.get("message")
    if not isinstance(message, dict):
        raise ApiError(f"malformed response: choice {position} has no message; nothing was cached")
    index = choice.get("index")
    return {
        "index": index if isinstance(index, int) else position,
        "finish_reason": string_or_none(choice.get("finish_reason")),
        "logprobs": _finite_numbers(choice.get("logprobs")) if isinstance(choice.get("logprobs"), dict) else None,
        "message": {
            "role": string_or_none(message.get("role")) or "assistant",
            "content": string_or_none(message.get("content")),
            "refusal": string_or_none(message.get("refusal")),
            "function_call": flatten_call(message.get("function_call")),
            "tool_calls": flatten_tool_calls(message.get("tool_calls")),
        },
    }


def flatten_call(call: Any) -> dict[str, Any] | None:
    if not isinstance(call, dict):
        return None
    arguments = string_or_none(call.get("arguments")) or ""
    return {"name": string_or_none(call.get("name")) or "", "arguments": arguments}


def flatten_tool_calls(calls: Any) -> list[dict[str, Any]] | None:
    if not isinstance(calls, list) or not calls:
        return None
    result = []
    for call in calls:
        if not isinstance(call, dict):
            continue
        function = flatten_call(call.get("function")) or {"name": "", "arguments": ""}
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
