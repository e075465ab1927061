"""The spend guard: the most requests and tokens one run may spend, counted across every helper process,
worker child, thread and module block of the run (core/run.py), and across machines for a pipeline's run
with a store (answers/run_counts.py).

Every request a run sends is counted, whichever block sent it; a block's caps are the lines that block
will not cross. A request takes its turn before it is sent (cache and store hits take none; retries
of one request are one turn): it counts as one request and reserves its estimated tokens
(answers/token_estimate.py: characters / 4 plus its output limit per choice) while in flight; its
answer's usage.total_tokens then replaces the reservation. Under max_tokens_per_run, a request that
does not fit beside the answers counted and the reservations in flight waits while others are in
flight, and fails naming the cap only once nothing in flight could make room (or its time is up). A
request that sets no output limit could use any number of tokens: under a token cap it waits until
nothing else is in flight and reserves the rest of the cap.

Once an answer arrived it is never lost to the bookkeeping: a failure to record its usage leaves the
reservation, which is counted as used when it expires.
"""

import contextlib
import secrets
import time
from collections.abc import Iterator
from typing import Any

from ..core.errors import HelperError, SpendLimitError
from ..core.run import Run
from .run_counts import Counts, FolderCounts, Reservation, RunCounts, StoreCounts
from .settings import AnswerSettings
from .token_estimate import estimated_tokens, output_limit

REPLAY = 'cache_mode = "replay" (stored answers only)'
ABANDONED_AFTER_SECONDS = 60.0  # past a request's deadline: its holder is gone, its reservation counts as used
MAX_POLL_SECONDS = 2.0


class Turn:
    """One request's place in its run's counts: its reservation until the answer's usage replaces it."""

    def __init__(self, counts: RunCounts | None, holder: str, estimate: int) -> None:
        self.counts = counts
        self.holder = holder
        self.estimate = estimate
        self.used: int | None = None  # the answer's tokens, once it arrived

    def answered(self, response: dict[str, Any]) -> None:
        """The answer arrived: its usage.total_tokens (else the estimate) replaces the reservation."""
        usage = response.get("usage")
        total = usage.get("total_tokens") if isinstance(usage, dict) else None
        valid = isinstance(total, int) and not isinstance(total, bool) and total >= 0
        self.used = total if valid and isinstance(total, int) else self.estimate

    def close(self) -> None:
        """Records the usage (or, with no answer, frees the reservation). Never raises: a failure leaves
        the reservation to expire and count as used, and the answer that arrived is kept."""
        if self.counts is None:
            return
        used = self.used or 0

        def settle(counts: Counts) -> bool:
            if counts.in_flight.pop(self.holder, None) is None:
                return False  # counted already, as abandoned
            counts.tokens += used
            return True

        with contextlib.suppress(HelperError, OSError):
            self.counts.update(settle, time.monotonic() + 10.0)


class SpendGuard:
    """The caps of one call's settings over its run's counts."""

    def __init__(self, settings: AnswerSettings, run: Run) -> None:
        self.settings = settings
        self.max_requests = settings.max_requests_per_run
        self.max_tokens = settings.max_tokens_per_run
        self.run = run

    @property
    def active(self) -> bool:
        return self.max_requests is not None or self.max_tokens is not None

    @contextlib.contextmanager
    def turn(self, request: dict[str, Any], deadline: float) -> Iterator[Turn]:
        """Counts one request of this run before it is sent (SpendLimitError, nothing sent, when it would
        cross a cap), and its answer's tokens after: the caller calls answered() with the response."""
        taken = self._take(request, deadline)
        try:
            yield taken
        finally:
            taken.close()

    def _take(self, request: dict[str, Any], deadline: float) -> Turn:
        estimate = estimated_tokens(request)
        holder = secrets.token_hex(8)
        self.run.pipeline_id  # noqa: B018 - a CHAT_HELPER_RUN_ID that breaks its rule fails every block alike
        try:
            counts = self._counts(deadline)
        except HelperError:
            if self.active:
                raise  # a capped block sends nothing uncounted
            return Turn(None, holder, estimate)  # an uncapped block is counted where it can be
        decisions: list[str] = []

        def reserve(counts: Counts) -> bool:
            changed = counts.count_the_abandoned(time.time())
            decisions.append(self._fits(counts, request, estimate))
            if decisions[-1] != "fits":
                return changed
            counts.requests += 1
            reserved = estimate
            if self.max_tokens is not None and output_limit(request) is None:
                reserved = max(estimate, self.max_tokens - counts.tokens)  # the rest of the cap
            until = time.time() + max(0.0, deadline - time.monotonic()) + ABANDONED_AFTER_SECONDS
            counts.in_flight[holder] = Reservation(reserved, until)
            return True

        pause = counts.poll_seconds
        while True:
            try:
                counts_now = counts.update(reserve, deadline)
            except HelperError:
                if self.active:
                    raise
                return Turn(None, holder, estimate)
            if decisions[-1] == "fits":
                return Turn(counts, holder, estimate)
            if decisions[-1] != "wait" or time.monotonic() + pause >= deadline:
                raise SpendLimitError(self._line(decisions[-1], counts_now, request, estimate))
            time.sleep(pause)
            pause = min(pause * 2, MAX_POLL_SECONDS)

    def _fits(self, counts: Counts, request: dict[str, Any], estimate: int) -> str:
        """fits, over (no room, and none can come free), or wait (requests in flight may make room)."""
        if self.max_requests is not None and counts.requests >= self.max_requests:
            return "requests"
        if self.max_tokens is None:
            return "fits"
        if output_limit(request) is None and counts.in_flight:
            return "wait"  # it needs the rest of the cap to itself
        if counts.tokens + counts.reserved + estimate <= self.max_tokens:
            return "fits"
        return "wait" if counts.in_flight and counts.tokens + estimate <= self.max_tokens else "over"

    def _counts(self, deadline: float) -> RunCounts:
        """The store's counts for a pipeline's run with cache_url (or CHAT_HELPER_CACHE_URL), else the
        machine's."""
        if self.run.pipeline_id is not None and self.settings.cache_mode != "off":
            from ..core.store_url import resolve_store_location

            location = resolve_store_location(self.settings.cache_url)
            if location is not None:
                from ..object_store.store import ObjectStore

                store = ObjectStore(location, deadline, self.settings.timeout_seconds)
                return StoreCounts(store, self.run.name)
        return FolderCounts(self.run.name)

    def _line(self, outcome: str, counts: Counts, request: dict[str, Any], estimate: int) -> str:
        if outcome == "requests":
            return (
                f"max_requests_per_run = {self.max_requests}: this run sent {counts.requests} requests to the "
                f"API already, so this one is not sent; raise max_requests_per_run (or "
                f"CHAT_HELPER_MAX_REQUESTS_PER_RUN), or plan with {REPLAY}"
            )
        limit = output_limit(request)
        size = (
            f"an estimated {estimate} tokens: its characters / 4 plus its output limit"
            if limit is not None
            else f"an estimated {estimate} tokens of input, and no output limit"
        )
        waited = " (it waited for the requests in flight until its timeout)" if counts.in_flight else ""
        advice = "lower its output limit" if limit is not None else "give it an output limit (max_tokens)"
        return (
            f"max_tokens_per_run = {self.max_tokens}: the answers this run received used {counts.tokens} tokens "
            f"and its requests in flight reserve {counts.reserved}, so this request ({size}) is not sent{waited}; "
            f"raise max_tokens_per_run (or CHAT_HELPER_MAX_TOKENS_PER_RUN), {advice}, or plan with {REPLAY}"
        )
