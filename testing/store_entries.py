"""What the object store tests share: a store's cache_url, the cache key of a request, entries and leases
written by hand."""

from __future__ import annotations

import json
import os
from typing import Any, Protocol
from unittest import mock


class HasEndpoint(Protocol):
    """A test S3 server, or a fault proxy in front of one."""

    @property
    def endpoint_url(self) -> str: ...


COMPETING_CONTENT = "The answer another machine stored first."


def store_url(server: HasEndpoint, bucket: str, prefix: str = "answers") -> str:
    """cache_url for a prefix of a bucket on a test server (or on a fault proxy in front of one)."""
    return f"s3://{bucket}/{prefix}?endpoint={server.endpoint_url}"


def request_key(inputs: dict[str, Any]) -> str:
    """The request_sha256 the helper computes for these inputs (base_url among them), in this process."""
    from chat_helper.answers.fingerprint import request_identity, request_sha256
    from chat_helper.chat.request import parse_query
    from chat_helper.openai_api.endpoint import resolve_endpoint

    query = {name: json.dumps(value) for name, value in inputs.items() if value is not None}
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CHAT_HELPER_"))}
    with mock.patch.dict(os.environ, environment, clear=True):
        invocation = parse_query(query)
        endpoint = resolve_endpoint(invocation.settings.endpoint)
    return request_sha256(request_identity(invocation.request, endpoint.identity, invocation.settings.regenerate))


def entry(key: str, content: str = COMPETING_CONTENT, completion_id: str = "chatcmpl-stored-first") -> bytes:
    """A valid cache entry for key, as another machine would have stored it."""
    response = {
        "id": completion_id,
        "object": "chat.completion",
        "created": 1700000000,
        "model": "gpt-4o",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    document = {"format": 1, "request_sha256": key, "identity": {"note": "written by the test"}, "response": response}
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()


def lease(key: str, seconds: float, holder: str = "another-machine") -> bytes:
    return json.dumps({"format": 1, "holder": holder, "request_sha256": key, "seconds": seconds}).encode()
