"""How an answer is kept and which answers are accepted: the settings of the flows that ask for answers.

None of them is sent to the API, and none changes the answer but regenerate (part of the request's
fingerprint): the cache settings say where answers are kept, the guardrails which are accepted.
"""

import os
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import ConfigurationError, InputError
from ..core.settings import EndpointSettings, parse_endpoint_settings, string_setting
from ..core.store_url import parse_store_url

CACHE_MODES = ("read-write", "replay", "off")
DEFAULT_CACHE_DIR = ".terraform/openai-chat-cache"
GUARDRAILS = ("allow_length_cutoff", "allow_content_filter", "allow_refusal")
# The spend guard's caps, each an input, else its variable (for a whole machine or CI), else none.
SPEND_LIMITS = {
    "max_requests_per_run": "CHAT_HELPER_MAX_REQUESTS_PER_RUN",
    "max_tokens_per_run": "CHAT_HELPER_MAX_TOKENS_PER_RUN",
}
MAX_SPEND_LIMIT = 1_000_000_000
# Long enough for 400 requests of 400 tokens under 24,000 tokens per minute (about 340 s), with room.
DEFAULT_RATE_LIMIT_WAIT_SECONDS = 600.0
MAX_RATE_LIMIT_WAIT_SECONDS = 86_400


@dataclass(frozen=True)
class AnswerSettings:
    """The endpoint, then where answers are kept, how fast they may be asked for, and which are accepted."""

    endpoint: EndpointSettings = field(default_factory=EndpointSettings)
    cache_mode: str = "read-write"
    cache_dir: str = DEFAULT_CACHE_DIR
    cache_url: str | None = None  # a team's object store, behind cache_dir (core/store_url.py)
    regenerate: str = ""
    requests_per_minute: int | None = None
    rate_limit_wait_seconds: float = DEFAULT_RATE_LIMIT_WAIT_SECONDS  # waiting for turns, beside timeout_seconds
    allow_length_cutoff: bool = False
    allow_content_filter: bool = False
    allow_refusal: bool = False
    sensitive: bool = False  # keep answer text and prompts out of error messages
    max_requests_per_run: int | None = None  # the spend guard (spend_guard.py); None: no cap
    max_tokens_per_run: int | None = None
    flex_fallback: bool = False  # service_tier = "flex" with no capacity: ask at the standard tier (openai_api/flex.py)

    @property
    def timeout_seconds(self) -> float:
        return self.endpoint.timeout_seconds


# The query keys of these settings, the endpoint's included.
ANSWER_SETTINGS = (*(name for name in AnswerSettings.__dataclass_fields__ if name != "endpoint"),)


def parse_answer_settings(decoded: dict[str, Any], endpoint: EndpointSettings | None = None) -> AnswerSettings:
    """The settings among the decoded query values, each checked; InputError names the first that breaks
    a rule. endpoint: when already parsed (else it is parsed from decoded too)."""
    values: dict[str, Any] = {"endpoint": endpoint if endpoint is not None else parse_endpoint_settings(decoded)}
    for name in ("cache_dir", "cache_url", "regenerate"):
        if name in decoded:
            values[name] = string_setting(name, decoded[name])
    for name in (*GUARDRAILS, "sensitive", "flex_fallback"):
        if name in decoded:
            if not isinstance(decoded[name], bool):
                raise InputError(name, "must be true or false")
            values[name] = decoded[name]
    if "requests_per_minute" in decoded:
        values["requests_per_minute"] = whole_number("requests_per_minute", decoded["requests_per_minute"], 1, 100_000)
    if "rate_limit_wait_seconds" in decoded:
        wait = decoded["rate_limit_wait_seconds"]
        if isinstance(wait, bool) or not isinstance(wait, (int, float)) or not 0 <= wait <= MAX_RATE_LIMIT_WAIT_SECONDS:
            raise InputError(
                "rate_limit_wait_seconds", f"must be a number of seconds from 0 to {MAX_RATE_LIMIT_WAIT_SECONDS}"
            )
        values["rate_limit_wait_seconds"] = float(wait)
    for name, variable in SPEND_LIMITS.items():
        values[name] = _spend_limit(name, variable, decoded)
    if "cache_mode" in decoded:
        mode = string_setting("cache_mode", decoded["cache_mode"])
        if mode not in CACHE_MODES:
            raise InputError("cache_mode", f"must be one of {', '.join(CACHE_MODES)}, not {mode!r}")
        values["cache_mode"] = mode
    if "cache_dir" in values and (not values["cache_dir"].strip() or "\x00" in values["cache_dir"]):
        raise InputError("cache_dir", "must be a folder path (not empty, no NUL character)")
    if "cache_url" in values:
        parse_store_url(values["cache_url"])  # raises naming cache_url and the rule
    return AnswerSettings(**values)


def _spend_limit(name: str, variable: str, decoded: dict[str, Any]) -> int | None:
    if name in decoded:
        return whole_number(name, decoded[name], 0, MAX_SPEND_LIMIT)
    text = os.environ.get(variable, "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_SPEND_LIMIT:
        raise ConfigurationError(
            f"{variable} must be a whole number from 0 to {MAX_SPEND_LIMIT}, not {text[:40]!r}; fix it, or set {name}"
        )
    return int(text)


def whole_number(name: str, value: Any, lowest: int, highest: int) -> int:
    """value as an int when it is a whole number from lowest to highest; InputError naming name otherwise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or value != int(value)
        or not lowest <= value <= highest
    ):
        raise InputError(name, f"must be a whole number from {lowest} to {highest}")
    return int(value)
