"""Pacing to an account's rate limits, shared by every helper process of the machine.

One view (rate_view.py) per endpoint, key (by a hash) and model, in a file under a lock: Terraform's
parallel reads, the warm worker's children and a map's threads all take their turn from it. Before
each attempt a request reserves its send time (room in the buckets the headers reported, the wait a
429 asked for, the user's requests_per_minute, a free place in the window of requests in flight) and
sleeps until then; after it, what the answer said goes back into the view. That bookkeeping never
fails an answer: past a short wait for the lock, or on any error, it is left undone.

Waiting one's turn is bounded by rate_limit_wait_seconds, not timeout_seconds (which bounds the
exchanges). A chat_completions block shares one Demand: when the view says the block's requests not
yet sent cannot all be sent within that wait, every key stops at once, before sending more.

The view lives in the user's private runtime folder (as the worker's socket does), or in
CHAT_HELPER_RATE_LIMITS_DIR, or where neither can be had (Windows), in <cache_dir>/.locks.
"""

import contextlib
import hashlib
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.environment import private_folder, runtime_bases, runtime_folder
from ..core.errors import ApiError, HelperError
from ..core.file_lock import exclusive_lock, make_private_dir, private_lock_dir
from ..openai_api.endpoint import api_key
from ..openai_api.rate_headers import RateReport
from .failures import too_large_line
from .rate_view import View
from .token_estimate import estimated_tokens

FOLDER_VARIABLE = "CHAT_HELPER_RATE_LIMITS_DIR"
FINISH_LOCK_SECONDS = 3.0  # the most an answer's bookkeeping waits for the lock (then it is skipped), and
# the least a turn does (the lock is held for moments: a longer wait is a stuck process)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .answer import Prepared

POLL_SECONDS = 0.1  # a full window is looked at again this often (at once when this process frees a place)
_process_locks: dict[str, threading.Lock] = {}
# Waiting for a place in a full window: a finish in this process wakes two waiters (one place freed, one
# grown), and each waiter that gets a place wakes the next, so that a window that grew fills at once;
# while a thread of this process found the window full less than POLL_SECONDS ago, the others do not
# read the view again (a block's hundreds of waiting threads would otherwise take turns at its lock).
_window_freed = threading.Condition()
_found_full: dict[str, float] = {}


class Demand:
    """A block's requests not yet sent (their count and tokens), shared by its keys' pacers; once one key
    finds that they cannot fit, the failure every key of the block reports."""

    def __init__(self, costs: list[int], wait_seconds: float) -> None:
        self._lock = threading.Lock()
        self.count = len(costs)
        self.tokens = sum(costs)
        self.most = max(costs, default=0)
        self.fewest = min(costs, default=0)
        self.wait_seconds = wait_seconds
        self.failure: ApiError | None = None
        self._waited: dict[str, float] = {}  # by request key: seconds spent waiting for turns
        self._waiting: dict[str, float] = {}  # by request key: since when it waits (time.monotonic())

    def sent(self, tokens: int) -> None:
        with self._lock:
            self.count -= 1
            self.tokens -= tokens

    def waiting(self, key: str, since: float | None) -> None:
        """key waits for a turn since then (time.monotonic()), or (None) no longer."""
        with self._lock:
            began = self._waiting.pop(key, None)
            if began is not None:
                self._waited[key] = self._waited.get(key, 0.0) + time.monotonic() - began
            if since is not None:
                self._waiting[key] = since

    def waited(self, key: str) -> float:
        """The seconds key has waited for turns so far: its time budget (timeout_seconds) leaves them out."""
        with self._lock:
            began = self._waiting.get(key)
            return self._waited.get(key, 0.0) + (time.monotonic() - began if began is not None else 0.0)


class CannotFit(ApiError):
    """A block's requests not yet sent cannot all be sent within rate_limit_wait_seconds."""


class Turn:
    __slots__ = ("key", "tokens")

    def __init__(self, key: str, tokens: int) -> None:
        self.key = key
        self.tokens = tokens


class Pacer:
    """The pacing of one request: its turns, and what its answers said. Made per request by pacer_for."""

    def __init__(
        self,
        folder: Path,
        name: str,
        model: str,
        tokens: int,
        wait_until: float,
        exchange_seconds: float,
        per_minute: int | None = None,
        demand: Demand | None = None,
        request_key: str = "",
    ) -> None:
        self.request_key = request_key  # the request's fingerprint: its name in the demand's waits
        self.lock_path = folder / f"rate-{name}.lock"
        self.view_path = folder / f"rate-{name}.json"
        self.model = model
        self.tokens = tokens
        self.wait_until = wait_until  # time.monotonic()
        self.exchange_seconds = exchange_seconds
        self.per_minute = per_minute
        self.demand = demand
        self.started = time.monotonic()
        self.waited = 0.0  # seconds spent waiting for turns: not part of the exchanges' budget
        self._counted = False

    @property
    def exchange_deadline(self) -> float:
        """When the exchanges' own time (timeout_seconds, waits for turns left out) runs out."""
        return self.started + self.waited + self.exchange_seconds

    def wait_turn(self) -> Turn:
        """Sleeps until this request may be sent; ApiError when that is past its wait, or never."""
        began = time.monotonic()
        if self.demand is not None:
            self.demand.waiting(self.request_key, began)
        try:
            while True:
                moment = self._reserve()
                if isinstance(moment, Turn):
                    return moment
                self._wait_for_window()
        finally:
            self.waited += time.monotonic() - began
            if self.demand is not None:
                self.demand.waiting(self.request_key, None)

    def finish(self, turn: Turn, report: RateReport | None, kind: str) -> None:
        """Records how the attempt ended (kind: answered, rate_limited or other). Never raises."""
        # Bookkeeping: the answer it follows is worth more than any of it.
        with contextlib.suppress(Exception), self._view(time.monotonic() + FINISH_LOCK_SECONDS) as view:
            now = time.time()
            if kind == "answered" and report is not None:
                view.answered(turn.key, report, now, turn.tokens)
            elif kind == "rate_limited" and report is not None:
                view.rate_limited(turn.key, report, now)
            else:
                view.ended(turn.key, report, now)
        with _window_freed:
            _found_full.pop(str(self.view_path), None)
            _window_freed.notify(2)

    def _reserve(self) -> "Turn | None":
        with _window_freed:
            if time.monotonic() - _found_full.get(str(self.view_path), -POLL_SECONDS) < POLL_SECONDS:
                return None
        with self._view(max(self.wait_until, time.monotonic() + FINISH_LOCK_SECONDS)) as view:
            now = time.time()
            wait_until = now + self.wait_until - time.monotonic()
            view.prune(now)
            self._refuse_what_cannot_fit(view, now, wait_until)
            if view.window_full():
                with _window_freed:
                    _found_full[str(self.view_path)] = time.monotonic()
                return None
            moment = view.earliest(now, self.tokens, self.per_minute)
            if moment > max(wait_until, now):  # a turn that is free now is never past the wait
                raise ApiError(self._wait_line(moment - now))
            key = uuid.uuid4().hex[:16]
            view.reserve(key, os.getpid(), moment, self.tokens)
        with _window_freed:
            _window_freed.notify(1)  # the next waiter may find a place too
        if self.demand is not None and not self._counted:
            self.demand.sent(self.tokens)
            self._counted = True
        if moment > now:
            time.sleep(moment - now)
        return Turn(key, self.tokens)

    def _refuse_what_cannot_fit(self, view: View, now: float, wait_until: float) -> None:
        for meter, limit in (("tokens", view.tokens), ("requests", view.requests)):
            cost = self.tokens if meter == "tokens" else 1
            if limit is not None and cost > limit.limit:
                raise ApiError(
                    too_large_line(self.model, meter, "TPM" if meter == "tokens" else "RPM", limit.limit, cost)
                )
        demand = self.demand
        if demand is None or self._counted:
            return
        if demand.failure is not None:
            raise demand.failure
        last = view.all_sent_by(now, demand.count, demand.tokens, self.per_minute)
        if last is not None and last > max(wait_until, now):
            demand.failure = CannotFit(self._cannot_fit_line(view, demand, last - now))
            raise demand.failure

    def _wait_for_window(self) -> None:
        if time.monotonic() >= self.wait_until:
            raise ApiError(
                f"rate limits of model {self.model!r}: no place among the requests in flight within "
                f"rate_limit_wait_seconds; raise rate_limit_wait_seconds, or try later"
            )
        with _window_freed:
            _window_freed.wait(POLL_SECONDS)

    @contextlib.contextmanager
    def _view(self, lock_deadline: float) -> Iterator[View]:
        """The view, locked against every thread and process; written back when the block ends well."""
        local = _process_locks.setdefault(str(self.lock_path), threading.Lock())
        if not local.acquire(timeout=max(0.0, lock_deadline - time.monotonic())):
            raise HelperError(f"timed out waiting for the rate-limit view (lock {self.lock_path})")
        try:
            with exclusive_lock(self.lock_path, lock_deadline, "the rate-limit view"):
                view = View.from_json(_read_json(self.view_path))
                yield view
                _write_json(self.view_path, view.to_json())
        finally:
            local.release()

    def _wait_line(self, seconds: float) -> str:
        return (
            f"rate limits of model {self.model!r}: this request's turn comes in {seconds:.0f} s, past "
            f"rate_limit_wait_seconds (answers that arrived are cached); raise rate_limit_wait_seconds, lower "
            f"max_tokens (each request reserves it in full), or try later"
        )

    def _cannot_fit_line(self, view: View, demand: Demand, seconds: float) -> str:
        each = f"{demand.most}" if demand.most == demand.fewest else f"{demand.fewest} to {demand.most}"
        limits = []
        if view.tokens is not None:
            limits.append(f"{view.tokens.limit:,.0f} tokens per minute")
        if view.requests is not None:
            limits.append(f"{view.requests.limit:,.0f} requests per minute")
        if self.per_minute is not None:
            limits.append(f"requests_per_minute = {self.per_minute}")
        needed = int(seconds) + 1 + 30
        return (
            f"rate limits of model {self.model!r}: {demand.count} keys left, {each} tokens each "
            f"({demand.tokens:,} in all), need about {seconds:.0f} s under {' and '.join(limits)}, past "
            f"rate_limit_wait_seconds = {demand.wait_seconds:g}; nothing more was sent (answers that arrived are "
            f"cached): raise rate_limit_wait_seconds to {needed} or more, lower max_tokens (each request reserves "
            f"it in full), or ask for fewer keys per plan"
        )


def pacer_for(prepared: "Prepared") -> Pacer:
    """The pacer of a prepared question's request, in the view of its endpoint, key and model."""
    settings, request, endpoint = prepared.question.settings, prepared.question.request, prepared.endpoint
    try:
        key_hash = hashlib.sha256(api_key(endpoint).encode("utf-8")).hexdigest()
    except HelperError:
        key_hash = ""  # the request fails on the missing key, before any turn matters
    model = str(request.get("model", ""))
    name = hashlib.sha256("\0".join((endpoint.identity, key_hash, model)).encode("utf-8")).hexdigest()[:32]
    return Pacer(
        view_folder(settings.cache_dir),
        name,
        model,
        estimated_tokens(request),
        prepared.started + settings.rate_limit_wait_seconds,
        settings.timeout_seconds,
        settings.requests_per_minute,
        prepared.demand,
        prepared.key,
    )


def view_folder(cache_dir: str) -> Path:
    """CHAT_HELPER_RATE_LIMITS_DIR, else the machine's private runtime folder, else <cache_dir>/.locks."""
    chosen = os.environ.get(FOLDER_VARIABLE, "").strip()
    if chosen:
        try:
            make_private_dir(Path(chosen))
        except OSError as error:
            raise HelperError(f"cannot use {FOLDER_VARIABLE} = {chosen}: {error.strerror}") from None
        return Path(chosen)
    if hasattr(os, "getuid"):
        for base in runtime_bases():
            folder = runtime_folder(base)
            if private_folder(folder):
                views = Path(folder) / "rate-limits"
                try:
                    make_private_dir(views)
                except OSError:
                    continue
                return views
    return private_lock_dir(Path(cache_dir))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # absent or damaged: a fresh view


def _write_json(path: Path, value: Any) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        temporary.write_text(json.dumps(value, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise HelperError(f"cannot record the rate-limit view in {path}: {error.strerror}") from None
