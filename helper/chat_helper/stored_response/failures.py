"""A failed read of a stored response as one line: the API's failure with advice about the id and the endpoint."""

from ..openai_api.failures import ApiFailure

# What a server that does not serve an endpoint answers: the API's own unknown URL, or no such method.
NOT_SERVED_CODES = ("unknown_url",)


def failure_line(failure: ApiFailure, response_id: str, what: str) -> str:
    """what: the read that failed, such as GET /responses/{id}."""
    base_url = failure.endpoint.base_url
    if failure.status == 405 or (failure.status == 404 and failure.code in NOT_SERVED_CODES):
        return failure.line(
            f"{base_url} does not serve stored responses ({what}); check base_url: not every OpenAI-compatible "
            f"server stores responses"
        )
    if failure.status == 404:
        return (
            f"no stored response with id {response_id!r} at {base_url} ({failure.head}) -> check response_id: only "
            f"responses made with store = true (the API's default), in this organization and project, can be read, "
            f"and deleted or expired ones are gone; if the id is right, check that base_url serves stored responses"
        )
    if failure.status == 403:
        return failure.line(
            f"this key's organization or project may not read stored responses at {base_url}; check its "
            f"permissions (a stored response is visible to the project that made it)"
        )
    return failure.line()
