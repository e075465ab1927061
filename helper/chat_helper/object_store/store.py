"""The answers on an S3-compatible object store: read one, or store one only if none is there yet.

Objects hold exactly the entries of the local cache folder, at <prefix>/<key[:2]>/<key>.json, so a
reviewer can copy one down and read it, and a team can pin one by committing it. Writes are
conditional (If-None-Match: *): the first answer stored wins, and whoever comes second reads and
uses that one. Every exchange is bounded by the call's deadline, and any failure is one StoreError
line naming the store.
"""

import contextlib
import datetime
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..core.store_url import StoreLocation
from ..core.time_limit import TimeUp, time_limit
from .client import create_store_client, endpoint_of, quick_store_client
from .errors import StoreContext, StoreError, StoreTimeout, describe_store_failure

PRECONDITION_FAILED = 412
CONFLICT = 409  # AWS S3: a concurrent conditional write to the same key is in flight; try again
CONFLICT_PAUSE_SECONDS = 0.2


@dataclass(frozen=True)
class StoredObject:
    body: bytes
    etag: str
    last_modified: datetime.datetime
    server_date: datetime.datetime | None  # the store's clock when it answered (its Date header)


class ObjectStore:
    """One call's view of the store: its client, and the deadline every exchange keeps to."""

    def __init__(self, location: StoreLocation, deadline: float, timeout_seconds: float, quick: bool = False) -> None:
        self.location = location
        self.deadline = deadline
        self.context = StoreContext(
            location.display, location.bucket, location.endpoint or "(default)", timeout_seconds
        )
        with self._translated("connecting"):
            self.client = quick_store_client(location) if quick else create_store_client(location, deadline)
        self.context = StoreContext(location.display, location.bucket, endpoint_of(self.client), timeout_seconds)

    # -- answers ------------------------------------------------------------------------------

    def read_answer(self, key: str) -> bytes | None:
        found = self.read(self.location.answer_key(key), "reading the answer")
        return None if found is None else found.body

    def store_answer(self, key: str, body: bytes) -> bytes:
        """Stores body unless an answer is there already; returns the answer that stands (the first stored)."""
        object_key = self.location.answer_key(key)
        while True:
            if self.create(object_key, body, "writing the answer") is not None:
                return body
            existing = self.read(object_key, "reading the answer stored first")
            if existing is not None:
                return existing.body
            # Gone between the two requests (deleted to regenerate it): store ours after all.

    def answer_keys(self) -> list[str]:
        """The request_sha256 of every answer under the prefix (leases left out), page by page."""
        listed = self.location.answers_prefix
        keys: list[str] = []
        with self._translated("listing the answers"):
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.location.bucket, Prefix=listed)
            for page in pages:
                for item in page.get("Contents", []):
                    name = str(item["Key"])[len(listed) :]
                    if len(name) == 3 + 64 + 5 and name[2] == "/" and name.endswith(".json"):
                        keys.append(name[3:-5])
        return keys

    # -- objects ------------------------------------------------------------------------------

    def read(self, object_key: str, doing: str) -> StoredObject | None:
        """The object, or None when there is none."""
        with self._translated(doing):
            try:
                response = self.client.get_object(Bucket=self.location.bucket, Key=object_key)
                body = response["Body"].read()
            except self._client_error() as error:
                if _code(error) in ("NoSuchKey", "404"):
                    return None
                raise
        headers = response["ResponseMetadata"].get("HTTPHeaders", {})
        return StoredObject(body, response["ETag"], response["LastModified"], _http_date(headers.get("date")))

    def create(self, object_key: str, body: bytes, doing: str) -> str | None:
        """Writes the object only if there is none (If-None-Match: *): its ETag, or None when one exists."""
        return self._conditional_put(object_key, body, doing, IfNoneMatch="*")

    def replace(self, object_key: str, body: bytes, etag: str, doing: str) -> str | None:
        """Overwrites the object only if it is still the one with etag (If-Match): the new ETag, or None."""
        return self._conditional_put(object_key, body, doing, IfMatch=etag)

    def delete(self, object_key: str, etag: str, doing: str) -> None:
        """Deletes the object if it is still the one with etag; a store that refuses conditional deletes
        gets a check of the ETag, then a plain delete."""
        with self._translated(doing):
            try:
                self.client.delete_object(Bucket=self.location.bucket, Key=object_key, IfMatch=etag)
                return
            except self._client_error() as error:
                if _status(error) in (PRECONDITION_FAILED, 404):
                    return  # no longer ours, or gone already
                if _status(error) not in (400, 501):
                    raise
            head = self.client.head_object(Bucket=self.location.bucket, Key=object_key)
            if head.get("ETag") == etag:
                self.client.delete_object(Bucket=self.location.bucket, Key=object_key)

    def _conditional_put(self, object_key: str, body: bytes, doing: str, **condition: str) -> str | None:
        while True:
            with self._translated(doing):
                try:
                    response = self.client.put_object(
                        Bucket=self.location.bucket,
                        Key=object_key,
                        Body=body,
                        ContentType="application/json",
                        **condition,
                    )
                    return str(response["ETag"])
                except self._client_error() as error:
                    # The status, not the code: stores differ in the codes they give.
                    if _status(error) == PRECONDITION_FAILED or (_status(error) == 404 and "IfMatch" in condition):
                        return None
                    if _status(error) != CONFLICT or time.monotonic() + CONFLICT_PAUSE_SECONDS >= self.deadline:
                        raise
            time.sleep(CONFLICT_PAUSE_SECONDS)

    # -- errors and time ----------------------------------------------------------------------

    @staticmethod
    def _client_error() -> type[Exception]:
        from botocore.exceptions import ClientError

        return ClientError

    @contextlib.contextmanager
    def _translated(self, doing: str) -> Iterator[None]:
        """Bounds the block by the deadline and turns any failure into one StoreError line."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            with _bounded_by(self.deadline):
                yield
        except (BotoCoreError, ClientError, StoreTimeout) as error:
            raise StoreError(describe_store_failure(error, self.context, doing)) from None


@contextlib.contextmanager
def _bounded_by(deadline: float) -> Iterator[None]:
    """Interrupts the block at the deadline. Inside the worker's own time limit (its cache reads) that
    limit bounds it instead: one interval timer serves one limit."""
    if time.monotonic() >= deadline:
        raise StoreTimeout
    if hasattr(signal, "getitimer") and signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return
    try:
        with time_limit(deadline - time.monotonic()):
            yield
    except TimeUp:
        raise StoreTimeout from None


def _status(error: Any) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def _code(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _http_date(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    import email.utils

    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
