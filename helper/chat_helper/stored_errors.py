"""Failures reading stored completions, as one line: api_errors' wording, with advice about ids and access."""

from .api_errors import describe_api_failure
from .endpoint import Endpoint
from .retry_policy import RetryPolicy
from .sdk import openai


def describe_stored_failure(
    error: openai.OpenAIError, completion_id: str | None, endpoint: Endpoint, policy: RetryPolicy, started: float
) -> str:
    """completion_id is the id being read, or None for a list."""
    described = describe_api_failure(error, {}, endpoint, policy, started)
    if not isinstance(error, openai.APIStatusError) or error.status_code not in (403, 404):
        return described
    head = described.rpartition(" -> ")[0]  # status, code and the API's message; the advice follows " -> "
    if error.status_code == 403:
        return (
            f"{head} -> this key's organization or project may not read stored completions at {endpoint.base_url}; "
            f"check its permissions (stored completions are visible to the project that stored them)"
        )
    if completion_id is not None:
        return (
            f"no stored chat completion with id {completion_id!r} at {endpoint.base_url} ({head}) -> check "
            f"completion_id: only completions created with store = true, in this organization and project, can "
            f"be read, and deleted ones are gone; if the id is right, check that base_url serves stored completions"
        )
    return (
        f"{head} -> {endpoint.base_url} does not serve stored chat completions (GET /chat/completions); "
        f"check base_url: not every OpenAI-compatible server stores completions"
    )
