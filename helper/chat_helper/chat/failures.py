"""A failed chat completion call as one line: the API's failure with advice about the model and the endpoint."""

from typing import Any

from ..openai_api.failures import ApiFailure


def failure_line(failure: ApiFailure, model: Any) -> str:
    """The line for a chat completion request for model."""
    return failure.line(_advice(failure, model))


def _advice(failure: ApiFailure, model: Any) -> str | None:
    """Advice for the statuses whose cause is this request's; None leaves the general advice."""
    status, code, endpoint = failure.status, failure.code, failure.endpoint
    if status == 403:
        return f"the key's organization or project has no access to model {model!r} here; check its permissions"
    if status == 404 and code == "model_not_found":
        return f"model {model!r} does not exist or this key has no access to it; check the model input"
    if status == 404 and endpoint.is_azure:
        return (
            f"Azure found no deployment {endpoint.azure_deployment!r} for API version "
            f"{endpoint.azure_api_version} at {endpoint.base_url}; check azure_deployment and azure_api_version"
        )
    if status == 404:
        return f"the endpoint {endpoint.base_url} has no chat completions API here; check base_url"
    if code == "context_length_exceeded":
        return (
            f"the messages do not fit model {model!r}'s context window: shorten messages, lower "
            f"max_tokens / max_completion_tokens, or use a model with a larger context"
        )
    return None
