"""modules/stored_response's flow: query -> the id to read -> API reads (never the cache) -> values."""

import time
from typing import Any

from ..core.errors import NeedsMoreThanCache
from ..core.run import Run
from ..openai_api.endpoint import resolve_endpoint
from .outputs import stored_values
from .query import parse_stored_response_query


def answer(query: dict[str, str], run: Run, cache_only: bool = False) -> dict[str, Any]:
    """Reads one stored response with every one of its input items (run: unused, reads cost nothing)."""
    if cache_only:
        raise NeedsMoreThanCache  # stored responses are read from the API every time
    stored_query = parse_stored_response_query(query)  # bad input fails before the SDK import (about a second)
    deadline = time.monotonic() + stored_query.settings.timeout_seconds
    endpoint = resolve_endpoint(stored_query.settings)
    from .reads import StoredResponses

    api = StoredResponses(endpoint, deadline, stored_query.response_id)
    response = api.retrieve()
    return stored_values(response, api.input_items(), endpoint.base_url)


def import_deferred() -> None:
    """Imports what a read imports on first use (the SDK, tenacity): the worker's warm-up."""
    from . import reads  # noqa: F401
