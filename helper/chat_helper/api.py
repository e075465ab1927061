"""The one API call: the openai SDK with its own retries off, under the retry policy."""

import json
import time
from typing import Any

from .api_errors import describe_api_failure
from .endpoint import Endpoint, api_key
from .errors import ApiError
from .pacing import RequestPacer
from .retry_policy import RetryPolicy, bounded_by
from .sdk import openai


def create_client(endpoint: Endpoint) -> openai.OpenAI:
    """The SDK client for the endpoint, with its own retries off: the retry policy is ours."""
    if endpoint.is_azure:
        return openai.AzureOpenAI(
            api_key=api_key(endpoint),
            azure_endpoint=endpoint.base_url,
            azure_deployment=endpoint.azure_deployment,
            api_version=endpoint.azure_api_version,
            max_retries=0,
        )
    return openai.OpenAI(
        api_key=api_key(endpoint),
        base_url=endpoint.base_url,
        organization=endpoint.organization,
        project=endpoint.project,
        max_retries=0,
    )


def create_chat_completion(
    request: dict[str, Any], endpoint: Endpoint, deadline: float, pacer: RequestPacer | None = None
) -> dict[str, Any]:
    """POSTs the request and returns the response body as JSON; raises ApiError on failure."""
    client = create_client(endpoint)
    policy = RetryPolicy(deadline)
    started = time.monotonic()

    def send(seconds_left: float) -> str:
        with bounded_by(deadline):
            raw = client.with_options(timeout=seconds_left).chat.completions.with_raw_response.create(**request)
            return raw.http_response.text

    def attempt(seconds_left: float) -> str:
        if pacer is None:
            return send(seconds_left)
        stamp = pacer.wait_turn(deadline)
        try:
            return send(max(0.01, deadline - time.monotonic()))
        finally:
            pacer.finish(stamp, deadline)  # outside the bound: it may take the pacing lock until deadline + 5 s

    try:
        body = policy.call(attempt)
    except openai.OpenAIError as error:
        raise ApiError(describe_api_failure(error, request, endpoint, policy, started)) from None
    return decode_body(body, endpoint)


def decode_body(body: str, endpoint: Endpoint) -> dict[str, Any]:
    try:
        response = json.loads(body)
    except ValueError:
        raise ApiError(
            f"malformed response from {endpoint.base_url}: the body is not JSON "
            f"({len(body)} bytes, starting {body[:60]!r}); nothing was cached"
        ) from None
    if not isinstance(response, dict):
        raise ApiError(f"malformed response from {endpoint.base_url}: expected a JSON object; nothing was cached")
    return response
