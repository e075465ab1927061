"""The single entry and exit point: query in, result or one line of error out."""

import sys
import time
from typing import Any, TextIO

from .cache import ResponseCache
from .endpoint import resolve_endpoint
from .errors import ApiError, CacheMissError, HelperError
from .fingerprint import request_identity, request_sha256
from .inputs import Invocation, parse_query
from .protocol import encode_result, read_query, write_result
from .redaction import safe_line
from .result import flatten_response


def answer(invocation: Invocation) -> dict[str, str]:
    """query -> validated request -> (cache | API) -> flat result."""
    settings = invocation.settings
    deadline = time.monotonic() + settings.timeout_seconds
    endpoint = resolve_endpoint(settings)
    identity = request_identity(invocation.request, endpoint.identity, settings.regenerate)
    key = request_sha256(identity)
    cache = ResponseCache(settings.cache_dir) if settings.cache_mode != "off" else None
    if cache is not None:
        cached = _cached_result(cache, key)
        if cached is not None:
            return cached

    # Only a miss pays for validation and the SDK import: a stored request was valid when stored.
    from .request_rules import validate_request

    validate_request(invocation.request)
    if cache is None:
        return _call_api(invocation, endpoint, deadline, key)
    if settings.cache_mode == "replay":
        raise CacheMissError(_replay_miss(invocation.request, key, settings.cache_dir))
    with cache.lock(key, deadline):
        cached = _cached_result(cache, key)
        if cached is not None:
            return cached
        from .api import create_chat_completion

        response = create_chat_completion(invocation.request, endpoint, deadline)
        result = flatten_response(response, key)  # a malformed response raises before it is stored
        cache.store(key, identity, response)
        return result


def _cached_result(cache: ResponseCache, key: str) -> dict[str, str] | None:
    """The stored answer, or None when absent or unusable (a broken entry is a miss and is replaced)."""
    stored = cache.load(key)
    if stored is None:
        return None
    try:
        return flatten_response(stored, key)
    except ApiError:
        return None


def _call_api(invocation: Invocation, endpoint: Any, deadline: float, key: str) -> dict[str, str]:
    from .api import create_chat_completion

    return flatten_response(create_chat_completion(invocation.request, endpoint, deadline), key)


def _replay_miss(request: dict[str, Any], key: str, cache_dir: str) -> str:
    first_user = next((m.get("content", "") for m in request["messages"] if m.get("role") == "user"), "")
    preview = first_user if len(first_user) <= 80 else first_user[:77] + "..."
    return (
        f'cache_mode = "replay" and no stored answer for the request whose first user message is '
        f"{preview!r} (request_sha256 {key[:12]}) in cache folder {cache_dir}; record it with "
        f'cache_mode = "read-write" and an API key, then commit the folder'
    )


def main(stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    try:
        encoded = encode_result(answer(parse_query(read_query(stdin))))
    except HelperError as error:
        stderr.write(safe_line(f"chat_completion: {error}") + "\n")
        return 1
    except RecursionError:
        stderr.write("chat_completion: the query or the response is nested too deeply\n")
        return 1
    except KeyboardInterrupt:
        stderr.write("chat_completion: interrupted\n")
        return 1
    except Exception as error:  # the last guard: never a traceback on a user's screen
        stderr.write(
            safe_line(f"chat_completion: internal error ({type(error).__name__}: {error}); please report it") + "\n"
        )
        return 1
    write_result(encoded, stdout)
    return 0
