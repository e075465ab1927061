"""A failed read of stored completions as one line: the API's failure with advice about ids and access."""

from ..openai_api.failures import ApiFailure


def failure_line(failure: ApiFailure, completion_id: str | None) -> str:
    """completion_id is the id being read, or None for a list."""
    base_url = failure.endpoint.base_url
    if failure.status == 403:
        return failure.line(
            f"this key's organization or project may not read stored completions at {base_url}; "
            f"check its permissions (stored completions are visible to the project that stored them)"
        )
    if failure.route_not_served:
        return (
            f"the server at {base_url} does not serve stored chat completions ({failure.head}) -> check base_url: "
            f"stored completions are read from the API that stored them (api.openai.com or Azure OpenAI); "
            f"gateways and most compatible servers do not serve these reads"
        )
    if failure.status == 404 and completion_id is not None:
        return (
            f"no stored chat completion with id {completion_id!r} at {base_url} ({failure.head}) -> check "
            f"completion_id: only completions created with store = true, in this organization and project, can "
            f"be read, and deleted ones are gone; if the id is right, check that base_url serves stored completions"
        )
    if failure.status == 404:
        return failure.line(
            f"{base_url} does not serve stored chat completions (GET /chat/completions); "
            f"check base_url: not every OpenAI-compatible server stores completions"
        )
    return failure.line()
