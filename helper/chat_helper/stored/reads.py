"""The stored-completion reads: each GET under the retry policy, cursor pages followed to the end.

Nothing here is cached: GETs cost nothing, and stored metadata can change or a completion be deleted.
Imported only once the query is valid: it brings in the SDK (about a second).
"""

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.errors import ApiError, ConfigurationError
from ..openai_api.client import client_for
from ..openai_api.endpoint import Endpoint
from ..openai_api.exchange import exchange, json_object
from ..openai_api.failures import ApiFailure
from ..openai_api.sdk import openai
from .failures import failure_line

PAGE_LIMIT = 100  # the largest page the API serves
FIRST_SDK_WITH_STORED_COMPLETIONS = "1.63.0"


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    has_more: bool
    last_id: str | None


class StoredCompletions:
    """Reads stored chat completions from one endpoint, all within one deadline."""

    def __init__(self, endpoint: Endpoint, deadline: float) -> None:
        self.endpoint = endpoint
        self.deadline = deadline
        self.client = client_for(endpoint)
        if not hasattr(self.client.chat.completions, "messages"):
            raise ConfigurationError(
                f"the openai package {openai.__version__} predates stored chat completions; upgrade it with: "
                f'"{sys.executable}" -m pip install "openai>={FIRST_SDK_WITH_STORED_COMPLETIONS}"'
            )

    def retrieve(self, completion_id: str) -> dict[str, Any]:
        """GET /chat/completions/{completion_id}."""
        return self._get(
            f"GET /chat/completions/{completion_id}",
            completion_id,
            lambda client: client.chat.completions.with_raw_response.retrieve(completion_id),
        )

    def messages(self, completion_id: str) -> list[dict[str, Any]]:
        """Every stored request message, oldest first, across all pages."""

        def page(client: openai.OpenAI, **cursor: Any) -> Any:
            return client.chat.completions.messages.with_raw_response.list(completion_id, order="asc", **cursor)

        messages, _ = self._all_pages(f"GET /chat/completions/{completion_id}/messages", completion_id, page, None)
        return messages

    def list_completions(
        self, model: str | None, metadata: dict[str, str], order: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], bool]:
        """Up to limit stored completions matching the filters, and whether more match."""
        filters: dict[str, Any] = {"model": model, "metadata": metadata or None, "order": order}
        filters = {name: value for name, value in filters.items() if value is not None}

        def page(client: openai.OpenAI, **cursor: Any) -> Any:
            return client.chat.completions.with_raw_response.list(**filters, **cursor)

        return self._all_pages("GET /chat/completions", None, page, limit)

    def _all_pages(
        self, what: str, completion_id: str | None, page: Callable[..., Any], wanted: int | None
    ) -> tuple[list[dict[str, Any]], bool]:
        """Follows after=last_id while has_more, stopping once wanted items are in hand."""
        items: list[dict[str, Any]] = []
        cursor: dict[str, Any] = {}
        seen_cursors: set[str] = set()
        while True:
            cursor["limit"] = PAGE_LIMIT if wanted is None else min(PAGE_LIMIT, wanted - len(items))
            current = self._page(what, self._get(what, completion_id, functools.partial(page, **cursor)))
            items.extend(current.items)
            if wanted is not None and len(items) >= wanted:
                return items[:wanted], current.has_more or len(items) > wanted
            if not current.has_more:
                return items, False
            if current.last_id is None or current.last_id in seen_cursors:
                raise ApiError(
                    f"malformed response from {self.endpoint.base_url}: {what} says has_more but its "
                    f"last_id does not lead to a new page"
                )
            seen_cursors.add(current.last_id)
            cursor["after"] = current.last_id

    def _get(self, what: str, completion_id: str | None, send: Callable[[openai.OpenAI], Any]) -> dict[str, Any]:
        try:
            body = exchange(self.endpoint, self.deadline, send)
        except ApiFailure as failure:
            raise ApiError(failure_line(failure, completion_id)) from None
        return json_object(body, self.endpoint, what)

    def _page(self, what: str, body: dict[str, Any]) -> Page:
        data = body.get("data")
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise ApiError(f"malformed response from {self.endpoint.base_url}: {what} did not return a list page")
        last_id = body.get("last_id")
        if not isinstance(last_id, str):
            last_id = data[-1].get("id") if data and isinstance(data[-1].get("id"), str) else None
        return Page(items=data, has_more=body.get("has_more") is True, last_id=last_id)
