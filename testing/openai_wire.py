"""What every endpoint of the loopback server shares: the Reply step, the API's error body, cursor pages.

Both openai_server.py (Chat Completions, stored completions) and responses_api.py import it, so that
neither imports the other's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    """Answer with this status, JSON body and headers."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def api_error(
    status: int,
    message: str,
    type_: str,
    code: str | None,
    param: str | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """A Reply with the API's real error body."""
    body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
    return Reply(status, body, headers or {})


def flex_unavailable() -> Reply:
    """Flex processing with no capacity: the 429 "Resource Unavailable" of OpenAI's Flex guide (not charged)."""
    return api_error(
        429,
        "Resource Unavailable: Flex processing has no capacity for this request right now. Retry later, or "
        "retry with service_tier set to auto.",
        "invalid_request_error",
        "resource_unavailable",
    )


def unparsable_body() -> Reply:
    return api_error(400, "We could not parse the JSON body of your request.", "invalid_request_error", None)


def unknown_url(method: str, path: str) -> Reply:
    return api_error(404, f"Unknown request URL: {method} {path}.", "invalid_request_error", "unknown_url")


def cursor_params_error(params: dict[str, list[str]]) -> Reply | None:
    """The API's 400 for a limit outside 1 to 100 or an order other than asc and desc."""
    limit = params.get("limit", ["20"])[0]
    if not limit.isdigit() or not 1 <= int(limit) <= 100:
        return api_error(
            400,
            f"Invalid 'limit': expected an integer from 1 to 100, but got {limit!r} instead.",
            "invalid_request_error",
            "invalid_value",
            "limit",
        )
    order = params.get("order", ["asc"])[0]
    if order not in ("asc", "desc"):
        return api_error(
            400,
            f"Invalid value for 'order': expected one of 'asc' or 'desc', but got {order!r} instead.",
            "invalid_request_error",
            "invalid_value",
            "order",
        )
    return None


def cursor_page(
    items: list[dict[str, Any]], params: dict[str, list[str]], page_limit: int, default_order: str = "asc"
) -> dict[str, Any]:
    """One page of a cursor list, as the API pages: order, after, limit, first_id/last_id/has_more.

    items are in ascending order; page_limit caps limit (tests lower it so that a few items span pages).
    """
    if params.get("order", [default_order])[0] == "desc":
        items = items[::-1]
    if "after" in params:
        ids = [i["id"] for i in items]
        start = ids.index(params["after"][0]) + 1 if params["after"][0] in ids else len(ids)
        items = items[start:]
    limit = min(int(params.get("limit", ["20"])[0]), page_limit)
    page = items[:limit]
    return {
        "object": "list",
        "data": page,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
        "has_more": len(items) > limit,
    }


def sample_instance(schema: Any) -> Any:
    """A small value that satisfies a simple JSON Schema (enough for the tests' schemas)."""
    if not isinstance(schema, dict):
        return None
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        required = schema.get("required", list(properties))
        return {name: sample_instance(properties[name]) for name in required if name in properties}
    if kind == "array":
        return [sample_instance(schema.get("items", {}))] * max(1, int(schema.get("minItems", 1)))
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1.5))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return "sample"
