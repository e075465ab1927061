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
    """The record of a cache entry (its own, or one read from its response); None when it is not an answer.

    An entry may come from a team's store, written by another release or by hand: every field is taken
    only when it has the type it should (a count that is not a whole number counts 0, a time that is not
    one is None), so that one odd entry never stops the report. A record older than the tier in it takes
    the tier its response names."""
    response = entry.get("response")
    record = entry.get("spend")
    if isinstance(record, dict) and _day_of(record.get("answered_at")) is not None:
        model, tier = record.get("model"), record.get("service_tier")
        if "service_tier" not in record and isinstance(response, dict):
            tier = response.get("service_tier")
        counts = {name: _count(record.get(name)) for name in SPEND_FIELDS}
        return {
            "answered_at": record["answered_at"],
            "model": model if isinstance(model, str) else None,
            "service_tier": tier if isinstance(tier, str) else None,
            **counts,
        }
    if not isinstance(response, dict):
        return None
    return {"answered_at": _created_at(response.get("created", response.get("created_at"))), **_cost(response)}


def answered_day(record: dict[str, Any]) -> str | None:
    """The day (YYYY-MM-DD, UTC) a record says its answer was given, or None when it does not say."""
    return _day_of(record.get("answered_at"))


def _day_of(answered_at: Any) -> str | None:
    if not isinstance(answered_at, str):
        return None
    try:
        return datetime.date.fromisoformat(answered_at[:10]).isoformat()
    except ValueError:
        return None


def _created_at(created: Any) -> str | None:
    """A response's created time (seconds since 1970) as the record's answered_at; None when it is not one."""
    if not isinstance(created, (int, float)) or isinstance(created, bool):
        return None
    try:
        moment = datetime.datetime.fromtimestamp(created, datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):  # out of the platform's range, or not a number (nan)
        return None
    return moment.isoformat().replace("+00:00", "Z")


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
