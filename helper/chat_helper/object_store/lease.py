"""The lease: of the machines that find no answer to a request, one asks the API; the others wait for its answer.

A lease is an object at <prefix>/.leases/<key>.json, taken by a conditional write (If-None-Match: *).
It lasts as long as its holder's time budget plus a margin, since a holder's call ends by then, and
its expiry is judged by the store's clock alone (the lease's Last-Modified against the Date of the
response that read it), so a machine whose clock is off cannot misjudge it. An expired lease is
taken over by a write conditional on its ETag; a holder that died delays the others by at most its
lease. While another holder's lease is live, the answer object is polled with backoff until it
appears, the lease goes or expires, or the call's deadline passes. The holder deletes its lease when
it is done (conditionally on its ETag, so never another holder's).
"""

import contextlib
import datetime
import json
import random
import secrets
import time
from collections.abc import Iterator

from .errors import StoreError
from .store import ObjectStore, StoredObject

LEASE_FORMAT = 1
MARGIN_SECONDS = 5.0  # past the holder's deadline: its last write and the lease's release
CLOCK_RESOLUTION_SECONDS = 2.0  # Last-Modified and Date count whole seconds
FIRST_POLL_SECONDS = 0.2
MAX_POLL_SECONDS = 2.0


@contextlib.contextmanager
def lease_or_answer(store: ObjectStore, key: str) -> Iterator[bytes | None]:
    """Yields None while this call holds the request's lease (it asks the API, stores the answer,
    and the lease is released after the block), or the answer another holder stored meanwhile."""
    holder = secrets.token_hex(16)
    answer, etag = _take_or_wait(store, key, holder)
    if answer is not None:
        yield answer
        return
    try:
        yield None
    finally:
        with contextlib.suppress(StoreError):  # past the deadline or refused: it expires by itself
            store.delete(store.location.lease_key(key), etag, "releasing the lease")


def _take_or_wait(store: ObjectStore, key: str, holder: str) -> tuple[bytes | None, str]:
    """(None, the lease's ETag) once this call holds the lease; (the answer, "") if one appears first."""
    lease_key = store.location.lease_key(key)
    pause = FIRST_POLL_SECONDS
    waited_since = time.monotonic()
    while True:
        etag = store.create(lease_key, _lease_body(holder, key, store.deadline), "taking the lease")
        if etag is not None:
            return None, etag
        while True:
            answer = store.read_answer(key)
            if answer is not None:
                return answer, ""
            current = store.read(lease_key, "reading the lease")
            if current is None:
                break  # released without an answer (its call failed): take it
            if _holder(current) == holder:
                return None, current.etag  # our own write, whose response was lost and retried
            left = _seconds_left(current)
            if left <= 0:
                etag = store.replace(lease_key, _lease_body(holder, key, store.deadline), current.etag, "taking over")
                if etag is not None:
                    return None, etag
                break  # another waiter took it over first: wait for that one
            if time.monotonic() + pause >= store.deadline:
                raise StoreError(
                    f"timed out after {time.monotonic() - waited_since:.0f} s waiting for another machine asking the "
                    f"API for the same request (its lease {store.location.display}/{_relative(store, lease_key)} "
                    f"expires in {left:.0f} s): run again, or raise timeout_seconds"
                )
            time.sleep(pause * random.uniform(0.8, 1.2))
            pause = min(pause * 1.5, MAX_POLL_SECONDS)


def _lease_body(holder: str, key: str, deadline: float) -> bytes:
    seconds = max(0.0, deadline - time.monotonic()) + MARGIN_SECONDS
    lease = {"format": LEASE_FORMAT, "holder": holder, "request_sha256": key, "seconds": round(seconds, 3)}
    return (json.dumps(lease, sort_keys=True) + "\n").encode("utf-8")


def _holder(lease: StoredObject) -> str | None:
    parsed = _parsed(lease)
    return None if parsed is None else str(parsed.get("holder"))


def _seconds_left(lease: StoredObject) -> float:
    """How long the lease still runs, by the store's clock; a lease not in this format has expired."""
    parsed = _parsed(lease)
    seconds = parsed.get("seconds") if parsed is not None else None
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        return 0.0
    now = lease.server_date or datetime.datetime.now(datetime.timezone.utc)
    age = (now - lease.last_modified).total_seconds()
    return seconds + CLOCK_RESOLUTION_SECONDS - age


def _parsed(lease: StoredObject) -> dict[str, object] | None:
    try:
        parsed = json.loads(lease.body)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) and parsed.get("format") == LEASE_FORMAT else None


def _relative(store: ObjectStore, object_key: str) -> str:
    prefix = store.location.prefix
    return object_key[len(prefix) + 1 :] if prefix else object_key
