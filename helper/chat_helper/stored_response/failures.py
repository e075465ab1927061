"""A failed read of a stored response as one line: the API's failure with advice about the id and the endpoint."""

from ..openai_api.failures import ApiFailure


def failure_line(failure: ApiFailure, response_id: str, what: str) -> str:
    """what: the read that failed, such as GET /responses/{id}."""
    base_url = failure.endpoint.base_url
    if failure.route_not_served:
        return (
            f"the server at {base_url} does not serve stored responses ({what}: {failure.head}) -> check base_url: "
            f"stored responses are read from the API that stored them (api.openai.com or Azure OpenAI); gateways "
            f"and most compatible servers do not serve these reads"
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
