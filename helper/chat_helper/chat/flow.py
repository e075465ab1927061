"""modules/chat_completion's flow: query -> validated request -> (cache | API) -> checked answer -> values."""

import time
from typing import Any

from ..core.errors import ApiError, CacheMissError, NeedsMoreThanCache
from ..openai_api.completion import MalformedCompletion, completion_values
from ..openai_api.endpoint import Endpoint, resolve_endpoint
from .cache_layers import LayeredCache
from .fingerprint import request_identity, request_sha256
from .guardrails import enforce_guardrails
from .request import Invocation, parse_query
from .structured_output import parsed_answer


def answer(query: dict[str, str], cache_only: bool = False) -> dict[str, Any]:
    """The outputs for a chat_completion query, from the cache when the same request was answered before.

    With cache_only, a call that needs more than reading a stored answer raises NeedsMoreThanCache
    before it has locked, written or sent anything, but for that read (an answer read from the object
    store is copied into the local folder, atomically).
    """
    invocation = parse_query(query)
    settings = invocation.settings
    deadline = time.monotonic() + settings.timeout_seconds
    endpoint = resolve_endpoint(settings)
    identity = request_identity(invocation.request, endpoint.identity, settings.regenerate)
    key = request_sha256(identity)
    cache = LayeredCache(settings, _usable) if settings.cache_mode != "off" else None
    if cache is not None:
        cached = cache.lookup(key, deadline, cache_only)
        if cached is not None:
            return _accepted(invocation, cached, key)
    if cache_only:
        raise NeedsMoreThanCache

    # Only a miss pays for validation and the SDK import: a stored request was valid when stored.
    from .request_rules import validate_request

    validate_request(invocation.request)
    if cache is None:
        return _accepted(invocation, _call_api(invocation, endpoint, deadline), key)
    if settings.cache_mode == "replay":
        raise CacheMissError(_replay_miss(invocation, key, cache.store_display))
    with cache.claim(key, deadline) as cached:
        if cached is not None:
            return _accepted(invocation, cached, key)
        response = _call_api(invocation, endpoint, deadline)
        values = _accepted(invocation, response, key)  # a malformed or refused answer raises before it is stored
        kept = cache.keep(key, identity, response)  # another machine's, when it stored first
        return values if kept is response else _accepted(invocation, kept, key)


def import_deferred() -> None:
    """Imports what a cache miss imports on first use (the SDK, jsonschema, tenacity): the worker's warm-up."""
    from . import api_call, pacing, request_rules  # noqa: F401


def _accepted(invocation: Invocation, response: dict[str, Any], key: str) -> dict[str, Any]:
    """The outputs, once the answer passed the guardrails and, for JSON formats, its schema."""
    try:
        values = completion_values(response)
    except MalformedCompletion as malformed:
        problem = "it has no choices" if malformed.choice is None else f"choice {malformed.choice} has no message"
        raise ApiError(f"malformed response: {problem}; nothing was cached") from None
    enforce_guardrails(response, invocation.settings)
    values["request_sha256"] = key
    values["parsed"] = parsed_answer(invocation.request, response, invocation.settings.sensitive)
    return values


def _usable(response: dict[str, Any], key: str) -> bool:
    """Whether a stored response can be answered with (a broken local entry is a miss, and is replaced)."""
    try:
        completion_values(response)
    except MalformedCompletion:
        return False
    return True


def _call_api(invocation: Invocation, endpoint: Endpoint, deadline: float) -> dict[str, Any]:
    from .api_call import create_chat_completion
    from .pacing import RequestPacer

    settings = invocation.settings
    pacer = None
    if settings.requests_per_minute is not None:
        pacer = RequestPacer(settings.cache_dir, endpoint.identity, settings.requests_per_minute)
    return create_chat_completion(invocation.request, endpoint, deadline, pacer)


def _replay_miss(invocation: Invocation, key: str, store: str | None) -> str:
    request, settings = invocation.request, invocation.settings
    first_user = next((m.get("content", "") for m in request["messages"] if m.get("role") == "user"), "")
    preview = repr(first_user if len(first_user) <= 80 else first_user[:77] + "...")
    if settings.sensitive:
        preview = "(hidden: sensitive = true)"
    return (
        f'cache_mode = "replay" and no stored answer for the request whose first user message is '
        f"{preview} (request_sha256 {key[:12]}) in cache folder {settings.cache_dir}"
        + (f" nor in the object store {store}" if store else "")
        + '; record it with cache_mode = "read-write" and an API key'
        + (" (the store then has it)" if store else ", then commit the folder")
    )
