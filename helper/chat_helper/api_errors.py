"""API failures as one line a Terraform user can act on: status, the API's message, what to do."""

from typing import Any

from .endpoint import Endpoint
from .retry_policy import DeadlinePassed, RetryPolicy, describe_attempts, error_code
from .sdk import openai


def describe_api_failure(
    error: openai.OpenAIError, request: dict[str, Any], endpoint: Endpoint, policy: RetryPolicy, started: float
) -> str:
    attempts = describe_attempts(policy, started)
    model = request.get("model")
    if isinstance(error, (openai.APITimeoutError, DeadlinePassed)):
        return (
            f"no answer from {endpoint.base_url} within the time budget ({attempts}); "
            f"raise timeout_seconds, or check that the endpoint is healthy"
        )
    if isinstance(error, openai.APIConnectionError) and _broke_after_connecting(error):
        return (
            f"the connection to {endpoint.base_url} broke before the answer was complete "
            f"({_root_cause(error)}; {attempts}); nothing was cached; check the endpoint or a proxy in between"
        )
    if isinstance(error, openai.APIConnectionError):
        cause = _root_cause(error)
        setting = "azure_endpoint" if endpoint.is_azure else "base_url / OPENAI_BASE_URL"
        return f"cannot reach {endpoint.base_url} ({cause}; {attempts}); check {setting} and the network"
    if not isinstance(error, openai.APIStatusError):
        return f"the OpenAI client failed: {error}"
    status = error.status_code
    code = error_code(error)
    api_message = _api_message(error)
    head = f"OpenAI API error {status}" + (f" {code}" if code else "") + f": {api_message}"
    advice = _advice(status, code, model, endpoint)
    retried = f" (gave up after {attempts})" if policy.attempts > 1 else ""
    return f"{head}{retried} -> {advice}"


def _advice(status: int, code: str | None, model: Any, endpoint: Endpoint) -> str:
    if status == 401:
        return f"check {endpoint.key_variable}: the key was refused by {endpoint.base_url} (the key is not shown)"
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
    if status == 429 and code == "insufficient_quota":
        return "the account is out of quota: check the plan and billing details (not retried)"
    if status == 429:
        return "rate limited on every attempt: raise timeout_seconds, lower -parallelism, or try later"
    if status >= 500:
        return "the service failed on every attempt: try again later (a retry of plan/apply reuses cached answers)"
    if status in (400, 422):
        return "the API refused the request: check the input it names"
    return "see the message above"


def _api_message(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else None
        if isinstance(message, str):
            return message
    text = error.response.text if error.response is not None else ""
    return text[:300] if text else "(no message in the response)"


BROKEN_EXCHANGE_ERRORS = frozenset({"RemoteProtocolError", "ReadError", "WriteError"})


def _broke_after_connecting(error: BaseException) -> bool:
    """True when the server was reached but the exchange broke (dropped or truncated answer)."""
    # By name: the SDK's HTTP stack (httpx, or httpx2 in newer SDKs) is not ours to import.
    return type(_deepest_cause(error)).__name__ in BROKEN_EXCHANGE_ERRORS


def _root_cause(error: BaseException) -> str:
    cause = _deepest_cause(error)
    text = str(cause) or type(cause).__name__
    return text if cause is not error else "connection failed"


def _deepest_cause(error: BaseException) -> BaseException:
    cause = error
    while cause.__cause__ is not None:
        cause = cause.__cause__
    return cause
