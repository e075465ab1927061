"""A map of chat completions as modules/chat_completions' outputs: chat_completion's outputs by key, and
the usage summed over the block."""

from typing import Any

from ..openai_api.completion import USAGE_FIELDS


def batch_values(outputs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """results: every key's outputs, as chat_completion gives them; usage: the block's total."""
    total = dict.fromkeys(USAGE_FIELDS, 0)
    for values in outputs.values():
        usage = values.get("usage") or {}
        for field in USAGE_FIELDS:
            total[field] += usage.get(field, 0)
    return {"results": outputs, "usage": total}
