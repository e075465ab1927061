"""What an answer cost, as its cache entry records it: when it was answered, by which model at which
processing tier (service_tier: default, flex, priority...), and its usage.

One shape for both APIs: chat completions count prompt and completion tokens, responses input and
output tokens; cached and reasoning tokens are in their details. An entry written before entries
carried this record is read from its response (its created time, its model and usage).
"""

import datetime
from typing import Any

SPEND_FIELDS = ("input_tokens", "output_tokens", "cached_tokens", "reasoning_tokens", "total_tokens")


def spend_record(response: dict[str, Any]) -> dict[str, Any]:
    """The record of a response just received from the API."""
    answered_at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return {"answered_at": answered_at.isoformat().replace("+00:00", "Z"), **_cost(response)}


def recorded_spend(entry: dict[str, Any]) -> dict[str, Any] | None:
    """The record of a cache entry (its own, or one read from its response); None when it is not an answer."""
    record = entry.get("spend")
    response = entry.get("response")
    if isinstance(record, dict) and isinstance(record.get("answered_at"), str):
        if "service_tier" not in record and isinstance(response, dict):  # a record older than the tier in it
            tier = response.get("service_tier")
            return {**record, "service_tier": tier if isinstance(tier, str) else None}
        return record
    if not isinstance(response, dict):
        return None
    created = response.get("created", response.get("created_at"))
    if not isinstance(created, (int, float)) or isinstance(created, bool):
        return None
    moment = datetime.datetime.fromtimestamp(created, datetime.timezone.utc)
    return {"answered_at": moment.isoformat().replace("+00:00", "Z"), **_cost(response)}


def _cost(response: dict[str, Any]) -> dict[str, Any]:
    usage = response.get("usage") if isinstance(response.get("usage"), dict) else {}
    assert isinstance(usage, dict)
    chat = "prompt_tokens" in usage or "completion_tokens" in usage
    input_details = usage.get("prompt_tokens_details" if chat else "input_tokens_details")
    output_details = usage.get("completion_tokens_details" if chat else "output_tokens_details")
    model, tier = response.get("model"), response.get("service_tier")
    return {
        "model": model if isinstance(model, str) else None,
        "service_tier": tier if isinstance(tier, str) else None,
        "input_tokens": _count(usage.get("prompt_tokens" if chat else "input_tokens")),
        "output_tokens": _count(usage.get("completion_tokens" if chat else "output_tokens")),
        "cached_tokens": _count(input_details.get("cached_tokens") if isinstance(input_details, dict) else None),
        "reasoning_tokens": _count(
            output_details.get("reasoning_tokens") if isinstance(output_details, dict) else None
        ),
        "total_tokens": _count(usage.get("total_tokens")),
    }


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0
