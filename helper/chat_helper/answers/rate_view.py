"""One endpoint's, key's and model's rate limits as this machine sees them: what may be sent, and when.

The server meters requests and tokens each in a bucket that refills continuously (limit / 60 per
second) and takes a request's estimated tokens when it arrives. The view keeps a model of both
buckets, learnt from the answers' x-ratelimit-* headers, and hands out send times: a request is
given the earliest moment both buckets hold its cost, after every request reserved before it (a
queue, first come first served, so that no caller starves), and the reservation is taken from the
model at once. A bucket's level may go below zero: that is the debt of reservations made for later.

Each answer's headers say what the server had left when that request arrived; the view re-anchors
its model on that, minus what it sent that the report cannot include (sent later, or still in flight),
so that other clients of the same account, or a model that drifted, are corrected by every answer.

Concurrency adapts as TCP's congestion window does (AIMD, with slow start): a window of requests
in flight, shared by every process, that grows by one per answer below its threshold and by 1/window
above it, jumps to the room an answer's headers report, and halves on a 429 (once per round trip:
only a request sent after the last decrease may decrease it again). With headers, the buckets pace
and the window only guards; without them (a gateway or local server that sends none), 429s alone
steer the window.

Plain data and arithmetic on wall-clock seconds (time.time(), shared by processes); pacing.py keeps it
in a file under a lock.
"""

import math
import os
import random
from dataclasses import dataclass, field
from typing import Any

from ..openai_api.rate_headers import Bucket, RateReport

INITIAL_WINDOW = 16.0  # in flight at once before anything is known: today's max_concurrency default
MAX_WINDOW = 1024.0
SENDS_KEPT_SECONDS = 120.0  # how long a user's requests_per_minute keeps the sends counted after its last use
USER_WINDOW_SECONDS = 60.5  # requests_per_minute: a 60 s window, and the server's clock a little behind
FLIGHT_STALE_SECONDS = 2 * 3600.0  # a reservation this old belongs to a process that did not finish it
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 20.0
MIN_BLOCK_SECONDS = 0.05


@dataclass
class Meter:
    """A model of one of the server's buckets: level at time `at` (may be negative), capacity and refill."""

    limit: float
    rate: float  # per second
    level: float
    at: float

    def level_at(self, moment: float) -> float:
        return min(self.limit, self.level + (moment - self.at) * self.rate)

    def earliest(self, start: float, cost: float) -> float:
        """The first moment from start at which the bucket holds cost."""
        if self.level_at(start) >= cost:
            return start
        return max(start, self.at + (cost - self.level) / self.rate)

    def take(self, moment: float, cost: float) -> None:
        if moment >= self.at:
            self.level, self.at = self.level_at(moment) - cost, moment
        else:
            self.level -= cost

    def to_json(self) -> list[float]:
        return [self.limit, self.rate, self.level, self.at]

    @classmethod
    def from_json(cls, value: Any) -> "Meter | None":
        if not (isinstance(value, list) and len(value) == 4 and all(isinstance(v, (int, float)) for v in value)):
            return None
        limit, rate, level, at = (float(v) for v in value)
        return cls(limit, rate, level, at) if limit > 0 and rate > 0 else None


@dataclass
class Send:
    id: str
    at: float
    tokens: int


@dataclass
class View:
    requests: Meter | None = None
    tokens: Meter | None = None
    sends: list[Send] = field(default_factory=list)
    in_flight: dict[str, int] = field(default_factory=dict)  # a reservation's id -> the pid that holds it
    window: float = INITIAL_WINDOW
    threshold: float = MAX_WINDOW  # slow start below it
    decreased_at: float = 0.0
    blocked_until: float = 0.0
    strikes: int = 0  # 429s in a row
    reported_at: float = 0.0  # the send time of the newest report applied
    headers: bool | None = None  # whether the answers carry rate headers; None: no answer yet
    capped_at: float = 0.0  # when a user's requests_per_minute last counted the sends

    # -- sending ------------------------------------------------------------------------------------

    def prune(self, now: float, alive: "Any" = None) -> None:
        """Forgets reservations whose process is gone (or that are implausibly old), and the sends that
        nothing needs: a report can only be of a request still in flight, so only the sends since the
        oldest of those, and the last minute's while a user's requests_per_minute counts them."""
        is_alive = alive or _pid_alive
        living = {pid: is_alive(pid) for pid in set(self.in_flight.values())}
        starts = {send.id: send.at for send in self.sends}
        for key, pid in list(self.in_flight.items()):
            if now - starts.get(key, 0.0) > FLIGHT_STALE_SECONDS or not living[pid]:
                del self.in_flight[key]
        oldest = min((starts.get(key, now) for key in self.in_flight), default=now)
        if now - self.capped_at < SENDS_KEPT_SECONDS:
            oldest = min(oldest, now - USER_WINDOW_SECONDS)
        self.sends = [s for s in self.sends if s.id in self.in_flight or s.at >= oldest]

    def window_full(self) -> bool:
        return len(self.in_flight) >= max(1, math.floor(self.window))

    def earliest(self, now: float, tokens: int, per_minute: int | None = None) -> float:
        """When a request of this many tokens may be sent: after every earlier reservation, the server's
        wait after a 429, room in both buckets, and the user's cap on requests per minute."""
        moment = max([now, self.blocked_until, *(s.at for s in self.sends)])
        if self.requests is not None:
            moment = self.requests.earliest(moment, 1)
        if self.tokens is not None:
            moment = self.tokens.earliest(moment, tokens)
        if per_minute is not None:
            self.capped_at = now
            times = sorted(s.at for s in self.sends)
            while True:
                inside = [t for t in times if moment - USER_WINDOW_SECONDS < t <= moment]
                if len(inside) < per_minute:
                    break
                moment = inside[len(inside) - per_minute] + USER_WINDOW_SECONDS + 0.001
        return moment

    def reserve(self, key: str, pid: int, moment: float, tokens: int) -> None:
        if self.requests is not None:
            self.requests.take(moment, 1)
        if self.tokens is not None:
            self.tokens.take(moment, tokens)
        self.sends.append(Send(key, moment, tokens))
        self.in_flight[key] = pid

    def all_sent_by(self, now: float, count: int, tokens: int, per_minute: int | None = None) -> float | None:
        """When the last of count more requests (tokens in all) could be sent, by what is known; None when
        no limit is known."""
        moments = []
        start = max([now, self.blocked_until, *(s.at for s in self.sends)])
        if self.requests is not None:
            moments.append(self.requests.earliest(start, count))
        if self.tokens is not None:
            moments.append(max(start, self.tokens.at + (tokens - self.tokens.level) / self.tokens.rate))
        if per_minute is not None:
            recent = sum(1 for s in self.sends if s.at > now - USER_WINDOW_SECONDS)
            windows = max(0, math.ceil((count + recent) / per_minute) - 1)  # full windows before the last send
            moments.append(now + windows * USER_WINDOW_SECONDS)
        return max(moments) if moments else None

    # -- what came back -----------------------------------------------------------------------------

    def answered(self, key: str, report: RateReport, now: float, tokens: int) -> None:
        """An answer arrived for reservation key (its headers in report)."""
        sent_at = self._finish(key)
        self.strikes = 0
        self._learn(report, key, sent_at, now)
        room = _room(report, tokens)
        if room is not None:
            self.window = min(MAX_WINDOW, max(self.window + 1, len(self.in_flight) + room))
        elif self.window < self.threshold:
            self.window = min(MAX_WINDOW, self.window + 1)
        else:
            self.window = min(MAX_WINDOW, self.window + 1 / self.window)

    def rate_limited(self, key: str, report: RateReport, now: float) -> None:
        """A 429 of the rate limits (not quota, not a request too large): the server did not count it."""
        sent_at = self._finish(key)
        self.sends = [s for s in self.sends if s.id != key]
        self._learn(report, key, sent_at, now)
        self.strikes += 1
        wait = report.try_again_seconds
        if wait is None:
            wait = random.uniform(0.5, 1.0) * min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (self.strikes - 1))
        self.blocked_until = max(self.blocked_until, now + max(wait, MIN_BLOCK_SECONDS))
        if sent_at is None or sent_at >= self.decreased_at:  # once per round trip
            self.window = max(1.0, self.window / 2)
            self.threshold = self.window
            self.decreased_at = now
        if report.named_limit is not None and not report.has_headers:
            self._learn_named(report, now)

    def ended(self, key: str, report: RateReport | None, now: float) -> None:
        """Any other end: an error, no answer, or a request the server refused as too large."""
        sent_at = self._finish(key)
        if report is not None:
            self._learn(report, key, sent_at, now)

    def _finish(self, key: str) -> float | None:
        self.in_flight.pop(key, None)
        return next((s.at for s in self.sends if s.id == key), None)

    def _learn(self, report: RateReport, key: str, sent_at: float | None, now: float) -> None:
        """Re-anchors each bucket on what the server reported having left when this request arrived."""
        if not report.has_headers:
            if self.headers is None:
                self.headers = False
            return
        self.headers = True
        sent_at = now if sent_at is None else sent_at
        if sent_at < self.reported_at:
            return  # a newer report was applied already
        self.reported_at = sent_at
        # What the report cannot include: what was sent after this request (the server counts on arrival).
        unseen = [s for s in self.sends if s.id != key and s.at > sent_at]
        self.requests = _anchored(report.requests, self.requests, sent_at, now, len(unseen))
        self.tokens = _anchored(report.tokens, self.tokens, sent_at, now, sum(s.tokens for s in unseen))

    def _learn_named(self, report: RateReport, now: float) -> None:
        """A 429 without headers that names its limit: that bucket is empty now."""
        assert report.named_limit is not None
        limit = float(report.named_limit)
        meter = Meter(limit, limit / 60, 0.0, now)
        if report.exhausted == "tokens":
            self.tokens = meter
        elif report.exhausted == "requests":
            self.requests = meter

    # -- the file -------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "requests": None if self.requests is None else self.requests.to_json(),
            "tokens": None if self.tokens is None else self.tokens.to_json(),
            "sends": [[s.id, s.at, s.tokens] for s in self.sends],
            "in_flight": self.in_flight,
            "window": self.window,
            "threshold": self.threshold,
            "decreased_at": self.decreased_at,
            "blocked_until": self.blocked_until,
            "strikes": self.strikes,
            "reported_at": self.reported_at,
            "headers": self.headers,
            "capped_at": self.capped_at,
        }

    @classmethod
    def from_json(cls, value: Any) -> "View":
        """The view a file held; a fresh one for anything unreadable (a view is advice, never an answer)."""
        if not isinstance(value, dict):
            return cls()
        try:
            view = cls(
                Meter.from_json(value.get("requests")),
                Meter.from_json(value.get("tokens")),
                [Send(str(i), float(t), int(n)) for i, t, n in value.get("sends", [])],
                {str(k): int(v) for k, v in dict(value.get("in_flight", {})).items()},
                float(value.get("window", INITIAL_WINDOW)),
                float(value.get("threshold", MAX_WINDOW)),
                float(value.get("decreased_at", 0.0)),
                float(value.get("blocked_until", 0.0)),
                int(value.get("strikes", 0)),
                float(value.get("reported_at", 0.0)),
                value.get("headers") if value.get("headers") in (True, False) else None,
                float(value.get("capped_at", 0.0)),
            )
        except (TypeError, ValueError):
            return cls()
        view.window = min(MAX_WINDOW, max(1.0, view.window))
        return view


def _anchored(bucket: Bucket, meter: Meter | None, sent_at: float, now: float, unseen: float) -> Meter | None:
    if bucket.limit is None or bucket.remaining is None:
        return meter
    limit = float(bucket.limit)
    rate = limit / 60
    if bucket.reset_seconds is not None and bucket.reset_seconds >= 1 and bucket.remaining < limit:
        observed = (limit - bucket.remaining) / bucket.reset_seconds
        if observed < 0.8 * rate:  # a bucket slower than per minute (a daily limit reported here)
            rate = observed
    level = min(limit, bucket.remaining + (now - sent_at) * rate) - unseen
    return Meter(limit, rate, level, now)


def _room(report: RateReport, tokens: int) -> int | None:
    """How many more requests like this one the headers say fit now; None without headers."""
    rooms = []
    if report.requests.remaining is not None:
        rooms.append(report.requests.remaining)
    if report.tokens.remaining is not None:
        rooms.append(report.tokens.remaining // max(1, tokens))
    return min(rooms) if rooms else None


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows, signal 0 is CTRL_C_EVENT: never sent
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, AttributeError):
        return True
    return True
