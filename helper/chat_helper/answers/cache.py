"""The response cache: one readable JSON file per request, written atomically, owner-only.

A per-request lock makes parallel identical reads (Terraform runs up to 10 data sources at once)
call the API once: the first holds the lock while it calls, the rest wait and then read its entry.
"""

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.errors import HelperError
from ..core.file_lock import exclusive_lock, make_private_dir, private_lock_dir

ENTRY_FORMAT = 1


def encode_entry(
    key: str, identity: dict[str, Any], response: dict[str, Any], spend: dict[str, Any] | None = None
) -> str:
    """The readable JSON of one entry, the same in the local folder and in an object store; spend: what the
    answer cost (answers/spend_record.py), for an answer the API just gave."""
    entry = {"format": ENTRY_FORMAT, "request_sha256": key, "identity": identity, "response": response}
    if spend is not None:
        entry["spend"] = spend
    text = json.dumps(entry, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # unpaired surrogates in the response: store them escaped
        text = json.dumps(entry, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
    return text


def decode_entry(text: str, key: str | None = None) -> dict[str, Any] | None:
    """The response an entry holds, or None when it is not an entry (of this key, when given)."""
    try:
        entry = json.loads(text)
    except ValueError:
        return None
    if not isinstance(entry, dict) or entry.get("format") != ENTRY_FORMAT:
        return None
    if key is not None and entry.get("request_sha256") != key:
        return None
    response = entry.get("response")
    return response if isinstance(response, dict) else None


class ResponseCache:
    def __init__(self, cache_dir: str) -> None:
        self.cache_dir = Path(cache_dir)

    def entry_path(self, key: str) -> Path:
        return self.cache_dir / key[:2] / f"{key}.json"

    def load(self, key: str) -> dict[str, Any] | None:
        """The stored response, or None when absent or unreadable (a broken entry is a miss)."""
        try:
            text = self.entry_path(key).read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None
        return decode_entry(text)

    def store(self, key: str, identity: dict[str, Any], response: dict[str, Any]) -> None:
        self.write_entry(key, encode_entry(key, identity, response))

    def write_entry(self, key: str, text: str) -> None:
        """Writes to a temporary file in the same folder, then renames it into place."""
        path = self.entry_path(key)
        try:
            make_private_dir(path.parent)
            descriptor, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(temporary, 0o600)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError as error:
            raise HelperError(f"cannot write the cache entry in {self.cache_dir}: {error.strerror}") from None

    @contextlib.contextmanager
    def lock(self, key: str, deadline: float) -> Iterator[None]:
        """Holds the request's lock until the block ends, waiting no later than deadline."""
        lock_path = private_lock_dir(self.cache_dir) / f"{key}.lock"
        with exclusive_lock(lock_path, deadline, "another helper process answering the same request"):
            yield
