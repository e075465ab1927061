"""The answers a call may reuse: the local cache folder, in front of a team's object store when cache_url names one.

Read: the folder first, then the store; a store hit is copied into the folder, so the next plan on
this machine does not go to the network. A new request: this machine's per-request lock (one
process of this machine goes on), then the store's lease (one machine asks the API; the others
wait for its answer). Write: the store first, conditionally, so that the first answer stored is
the one every machine uses; then the folder.

An answer the API gave that cannot be written to the store fails the call, so that no machine uses
an answer the others do not have; it is kept pending (answers/pending.py), and the next call that
misses stores it there without asking the API again. With no store, an answer that cannot be written
to the folder is kept pending too, and the next call that misses writes it into the folder.

Each block of the store's work (a read, a claim and its write) keeps to the deadline it is given: a
call that asks many requests (chat_completions) gives each its own.
"""

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from ..core.errors import HelperError, NeedsMoreThanCache
from ..core.store_url import StoreLocation, resolve_store_location
from .cache import ResponseCache, decode_entry, encode_entry
from .pending import PendingAnswers
from .settings import AnswerSettings

TYPE_CHECKING = False
if TYPE_CHECKING:  # the store's modules are imported only when a call reads past the folder
    from ..object_store.store import ObjectStore

# After the worker's own read of the store fails, it leaves the store to children for a while: a
# store that is down or slow must not cost every call a wait in the one process that takes them up.
QUICK_PAUSE_SECONDS = 30.0
_quick_paused_until: dict[StoreLocation, float] = {}


class LayeredCache:
    def __init__(self, settings: AnswerSettings, usable: Callable[[dict[str, Any], str], bool]) -> None:
        self.local = ResponseCache(settings.cache_dir)
        self.location = resolve_store_location(settings.cache_url)
        self.timeout_seconds = settings.timeout_seconds
        self.usable = usable  # whether a stored response can be answered with (a broken one cannot)
        self._store: ObjectStore | None = None  # created on the first read past the folder

    @property
    def store_display(self) -> str | None:
        return None if self.location is None else self.location.display

    def lookup(
        self, key: str, deadline: float, cache_only: bool = False, local_only: bool = False
    ) -> dict[str, Any] | None:
        """The stored answer, from the folder or else the store (unless local_only), or None."""
        response = self.local.load(key)
        if response is not None and self.usable(response, key):
            return response
        if self.location is None or local_only:
            return None
        if cache_only:
            return self._quick_lookup(self.location, key, deadline)
        return self._from_store(self._store_for(deadline), key)

    @contextlib.contextmanager
    def claim(self, key: str, deadline: float) -> Iterator[dict[str, Any] | None]:
        """Yields an answer that appeared meanwhile, or None while this call is the one to ask the API
        (and then to keep() the answer before the block ends)."""
        with self.local.lock(key, deadline):
            response = self.local.load(key)
            if response is not None and self.usable(response, key):
                yield response
                return
            if self.location is None:
                yield self._from_pending(key)
                return
            from ..object_store.lease import lease_or_answer

            store = self._store_for(deadline)
            with lease_or_answer(store, key) as appeared:
                body = appeared if appeared is not None else store.read_answer(key)
                if body is None:
                    body = self._share_pending(store, key)
                if body is not None:
                    yield self._accepted_from_store(store, key, body)
                    return
                yield None

    def keep(self, key: str, identity: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        """Stores a new answer, with what it cost; returns the answer that stands (another machine's, if it
        stored first)."""
        from .spend_record import spend_record  # datetime: only a new answer pays for it

        text = encode_entry(key, identity, response, spend_record(response))
        if self._store is not None:
            from ..object_store.errors import StoreError

            try:
                # Its own phase, within timeout_seconds: the request may have waited for turns past the claim's.
                stored = self._store_for(time.monotonic() + self.timeout_seconds).store_answer(
                    key, text.encode("utf-8")
                )
            except StoreError as error:
                raise StoreError(f"{error}; {self._keep_pending(key, text)}") from None
            if stored != text.encode("utf-8"):
                return self._accepted_from_store(self._store, key, stored)
            self.local.write_entry(key, text)  # a failure loses nothing: the store has it
            return response
        try:
            self.local.write_entry(key, text)
        except HelperError as error:  # the folder is the only place it would be: keep it where it can be
            raise HelperError(f"{error}; {self._keep_pending(key, text)}") from None
        return response

    # -- the store ----------------------------------------------------------------------------

    def _store_for(self, deadline: float) -> "ObjectStore":
        from ..object_store.store import ObjectStore

        if self._store is None:
            assert self.location is not None
            self._store = ObjectStore(self.location, deadline, self.timeout_seconds)
        self._store.deadline = deadline  # this block's: a claim made later than the first read has its own
        return self._store

    def _quick_lookup(self, location: StoreLocation, key: str, deadline: float) -> dict[str, Any] | None:
        """The worker's own read: its long-lived client, one short attempt; any failure leaves the call
        to a child, which reads with the whole retry policy and reports what failed."""
        from ..core.time_limit import TimeUp
        from ..object_store.store import ObjectStore

        if time.monotonic() < _quick_paused_until.get(location, 0.0):
            raise NeedsMoreThanCache
        try:
            return self._from_store(ObjectStore(location, deadline, self.timeout_seconds, quick=True), key)
        except (Exception, TimeUp):
            _quick_paused_until[location] = time.monotonic() + QUICK_PAUSE_SECONDS
            raise NeedsMoreThanCache from None

    def _from_store(self, store: "ObjectStore", key: str) -> dict[str, Any] | None:
        body = store.read_answer(key)
        return None if body is None else self._accepted_from_store(store, key, body)

    def _accepted_from_store(self, store: "ObjectStore", key: str, body: bytes) -> dict[str, Any]:
        """The response of a store entry, copied into the folder; a broken entry is reported, not replaced
        (it is shared: someone may have put it there on purpose)."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        response = decode_entry(text, key)
        if response is None or not self.usable(response, key):
            from ..object_store.errors import StoreError

            raise StoreError(
                f"the object {store.location.display}/{key[:2]}/{key}.json is not a usable answer entry of this "
                f"request: delete it to ask the API again, or replace it with a valid entry"
            )
        self.local.write_entry(key, text)
        return response

    # -- answers paid for but not kept yet (answers/pending.py) ------------------------------

    def _keep_pending(self, key: str, text: str) -> str:
        path = PendingAnswers(self.local.cache_dir).keep(key, text)
        if path is None:
            return "the answer the API gave could not be kept either: the next plan asks the API again"
        where = "stores it in the object store" if self.location is not None else "writes it into the cache folder"
        return f"the answer the API gave is kept in {path}: the next plan {where}, without asking the API again"

    def _from_pending(self, key: str) -> dict[str, Any] | None:
        """With no store: a pending answer of this request (one the folder could not take), written into the
        folder now; a folder that still cannot take it fails the call, and the answer stays pending."""
        pending = PendingAnswers(self.local.cache_dir)
        found = pending.find(key)
        if found is None:
            return None
        path, text = found
        response = decode_entry(text, key)
        if response is None or not self.usable(response, key):
            return None
        try:
            self.local.write_entry(key, text)
        except HelperError as error:
            raise HelperError(
                f"{error}; the answer the API gave stays in {path} until the folder can take it"
            ) from None
        pending.remove(path)
        return response

    def _share_pending(self, store: "ObjectStore", key: str) -> bytes | None:
        """A pending answer of this request, stored now (or the one another machine stored first)."""
        pending = PendingAnswers(self.local.cache_dir)
        found = pending.find(key)
        if found is None:
            return None
        path, text = found
        stored = store.store_answer(key, text.encode("utf-8"))
        pending.remove(path)
        return stored
