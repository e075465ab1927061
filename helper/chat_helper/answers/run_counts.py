"""A run's counts, where every process of the run sees them: the requests it sent, the tokens its answers
used, and the tokens its requests in flight reserve.

On one machine, a file in the user's private runtime folder, runs/<run>.json, changed under a lock. For
a pipeline's run (CHAT_HELPER_RUN_ID) with a store (cache_url), an object in the store,
<prefix>/.runs/<run>.json, changed by conditional writes (If-None-Match: * to make it, If-Match on its
ETag to change it), so that plans on several machines count together; a write that loses the race reads
and changes the counts again.
"""

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..core.environment import private_folder, runtime_bases, runtime_folder
from ..core.errors import ConfigurationError, HelperError
from ..core.file_lock import exclusive_lock

RUNS_FOLDER = "runs"
STALE_RUN_SECONDS = 2 * 24 * 3600.0  # a run's counts older than this are removed by the next new run
LOCK_SECONDS = 10.0
# Threads of one process (a map's concurrent keys) queue here, without the file lock's polling.
_PROCESS_LOCKS: dict[Path, threading.Lock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


@dataclass
class Reservation:
    tokens: int
    until: float  # the wall clock (time.time()) past which its holder is gone: then counted as used


@dataclass
class Counts:
    requests: int = 0
    tokens: int = 0
    in_flight: dict[str, Reservation] = field(default_factory=dict)

    @property
    def reserved(self) -> int:
        return sum(reservation.tokens for reservation in self.in_flight.values())

    def count_the_abandoned(self, now: float) -> bool:
        """A reservation whose holder is long gone (it died, or could not record its answer) is counted as
        used, so that the cap holds; True when there was one."""
        gone = [holder for holder, reservation in self.in_flight.items() if reservation.until < now]
        for holder in gone:
            self.tokens += self.in_flight.pop(holder).tokens
        return bool(gone)

    def encoded(self) -> bytes:
        in_flight = {holder: [item.tokens, item.until] for holder, item in self.in_flight.items()}
        return json.dumps({"requests": self.requests, "tokens": self.tokens, "in_flight": in_flight}).encode()


def decoded_counts(body: bytes | str) -> Counts:
    """The counts a file or object holds; a damaged one is counted anew (a new run is the usual cause)."""
    try:
        recorded = json.loads(body)
    except ValueError:
        return Counts()
    if not isinstance(recorded, dict):
        return Counts()
    requests, tokens = recorded.get("requests"), recorded.get("tokens")
    if not isinstance(requests, int) or not isinstance(tokens, int) or not _whole(requests) or not _whole(tokens):
        return Counts()
    in_flight: dict[str, Reservation] = {}
    listed = recorded.get("in_flight")
    for holder, item in (listed if isinstance(listed, dict) else {}).items():
        if isinstance(item, list) and len(item) == 2 and _whole(item[0]) and isinstance(item[1], (int, float)):
            in_flight[str(holder)] = Reservation(item[0], float(item[1]))
    return Counts(requests, tokens, in_flight)


class RunCounts(Protocol):
    where: str  # for lines: where the counts are kept
    poll_seconds: float  # how long a request that waits for room pauses between looks

    def update(self, change: Callable[[Counts], bool], deadline: float) -> Counts:
        """Applies change to the counts as they stand, atomically; writes them when it returns True."""


class FolderCounts:
    """A run's counts in the user's private runtime folder."""

    poll_seconds = 0.05

    def __init__(self, run_name: str) -> None:
        folder = _runs_folder()
        self.path = folder / f"{run_name}.json"
        self.where = str(self.path)
        if not self.path.exists():
            _remove_stale(folder)

    def update(self, change: Callable[[Counts], bool], deadline: float) -> Counts:
        lock_deadline = min(deadline, time.monotonic() + LOCK_SECONDS)
        with _PROCESS_LOCKS_GUARD:
            process_lock = _PROCESS_LOCKS.setdefault(self.path, threading.Lock())
        if not process_lock.acquire(timeout=max(0.0, lock_deadline - time.monotonic())):
            raise HelperError(f"timed out waiting for this run's spend counts (lock {self.path.with_suffix('.lock')})")
        try:
            return self._update_locked(change, lock_deadline)
        finally:
            process_lock.release()

    def _update_locked(self, change: Callable[[Counts], bool], lock_deadline: float) -> Counts:
        with exclusive_lock(self.path.with_suffix(".lock"), lock_deadline, "this run's spend counts"):
            try:
                counts = decoded_counts(self.path.read_bytes())
            except OSError:
                counts = Counts()
            if change(counts):
                temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
                try:
                    temporary.write_bytes(counts.encoded())
                    os.replace(temporary, self.path)
                except OSError as error:
                    raise ConfigurationError(
                        f"cannot record this run's spend in {self.path}: {error.strerror}"
                    ) from None
            return counts


class StoreCounts:
    """A pipeline's counts in the team's object store, shared by every machine of the pipeline."""

    poll_seconds = 0.5

    def __init__(self, store: Any, run_name: str) -> None:
        self.store = store  # object_store.store.ObjectStore
        self.key = store.location.run_key(run_name)
        self.where = f"{store.location.display} (.runs/{run_name}.json)"

    def update(self, change: Callable[[Counts], bool], deadline: float) -> Counts:
        # The answer's usage is recorded after the request's own deadline may have come: its own 10 s.
        self.store.deadline = max(self.store.deadline, deadline)
        while True:
            current = self.store.read(self.key, "reading this run's spend counts")
            counts = decoded_counts(current.body) if current is not None else Counts()
            if not change(counts):
                return counts
            if current is None:
                written = self.store.create(self.key, counts.encoded(), "writing this run's spend counts")
            else:
                written = self.store.replace(
                    self.key, counts.encoded(), current.etag, "writing this run's spend counts"
                )
            if written is not None:
                return counts
            if time.monotonic() >= deadline:  # another machine changed them first, again and again
                raise HelperError(f"timed out changing this run's spend counts in {self.where}")


def _runs_folder() -> Path:
    """runs/ in the user's private runtime folder; ConfigurationError when none is usable."""
    for base in runtime_bases():
        top = runtime_folder(base)
        folder = os.path.join(top, RUNS_FOLDER)
        if private_folder(top) and private_folder(folder):
            return Path(folder)
    raise ConfigurationError(
        "max_requests_per_run / max_tokens_per_run are set, but there is no private folder to count this run's "
        "requests in ($XDG_RUNTIME_DIR, $TMPDIR or /tmp, then terraform-openai-chat-<uid>): nothing was sent"
    )


def _remove_stale(folder: Path) -> None:
    """The counts of runs long over: their files would otherwise pile up."""
    cutoff = time.time() - STALE_RUN_SECONDS
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
