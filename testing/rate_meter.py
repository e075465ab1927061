"""The loopback server's rate limits, metered as OpenAI meters them (/work/shared/RATE_LIMITS.md).

Per model, requests per minute and tokens per minute, each a bucket that refills continuously
(limit / 60 per second). A request's tokens are estimated when it arrives: the characters of what the
model reads / 4, plus its output limit for every choice (max_completion_tokens, max_tokens or
max_output_tokens; default_output_tokens when it sets none). A request that does not fit is refused
before it runs with the API's 429 and wording; one larger than a limit itself gets "Request too
large". Every answer, 429s included, carries the six x-ratelimit-* headers, or, as other servers do,
none, only a gateway's llm_provider- copies, or Azure's -1 and 0.

Switched on per test: `server.meter = RateMeter({"gpt-4o": Limits(tokens_per_minute=6000)})`.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from .openai_wire import Reply, api_error

HeaderForm = Literal["openai", "none", "gateway", "azure-unknown"]
READ_PARTS = ("messages", "input", "instructions", "tools", "functions", "response_format", "text")
OUTPUT_LIMITS = ("max_completion_tokens", "max_tokens", "max_output_tokens")
ORGANIZATION = "org-loopback"


@dataclass(frozen=True)
class Limits:
    """A model's limits; None: that meter is unlimited (and reported as a large limit)."""

    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None


UNLIMITED_REPORTED = Limits(10_000, 30_000_000)  # what an unlimited model's headers say: a high tier


@dataclass
class _Bucket:
    limit: float
    level: float
    at: float

    def refill(self, now: float) -> None:
        self.level = min(self.limit, self.level + (now - self.at) * self.limit / 60)
        self.at = now


@dataclass
class RateMeter:
    """limits: by model, or one Limits for every model. headers: which form the answers carry.
    retry_after: whether a 429 carries retry-after (as Azure's do; OpenAI's carry none)."""

    limits: dict[str, Limits] | Limits
    headers: HeaderForm = "openai"
    retry_after: bool = False
    default_output_tokens: int = 0
    rate_limited: int = 0  # 429s for a full bucket
    too_large: int = 0  # 429s for a request larger than a limit
    admitted: int = 0
    _buckets: dict[tuple[str, str], _Bucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def limits_of(self, model: str) -> Limits:
        if isinstance(self.limits, Limits):
            return self.limits
        return self.limits.get(model, Limits())

    def admit(self, model: str, body: Any) -> tuple[Reply | None, dict[str, str]]:
        """A 429 when the request does not fit (else None), and the headers its answer carries."""
        tokens = estimated_tokens(body, self.default_output_tokens)
        limits = self.limits_of(model)
        with self._lock:
            now = time.monotonic()
            requests = self._bucket(
                model, "requests", limits.requests_per_minute, UNLIMITED_REPORTED.requests_per_minute
            )
            tokens_bucket = self._bucket(
                model, "tokens", limits.tokens_per_minute, UNLIMITED_REPORTED.tokens_per_minute
            )
            for bucket in (requests, tokens_bucket):
                bucket.refill(now)
            refusal = self._refusal(model, tokens, limits, requests, tokens_bucket)
            if refusal is None:
                requests.level -= 1
                tokens_bucket.level -= tokens
                self.admitted += 1
            headers = self._headers(requests, tokens_bucket)
        if refusal is None:
            return None, headers
        refusal.headers.update(headers)
        return refusal, headers

    def use(self, model: str, requests: int = 0, tokens: int = 0) -> None:
        """Takes from a model's buckets what another client of the account would (they may go below 0)."""
        limits = self.limits_of(model)
        with self._lock:
            now = time.monotonic()
            for meter, limit, reported, amount in (
                ("requests", limits.requests_per_minute, UNLIMITED_REPORTED.requests_per_minute, requests),
                ("tokens", limits.tokens_per_minute, UNLIMITED_REPORTED.tokens_per_minute, tokens),
            ):
                bucket = self._bucket(model, meter, limit, reported)
                bucket.refill(now)
                bucket.level -= amount

    def _bucket(self, model: str, meter: str, limit: int | None, reported: int | None) -> _Bucket:
        key = (model, meter)
        if key not in self._buckets:
            capacity = float(limit if limit is not None else reported or 0)
            self._buckets[key] = _Bucket(capacity, capacity, time.monotonic())
        return self._buckets[key]

    def _refusal(
        self, model: str, tokens: int, limits: Limits, requests: _Bucket, tokens_bucket: _Bucket
    ) -> Reply | None:
        if limits.tokens_per_minute is not None and tokens > limits.tokens_per_minute:
            self.too_large += 1
            return api_error(
                429,
                f"Request too large for {model} in organization {ORGANIZATION} on tokens per min (TPM): Limit "
                f"{limits.tokens_per_minute}, Requested {tokens}. The input or output tokens must be reduced in "
                f"order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.",
                "tokens",
                "rate_limit_exceeded",
            )
        short: tuple[str, str, _Bucket, float] | None = None
        if limits.requests_per_minute is not None and requests.level < 1:
            short = ("requests", "RPM", requests, 1)
        elif limits.tokens_per_minute is not None and tokens_bucket.level < tokens:
            short = ("tokens", "TPM", tokens_bucket, tokens)
        if short is None:
            return None
        meter, period, bucket, cost = short
        self.rate_limited += 1
        wait = (cost - bucket.level) / (bucket.limit / 60)
        used = math.ceil(bucket.limit - bucket.level)
        reply = api_error(
            429,
            f"Rate limit reached for {model} in organization {ORGANIZATION} on {meter} per min ({period}): Limit "
            f"{bucket.limit:.0f}, Used {used}, Requested {cost:.0f}. Please try again in {go_duration(wait)}. Visit "
            f"https://platform.openai.com/account/rate-limits to learn more.",
            meter,
            "rate_limit_exceeded",
        )
        if self.retry_after:
            reply.headers["retry-after"] = str(max(1, math.ceil(wait)))
            reply.headers["retry-after-ms"] = str(max(1, math.ceil(wait * 1000)))
        return reply

    def _headers(self, requests: _Bucket, tokens: _Bucket) -> dict[str, str]:
        if self.headers == "none":
            return {}
        if self.headers == "azure-unknown":
            return {
                "x-ratelimit-limit-tokens": "-1",
                "x-ratelimit-remaining-tokens": "-1",
                "x-ratelimit-reset-tokens": "0",
            }
        values = {}
        for meter, bucket in (("requests", requests), ("tokens", tokens)):
            remaining = max(0, math.floor(bucket.level))
            values[f"x-ratelimit-limit-{meter}"] = f"{bucket.limit:.0f}"
            values[f"x-ratelimit-remaining-{meter}"] = str(remaining)
            values[f"x-ratelimit-reset-{meter}"] = go_duration((bucket.limit - bucket.level) / (bucket.limit / 60))
        if self.headers == "gateway":
            return {f"llm_provider-{name}": value for name, value in values.items()}
        return values


def estimated_tokens(body: Any, default_output: int = 0) -> int:
    """The server's estimate on arrival: characters / 4 (rounded up) plus the output limit per choice."""
    if not isinstance(body, dict):
        return 0
    characters = sum(_characters(body.get(part)) for part in READ_PARTS)
    output = next(
        (body[name] for name in OUTPUT_LIMITS if isinstance(body.get(name), int) and not isinstance(body[name], bool)),
        None,
    )
    n = body.get("n")
    choices = n if isinstance(n, int) and n > 0 else 1
    return math.ceil(characters / 4) + (output if output is not None else default_output) * choices


def go_duration(seconds: float) -> str:
    """Seconds as Go writes a duration: 12ms, 1.6s, 6m0s, 1h2m3s."""
    seconds = max(0.0, seconds)
    if seconds < 1:
        return f"{max(0, round(seconds * 1000))}ms"
    if seconds < 60:
        return f"{seconds:.3f}".rstrip("0").rstrip(".") + "s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, rest = divmod(rest, 60)
    return (f"{hours}h" if hours else "") + f"{minutes}m{rest}s"


def _characters(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_characters(item) for item in value.values())
    if isinstance(value, list):
        return sum(_characters(item) for item in value)
    return 0
