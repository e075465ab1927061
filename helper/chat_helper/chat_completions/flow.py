"""modules/chat_completions' flow: every key answered as chat_completion answers one request.

query -> one chat question per key -> the cache (every key) -> the rules (every miss, before any request)
-> the API (the misses, concurrently) -> outputs by key. Identical requests are asked once. A key that
fails (its stored answer refused by this block's guardrails, its request, the store) fails the read, one
line per failed key, and every other key is still answered and kept in the cache.
"""

import functools
import time
from typing import Any

from ..answers.answer import Prepared, from_api, from_cache, prepare
from ..chat.flow import ChatQuestion
from ..core.errors import AnswerError, ApiError, HelperError, InputError, ManyErrors, NeedsMoreThanCache
from ..core.run import Run
from .outputs import batch_values
from .query import KeyedRequest, keyed_input_error, parse_batch_query


def answer(query: dict[str, str], run: Run, cache_only: bool = False) -> dict[str, Any]:
    """The outputs for a chat_completions query: every key's, from the cache where it was answered before."""
    batch = parse_batch_query(query)
    if batch.failures:  # a key breaks a rule: every key's lines, and no cache or request
        if cache_only:
            raise NeedsMoreThanCache
        _validate(batch.requests, batch.failures, fail_anyway=True)
    prepared = {keyed.key: prepare(ChatQuestion(keyed.invocation), run) for keyed in batch.requests}
    outputs, failures = _from_cache(batch.requests, prepared, batch.settings.timeout_seconds, cache_only)
    missing = [keyed for keyed in batch.requests if keyed.key not in outputs and keyed.key not in failures]
    if missing and cache_only:
        raise NeedsMoreThanCache
    _validate(missing, failures)
    answered, failed, block_line = _ask(missing, prepared, batch.max_concurrency, batch.settings.timeout_seconds)
    outputs.update(answered)
    failures.update(failed)
    if failures or block_line:
        raise ManyErrors(([block_line] if block_line else []) + [failures[key] for key in sorted(failures)])
    return batch_values({keyed.key: outputs[keyed.key] for keyed in batch.requests})


def import_deferred() -> None:
    """What a miss imports on first use: the chat flow's, and the threads' module."""
    from ..answers import concurrently  # noqa: F401
    from ..chat.flow import import_deferred as import_chat

    import_chat()


def _from_cache(
    keyed_requests: list[KeyedRequest], prepared: dict[str, Prepared], budget_seconds: float, cache_only: bool
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The outputs of the keys answered before, and the line of each key whose stored answer cannot be used
    (this block's guardrails refuse it: allow_* are not part of the request; or the store failed to read
    it): that key fails, and the others go on. Reading every key's stored answer shares one budget; once
    the store failed, the other keys read only the folder here, and go to the store when they are asked
    (each with its own budget, concurrently), so that a store that is down costs no key's wait twice."""
    deadline = time.monotonic() + budget_seconds
    outputs: dict[str, dict[str, Any]] = {}
    failures: dict[str, str] = {}
    store_failed = False
    for keyed in keyed_requests:
        try:
            cached = from_cache(prepared[keyed.key], deadline, cache_only, local_only=store_failed)
        except AnswerError as error:  # refused by this block's guardrails
            failures[keyed.key] = f"{keyed.shown_key}: {error}"
            continue
        except HelperError as error:  # the store's (or its entry's)
            failures[keyed.key] = f"{keyed.shown_key}: {error}"
            store_failed = True
            continue
        if cached is not None:
            outputs[keyed.key] = cached
    return outputs, failures


def _validate(keyed_requests: list[KeyedRequest], failures: dict[str, str], fail_anyway: bool = False) -> None:
    """Every rule of every request to be sent, before any is sent: when a key breaks one (or fail_anyway),
    one line per key that does, with failures (the lines of keys that failed already, by key), in key order
    as Terraform sorts a map."""
    lines = {}
    for keyed in keyed_requests:
        try:
            ChatQuestion(keyed.invocation).validate()
        except InputError as error:
            lines[keyed.key] = str(keyed_input_error(error, keyed.shown_key, keyed.own_inputs))
    if lines or fail_anyway:
        lines.update(failures)
        raise ManyErrors([lines[key] for key in sorted(lines)])


def _ask(
    missing: list[KeyedRequest], prepared: dict[str, Prepared], limit: int, budget_seconds: float
) -> tuple[dict[str, dict[str, Any]], dict[str, str], str | None]:
    """The outputs of the keys not answered from the cache, each request asked once, at most limit at once
    (and as many as the rate limits let through: answers/pacing.py), each within its own time budget; the
    line of each key that failed, by key; and, when the limits say the requests not yet sent cannot fit in
    rate_limit_wait_seconds, the block's line (nothing more is then sent)."""
    if not missing:
        return {}, {}, None
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
        return from_api(one, deadline, wait_seconds)  # the turns' waits: bounded by the pacer, left out below

    tasks = {request_key: functools.partial(task, prepared[keyed[0].key]) for request_key, keyed in by_request.items()}

    def time_up(request_key: str) -> BaseException:
        endpoint = prepared[by_request[request_key][0].key].endpoint
        return ApiError(
            f"no answer from {endpoint.base_url} within the time budget; raise timeout_seconds, or check that the "
            f"endpoint is healthy"
        )

    results = run_concurrently(tasks, limit, budget_seconds, time_up, demand.waited)
    outputs: dict[str, dict[str, Any]] = {}
    failures: dict[str, str] = {}
    for request_key, keyed_requests in by_request.items():
        result = results[request_key]
        for keyed in keyed_requests:
            if isinstance(result, CannotFit):
                continue  # the block's line says it
            if isinstance(result, BaseException):
                failures[keyed.key] = f"{keyed.shown_key}: {_worded(result)}"
            else:
                outputs[keyed.key] = result
    return outputs, failures, None if demand.failure is None else f"requests: {demand.failure}"


def _worded(error: BaseException) -> str:
    if isinstance(error, HelperError):
        return str(error)
    return f"internal error ({type(error).__name__}: {error}); please report it"
