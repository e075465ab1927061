"""A failed request for an answer as one line: the API's failure, with advice about the model and the endpoint.

Both APIs that answer (chat completions, responses) fail alike for the same causes; each flow says
which API it asked and what makes its request shorter.
"""

from dataclasses import dataclass
from typing import Any

from ..openai_api.failures import ApiFailure
from ..openai_api.rate_headers import read_report


@dataclass(frozen=True)
class AskedApi:
    """name: the API, for an endpoint that does not serve it ("chat completions API"); too_long: what the
    advice for a request that does not fit the model's context says, {model} standing for the model."""

    name: str
    too_long: str


def too_large_line(model: Any, meter: str, period: str, limit: float | None, requested: float | None) -> str:
    """The line of a request larger than a rate limit itself, which no wait can mend (never retried)."""
    unit = "tokens" if meter == "tokens" else "requests"
    limit_text = f"{limit:,.0f} {unit}" if limit is not None else f"the {unit} limit"
    estimate = f"{requested:,.0f}" if requested is not None else "more"
    return (
        f"request too large for model {model!r}'s rate limit: its estimated {estimate} {unit} are more than its "
        f"{period} limit of {limit_text}, so no wait can send it (not retried); lower max_tokens / "
        f"max_completion_tokens / max_output_tokens (counted in full, times n) or shorten the messages or input"
    )


def failure_line(failure: ApiFailure, model: Any, api: AskedApi) -> str:
    """The line for a request for model to api."""
    return failure.line(_advice(failure, model, api))


def _advice(failure: ApiFailure, model: Any, api: AskedApi) -> str | None:
    """Advice for the statuses whose cause is this request's; None leaves the general advice."""
    status, cause, endpoint = failure.status, failure.cause, failure.endpoint
    if cause == "too_large":
        too_large = read_report({}, 429, failure.message).too_large
        if too_large is not None:
            return too_large_line(model, too_large.meter, too_large.period, too_large.limit, too_large.requested)
    if cause == "unknown_model":
        return f"model {model!r} does not exist or this key has no access to it; check the model input"
    if cause == "context_length":
        return api.too_long.format(model=repr(model))
    if status == 403:
        return f"the key's organization or project has no access to model {model!r} here; check its permissions"
    if status == 404 and endpoint.is_azure:
        return (
            f"Azure found no deployment {endpoint.azure_deployment!r} for API version "
            f"{endpoint.azure_api_version} at {endpoint.base_url}; check azure_deployment and azure_api_version"
        )
    if status in (404, 405):
        return f"the endpoint {endpoint.base_url} has no {api.name} here; check base_url"
    return None
