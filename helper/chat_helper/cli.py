"""The single entry and exit point: query in, result or one line of error out."""

import json
import sys
import time
from typing import Any, TextIO

from .cache_layers import LayeredCache
from .endpoint import Endpoint, resolve_endpoint
from .errors import ApiError, CacheMissError, HelperError, NeedsMoreThanCache
from .fingerprint import request_identity, request_sha256
from .guardrails import enforce_guardrails
from .inputs import Invocation, Settings, parse_query
from .pacing import RequestPacer
from .protocol import encode_result, read_query, write_result
from .redaction import safe_line
from .result import flatten_response
from .structured_output import parsed_answer


def answer(invocation: Invocation, cache_only: bool = False) -> dict[str, str]:
    """query -> validated request -> (cache | API) -> checked answer -> flat result.

    With cache_only, a call that needs more than reading a stored answer raises NeedsMoreThanCache
    before it has locked, written or sent anything, but for that read (an answer read from the object
    store is copied into the local folder, atomically).
    """
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
        raise CacheMissError(_replay_miss(invocation.request, key, settings, cache.store_display))
    with cache.claim(key, deadline) as cached:
        if cached is not None:
            return _accepted(invocation, cached, key)
        response = _call_api(invocation, endpoint, deadline)
        result = _accepted(invocation, response, key)  # a malformed or refused answer raises before it is stored
        kept = cache.keep(key, identity, response)  # another machine's, when it stored first
        return result if kept is response else _accepted(invocation, kept, key)


def _accepted(invocation: Invocation, response: dict[str, Any], key: str) -> dict[str, str]:
    """The flat result, once the answer passed the guardrails and, for JSON formats, its schema."""
    result = flatten_response(response, key)
    enforce_guardrails(response, invocation.settings)
    parsed = parsed_answer(invocation.request, response, invocation.settings.sensitive)
    result["parsed"] = json.dumps(parsed, ensure_ascii=False, sort_keys=True)
    return result


def _usable(response: dict[str, Any], key: str) -> bool:
    """Whether a stored response can be answered with (a broken local entry is a miss, and is replaced)."""
    try:
        flatten_response(response, key)
    except ApiError:
        return False
    return True


def _call_api(invocation: Invocation, endpoint: Endpoint, deadline: float) -> dict[str, Any]:
    from .api import create_chat_completion

    settings = invocation.settings
    pacer = None
    if settings.requests_per_minute is not None:
        pacer = RequestPacer(settings.cache_dir, endpoint.identity, settings.requests_per_minute)
    return create_chat_completion(invocation.request, endpoint, deadline, pacer)


def _replay_miss(request: dict[str, Any], key: str, settings: Settings, store: str | None) -> str:
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


def respond(query: dict[str, str], cache_only: bool = False) -> dict[str, str]:
    """Routes a query: stored_completion's carry an operation, chat_completion's do not."""
    if "operation" in query:
        if cache_only:
            raise NeedsMoreThanCache  # stored completions are read from the API every time
        from .stored_completions import answer_stored

        return answer_stored(query)
    return answer(parse_query(query), cache_only)


def _module_name(query: dict[str, str] | None) -> str:
    return "stored_completion" if query is not None and "operation" in query else "chat_completion"


def main(
    stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr, cache_only: bool = False
) -> int:
    """Answers one query. cache_only (the worker's own fast path) raises NeedsMoreThanCache on a call
    that needs the API or writes to the cache; everything else it answers as a full run would."""
    query: dict[str, str] | None = None
    try:
        query = read_query(stdin)
        encoded = encode_result(respond(query, cache_only))
    except HelperError as error:
        stderr.write(safe_line(f"{_module_name(query)}: {error}") + "\n")
        return 1
    except RecursionError:
        stderr.write(f"{_module_name(query)}: the query or the response is nested too deeply\n")
        return 1
    except KeyboardInterrupt:
        if cache_only:
            raise  # the worker's own: it stops, and its callers answer in-process
        stderr.write(f"{_module_name(query)}: interrupted\n")
        return 1
    except Exception as error:  # the last guard: never a traceback on a user's screen
        stderr.write(
            safe_line(f"{_module_name(query)}: internal error ({type(error).__name__}: {error}); please report it")
            + "\n"
        )
        return 1
    write_result(encoded, stdout)
    return 0
