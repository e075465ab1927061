"""The one API call of a response: POST /responses, its body decoded, its failures worded.

Imported only on a cache miss: it brings in the SDK (about a second).
"""

from typing import Any

from ..answers.failures import AskedApi, failure_line
from ..core.errors import ApiError
from ..openai_api.client import client_for, require_responses_api
from ..openai_api.endpoint import Endpoint
from ..openai_api.exchange import Pacer, exchange, json_object
from ..openai_api.failures import ApiFailure
from ..openai_api.flex import sent_with_fallback
from ..openai_api.sdk import openai

RESPONSES = AskedApi(
    "Responses API (POST /responses)",
    "the input does not fit model {model}'s context window: shorten input, input_items or instructions, "
    "start a new chain (a previous_response_id brings its whole conversation), or use a model with a larger context",
)


def create_response(
    request: dict[str, Any],
    endpoint: Endpoint,
    deadline: float,
    pacer: Pacer | None = None,
    flex_fallback: bool = False,
) -> dict[str, Any]:
    """The response body as JSON; ApiError, worded for modules/response, on failure. flex_fallback: a Flex
    request that finds no capacity is asked again at the standard tier (openai_api/flex.py)."""
    require_responses_api(client_for(endpoint))

    def send(client: openai.OpenAI) -> Any:
        return sent_with_fallback(client.responses.with_raw_response.create, request, flex_fallback)

    try:
        body = exchange(endpoint, deadline, send, pacer)
    except ApiFailure as failure:
        raise ApiError(_line(failure, request)) from None
    return json_object(body, endpoint)


def _line(failure: ApiFailure, request: dict[str, Any]) -> str:
    if failure.code == "previous_response_not_found":
        return failure.line(
            f"previous_response_id {request.get('previous_response_id')!r} names no response stored here: chain "
            f"only to a response made with store = true (the API's default), in this organization and project, "
            f"neither deleted nor expired (the API keeps responses 30 days; a cached one keeps its id: change the "
            f"regenerate input of the block that made it to make a new one)"
        )
    return failure_line(failure, request.get("model"), RESPONSES)
