"""The stored-response reads: each GET under the retry policy, the input items' cursor pages followed to the end.

Nothing here is cached: GETs cost nothing, and a stored response can be deleted or expire. Imported only
once the query is valid: it brings in the SDK (about a second).
"""

import functools
from collections.abc import Callable
from typing import Any

from ..core.errors import ApiError
from ..openai_api.client import client_for, require_responses_api
from ..openai_api.endpoint import Endpoint
from ..openai_api.exchange import exchange, json_object
from ..openai_api.failures import ApiFailure
from ..openai_api.sdk import openai
from .failures import failure_line

PAGE_LIMIT = 100  # the largest page the API serves


class StoredResponses:
    """Reads one stored response and its input items from one endpoint, all within one deadline."""

    def __init__(self, endpoint: Endpoint, deadline: float, response_id: str) -> None:
        self.endpoint = endpoint
        self.deadline = deadline
        self.response_id = response_id
        require_responses_api(client_for(endpoint))

    def retrieve(self) -> dict[str, Any]:
        """GET /responses/{response_id}."""
        return self._get(
            f"GET /responses/{self.response_id}",
            lambda client: client.responses.with_raw_response.retrieve(self.response_id),
        )

    def input_items(self) -> list[dict[str, Any]]:
        """Every input item of the response, oldest first, across all pages (after = the last id)."""
        what = f"GET /responses/{self.response_id}/input_items"

        def page_after(client: openai.OpenAI, **cursor: Any) -> Any:
            return client.responses.input_items.with_raw_response.list(self.response_id, **cursor)

        items: list[dict[str, Any]] = []
        after: str | None = None
        seen: set[str] = set()
        while True:
            cursor: dict[str, Any] = {"order": "asc", "limit": PAGE_LIMIT, **({"after": after} if after else {})}
            page = self._get(what, functools.partial(page_after, **cursor))
            data = page.get("data")
            if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
                raise ApiError(f"malformed response from {self.endpoint.base_url}: {what} did not return a list page")
            items.extend(data)
            if page.get("has_more") is not True:
                return items
            last_id = page.get("last_id")
            if not isinstance(last_id, str):
                last_id = data[-1].get("id") if data and isinstance(data[-1].get("id"), str) else None
            if last_id is None or last_id in seen:
                raise ApiError(
                    f"malformed response from {self.endpoint.base_url}: {what} says has_more but its last_id "
                    f"does not lead to a new page"
                )
            seen.add(last_id)
            after = last_id

    def _get(self, what: str, send: Callable[[openai.OpenAI], Any]) -> dict[str, Any]:
        try:
            body = exchange(self.endpoint, self.deadline, send)
        except ApiFailure as failure:
            raise ApiError(failure_line(failure, self.response_id, what)) from None
        return json_object(body, self.endpoint, what)
