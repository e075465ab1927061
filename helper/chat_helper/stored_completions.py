"""modules/stored_completion's reads: query -> validated read -> API (never the cache) -> flat result."""

import time

from .endpoint import resolve_endpoint
from .stored_query import parse_stored_query
from .stored_result import flatten_listed, flatten_retrieved, shaped_completion


def answer_stored(query: dict[str, str]) -> dict[str, str]:
    """Reads one stored completion with its messages, or lists stored completions by filters."""
    stored_query = parse_stored_query(query)  # bad input fails before the SDK import (about a second)
    deadline = time.monotonic() + stored_query.settings.timeout_seconds
    endpoint = resolve_endpoint(stored_query.settings)
    from .stored_api import StoredCompletions

    api = StoredCompletions(endpoint, deadline)
    if stored_query.completion_id is not None:
        completion = shaped_completion(api.retrieve(stored_query.completion_id), endpoint.base_url)
        return flatten_retrieved(completion, api.messages(stored_query.completion_id))
    completions, has_more = api.list_completions(
        stored_query.model, stored_query.metadata, stored_query.order, stored_query.limit
    )
    return flatten_listed(completions, has_more, endpoint.base_url)
