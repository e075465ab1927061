"""The stable identity of a request: everything that changes the answer, never the API key."""

import hashlib
import json
from typing import Any

FINGERPRINT_VERSION = 1


def request_identity(request: dict[str, Any], endpoint: str, regenerate: str, api: str | None = None) -> dict[str, Any]:
    """What the cache key is computed from; stored beside the answer so a reader can see it. api names the
    API for every API but chat completions, whose fingerprints were made before there was another."""
    identity = {"version": FINGERPRINT_VERSION, "endpoint": endpoint, "regenerate": regenerate, "request": request}
    if api is not None:
        identity["api"] = api
    return identity


def request_sha256(identity: dict[str, Any]) -> str:
    canonical = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
