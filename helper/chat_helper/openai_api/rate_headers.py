"""What an answer says about the account's rate limits: its x-ratelimit-* headers and a 429's wording.

Every OpenAI answer, 429s included, carries the limit, the remaining and the time until the bucket is
full again, for requests and for tokens (resets written as Go writes durations: 12ms, 1.6s, 6m0s). A
gateway (LiteLLM) passes them on, sometimes only as llm_provider- copies; local servers send none;
Azure's Responses API has sent -1 and 0, which mean "unknown", never "no room". A 429 names its
limit in words ("on tokens per min (TPM): Limit 30000, Used 29500, Requested 800. Please try again
in 1.6s.") and, when the request alone is larger than the limit, says so ("Request too large ...").
Nothing here raises: a header that cannot be read is as good as absent.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

PREFIXES = ("", "llm_provider-")  # the API's own headers first, then a gateway's copies of the upstream's
Meter = Literal["requests", "tokens"]
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|h|m|s)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_TRY_AGAIN = re.compile(r"try again in\s+((?:(?:\d+(?:\.\d*)?|\.\d+)\s*(?:ns|us|µs|ms|h|m|s)\s*)+)", re.I)
_LIMIT_NAMED = re.compile(r"\b(?:on|for)\s+(tokens|requests)\b[^:]*?\((TPM|RPM|TPD|RPD)\)\s*:\s*Limit\s+([\d,]+)", re.I)
_REQUESTED = re.compile(r"Requested\s+([\d,]+)", re.I)
TOO_LARGE = re.compile(r"Request too large|must be reduced in order to run", re.I)


@dataclass(frozen=True)
class Bucket:
    """One meter as an answer reported it; None where the header was missing or meant "unknown"."""

    limit: int | None = None
    remaining: int | None = None
    reset_seconds: float | None = None  # until the bucket is full again

    @property
    def known(self) -> bool:
        return self.limit is not None and self.remaining is not None


@dataclass(frozen=True)
class TooLarge:
    """A request larger than a limit itself: no wait can mend it."""

    meter: Meter
    period: str  # TPM, RPM, TPD or RPD, as the message names it
    limit: int | None
    requested: int | None


@dataclass(frozen=True)
class RateReport:
    """Everything an answer (or a 429) said about the limits of its model."""

    requests: Bucket = Bucket()
    tokens: Bucket = Bucket()
    try_again_seconds: float | None = None  # a 429's wait: retry-after-ms, retry-after, else "try again in"
    exhausted: Meter | None = None  # which meter a 429 names (error.type), when it names one
    named_limit: int | None = None  # the limit a 429's message names ("Limit 30000"), of the exhausted meter
    too_large: TooLarge | None = None

    @property
    def has_headers(self) -> bool:
        return self.requests.known or self.tokens.known


def go_duration(text: str | None) -> float | None:
    """Seconds of a Go duration (12ms, 1.6s, 6m0s, 1h2m3s) or of a plain number of seconds; None if neither."""
    if text is None:
        return None
    text = text.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 else None
    if not text or _DURATION_PART.sub("", text.replace(" ", "")) != "":
        return None
    return sum(float(number) * _UNITS[unit] for number, unit in _DURATION_PART.findall(text.replace(" ", "")))


def read_report(headers: Mapping[str, str], status: int | None = None, body: str = "") -> RateReport:
    """The report of one answer: its headers (whatever their case), and for a 429 its body's words."""
    lowered = {name.lower(): value for name, value in headers.items()}
    requests, tokens = _bucket(lowered, "requests"), _bucket(lowered, "tokens")
    if status != 429:
        return RateReport(requests, tokens)
    too_large = _too_large(body)
    named = _LIMIT_NAMED.search(body)
    exhausted: Meter | None = None
    named_limit = None
    if named is not None:
        exhausted = "tokens" if named.group(1).lower() == "tokens" else "requests"
        named_limit = int(named.group(3).replace(",", "")) if named.group(2).upper() in ("TPM", "RPM") else None
    elif re.search(r'"type"\s*:\s*"tokens"', body):
        exhausted = "tokens"
    elif re.search(r'"type"\s*:\s*"requests"', body):
        exhausted = "requests"
    return RateReport(requests, tokens, _try_again(lowered, body), exhausted, named_limit, too_large)


def _bucket(headers: dict[str, str], meter: Meter) -> Bucket:
    for prefix in PREFIXES:
        limit = _count(headers.get(f"{prefix}x-ratelimit-limit-{meter}"))
        remaining = _count(headers.get(f"{prefix}x-ratelimit-remaining-{meter}"))
        reset = go_duration(headers.get(f"{prefix}x-ratelimit-reset-{meter}"))
        if limit is not None and limit <= 0:  # Azure's -1 (and a 0 limit): unknown, never "no room"
            limit = remaining = None
        if remaining is not None and remaining < 0:
            remaining = None
        if limit is not None or remaining is not None:
            if limit is not None and remaining is not None and remaining > limit:
                remaining = limit
            return Bucket(limit, remaining, reset if reset else None)  # a reset of 0 with no limit says nothing
    return Bucket()


def _count(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return int(value) if value >= 0 or value == -1 else None


def _try_again(headers: dict[str, str], body: str) -> float | None:
    for prefix in PREFIXES:
        milliseconds = go_duration(headers.get(f"{prefix}retry-after-ms"))
        if milliseconds is not None:
            return milliseconds / 1000
        seconds = go_duration(headers.get(f"{prefix}retry-after"))
        if seconds is not None:
            return seconds
    said = _TRY_AGAIN.search(body)
    return go_duration(said.group(1)) if said is not None else None


def _too_large(body: str) -> TooLarge | None:
    if not TOO_LARGE.search(body):
        return None
    named = _LIMIT_NAMED.search(body)
    requested = _REQUESTED.search(body)
    meter: Meter = "requests" if named is not None and named.group(1).lower() == "requests" else "tokens"
    return TooLarge(
        meter,
        named.group(2).upper() if named is not None else "TPM",
        int(named.group(3).replace(",", "")) if named is not None else None,
        int(requested.group(1).replace(",", "")) if requested is not None else None,
    )
