"""modules/stored_completion's flow: query -> what to read -> API reads (never the cache) -> values."""

import time
from typing import Any

from ..core.errors import NeedsMoreThanCache
from ..core.run import Run
from ..openai_api.endpoint import resolve_endpoint
from .outputs import listed_values, retrieved_values, stored_completion
from .query import parse_stored_query


def answer(query: dict[str, str], run: Run, cache_only: bool = False) -> dict[str, Any]:
    """Reads one stored completion with its messages, or lists stored completions by filters (run: unused,
    reads cost nothing)."""
    if cache_only:
        raise NeedsMoreThanCache  # stored completions are read from the API every time
    stored_query = parse_stored_query(query)  # bad input fails before the SDK import (about a second)
    deadline = time.monotonic() + stored_query.settings.timeout_seconds
    endpoint = resolve_endpoint(stored_query.settings)
    from .reads import StoredCompletions

    api = StoredCompletions(endpoint, deadline)
    if stored_query.completion_id is not None:
        completion = stored_completion(api.retrieve(stored_query.completion_id), endpoint.base_url)
        return retrieved_values(completion, api.messages(stored_query.completion_id))
    completions, has_more = api.list_completions(
        stored_query.model, stored_query.metadata, stored_query.order, stored_query.limit
    )
    return listed_values(completions, has_more, endpoint.base_url)


def import_deferred() -> None:
    """Imports what a read imports on first use (the SDK, tenacity): the worker's warm-up."""
    from . import reads  # noqa: F401
