"""A request's tokens as the API estimates them when it arrives, before it runs.

OpenAI meters tokens per minute against an estimate made on arrival: the input's characters / 4 plus
the most the answer may use (its output limit, for every choice asked). Pacing to an account's limits
and reserving against a run's token cap both need that number before anything is sent; this is its
one home.
"""

import math
from typing import Any

CHARACTERS_PER_TOKEN = 4
OUTPUT_LIMIT_INPUTS = ("max_completion_tokens", "max_tokens", "max_output_tokens")
# What a request sends as text the model reads (its prompt); settings such as temperature are not.
INPUT_PARTS = ("messages", "input", "instructions", "tools", "functions", "response_format", "text")


def input_characters(request: dict[str, Any]) -> int:
    """The characters of every string the model reads: messages, input, instructions, tool schemas."""
    return sum(_characters(request.get(part)) for part in INPUT_PARTS)


def output_limit(request: dict[str, Any]) -> int | None:
    """The request's own limit on the answer's tokens, per choice; None when it sets none."""
    for name in OUTPUT_LIMIT_INPUTS:
        value = request.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def estimated_tokens(request: dict[str, Any]) -> int:
    """characters / 4 (rounded up) plus the output limit times the choices asked (n)."""
    choices = request.get("n")
    choices = choices if isinstance(choices, int) and not isinstance(choices, bool) and choices > 0 else 1
    return math.ceil(input_characters(request) / CHARACTERS_PER_TOKEN) + (output_limit(request) or 0) * choices


def _characters(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_characters(item) for item in value.values())
    if isinstance(value, list):
        return sum(_characters(item) for item in value)
    return 0
