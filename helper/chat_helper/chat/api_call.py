"""The one API call of a chat completion: POST /chat/completions, its body decoded, its failures worded.

Imported only on a cache miss: it brings in the SDK (about a second).
"""

from typing import Any

from ..answers.failures import AskedApi, failure_line
from ..core.errors import ApiError
from ..openai_api.endpoint import Endpoint
from ..openai_api.exchange import Pacer, exchange, json_object
from ..openai_api.failures import ApiFailure
from ..openai_api.flex import sent_with_fallback
from ..openai_api.sdk import openai

CHAT_COMPLETIONS = AskedApi(
    "chat completions API",
    "the messages do not fit model {model}'s context window: shorten messages, lower "
    "max_tokens / max_completion_tokens, or use a model with a larger context",
)


def create_chat_completion(
    request: dict[str, Any],
    endpoint: Endpoint,
    deadline: float,
    pacer: Pacer | None = None,
    flex_fallback: bool = False,
) -> dict[str, Any]:
    """The response body as JSON; ApiError, worded for chat_completion, on failure. flex_fallback: a Flex
    request that finds no capacity is asked again at the standard tier (openai_api/flex.py)."""

    def send(client: openai.OpenAI) -> Any:
        return sent_with_fallback(client.chat.completions.with_raw_response.create, request, flex_fallback)

    try:
        body = exchange(endpoint, deadline, send, pacer)
    except ApiFailure as failure:
        raise ApiError(failure_line(failure, request.get("model"), CHAT_COMPLETIONS)) from None
    return json_object(body, endpoint)
