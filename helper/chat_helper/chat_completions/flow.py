"""modules/chat_completions' flow: every key answered as chat_completion answers one request.

query -> one chat question per key -> the cache (every key) -> the rules (every miss, before any request)
-> the API (the misses, concurrently) -> outputs by key. Identical requests are asked once. A key that
fails fails the read, one line per failed key; every answer that arrived is kept in the cache.
"""

import functools
import time
from typing import Any

from ..answers.answer import Prepared, from_api, from_cache, prepare
from ..chat.flow import ChatQuestion
from ..core.errors import ApiError, HelperError, InputError, ManyErrors, NeedsMoreThanCache
from ..core.run import Run
from .outputs import batch_values
from .query import KeyedRequest, keyed_input_error, parse_batch_query


def answer(query: dict[str, str], run: Run, cache_only: bool = False) -> dict[str, Any]:
    """The outputs for a chat_completions query: every key's, from the cache where it was answered before."""
    batch = parse_batch_query(query)
    if batch.failures:  # a key breaks a rule: every key's lines, and no cache or request
        if cache_only:
            raise NeedsMoreThanCache
        _validate(batch.requests, batch.failures)
    deadline = time.monotonic() + batch.settings.timeout_seconds
    prepared = {keyed.key: prepare(ChatQuestion(keyed.invocation), run) for keyed in batch.requests}
    outputs: dict[str, dict[str, Any]] = {}
    for key, one in prepared.items():
        cached = from_cache(one, deadline, cache_only)
        if cached is not None:
            outputs[key] = cached
    missing = [keyed for keyed in batch.requests if keyed.key not in outputs]
    if missing and cache_only:
        raise NeedsMoreThanCache
    _validate(missing)
    outputs.update(_ask(missing, prepared, batch.max_concurrency, batch.settings.timeout_seconds))
    return batch_values({keyed.key: outputs[keyed.key] for keyed in batch.requests})


def import_deferred() -> None:
    """What a miss imports on first use: the chat flow's, and the threads' module."""
    from ..answers import concurrently  # noqa: F401
    from ..chat.flow import import_deferred as import_chat

    import_chat()


def _validate(keyed_requests: list[KeyedRequest], failures: dict[str, str] | None = None) -> None:
    """Every rule of every request to be sent, before any is sent: one line per key that breaks one
    (failures: the lines of keys that broke one already, by key), in key order as Terraform sorts a map."""
    lines = dict(failures or {})
    for keyed in keyed_requests:
        try:
            ChatQuestion(keyed.invocation).validate()
        except InputError as error:
            lines[keyed.key] = str(keyed_input_error(error, keyed.shown_key, keyed.own_inputs))
    if lines:
        raise ManyErrors([lines[key] for key in sorted(lines)])


def _ask(
    missing: list[KeyedRequest], prepared: dict[str, Prepared], limit: int, budget_seconds: float
) -> dict[str, dict[str, Any]]:
    """The outputs of the keys not answered from the cache, each request asked once, at most limit at once
    (and as many as the rate limits let through: answers/pacing.py); when the limits say the requests not
    yet sent cannot fit in rate_limit_wait_seconds, one line for the block, and nothing more is sent."""
    if not missing:
        return {}
    from ..answers.concurrently import run_concurrently
    from ..answers.pacing import CannotFit, Demand
    from ..answers.token_estimate import estimated_tokens

    by_request: dict[str, list[KeyedRequest]] = {}
    for keyed in missing:
        by_request.setdefault(prepared[keyed.key].key, []).append(keyed)
    firsts = [prepared[keyed[0].key] for keyed in by_request.values()]
    demand = Demand(
        [estimated_tokens(one.question.request) for one in firsts], firsts[0].question.settings.rate_limit_wait_seconds
    )
    for one in firsts:
        one.demand = demand
    wait_seconds = demand.wait_seconds

    def task(one: Prepared, deadline: float) -> dict[str, Any]:
        return from_api(one, deadline + wait_seconds)  # the turns' waits: bounded by the pacer, left out below

    tasks = {request_key: functools.partial(task, prepared[keyed[0].key]) for request_key, keyed in by_request.items()}

    def time_up(request_key: str) -> BaseException:
        endpoint = prepared[by_request[request_key][0].key].endpoint
        return ApiError(
            f"no answer from {endpoint.base_url} within the time budget; raise timeout_seconds, or check that the "
            f"endpoint is healthy"
        )

    results = run_concurrently(tasks, limit, budget_seconds, time_up, demand.waited)
    outputs: dict[str, dict[str, Any]] = {}
    failures = [] if demand.failure is None else [f"requests: {demand.failure}"]
    for request_key, keyed_requests in by_request.items():
        result = results[request_key]
        for keyed in keyed_requests:
            if isinstance(result, CannotFit):
                continue  # the block's line says it
            if isinstance(result, BaseException):
                failures.append(f"{keyed.shown_key}: {_worded(result)}")
            else:
                outputs[keyed.key] = result
    if failures:
        raise ManyErrors(failures)
    return outputs


def _worded(error: BaseException) -> str:
    if isinstance(error, HelperError):
        return str(error)
    return f"internal error ({type(error).__name__}: {error}); please report it"
