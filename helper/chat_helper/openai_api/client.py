"""The SDK client of an endpoint, made once per endpoint and environment, with the SDK's own retries off."""

import inspect
import sys

from ..core.environment import relevant_environment
from ..core.errors import ConfigurationError
from .endpoint import Endpoint, api_key
from .sdk import openai

# The first SDK whose client.responses.create takes every parameter modules/response sends
# (prompt_cache_key and safety_identifier came last, in 1.98.0; client.responses itself in 1.66.0).
FIRST_SDK_WITH_RESPONSES = "1.98.0"

# Setting up a client (TLS above all) costs ~40 ms: the warm worker makes the default one before it
# forks, and every child whose call has the same endpoint and environment uses it.
_clients: dict[tuple[Endpoint, str], openai.OpenAI] = {}


def client_for(endpoint: Endpoint) -> openai.OpenAI:
    """The client for the endpoint under the current environment (the key and proxies come from it)."""
    key = (endpoint, relevant_environment())
    client = _clients.get(key)
    if client is None:
        client = _clients[key] = _new_client(endpoint)
    return client


def _new_client(endpoint: Endpoint) -> openai.OpenAI:
    """max_retries=0: the retry policy (retry.py) is the only one."""
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


def require_responses_api(client: openai.OpenAI) -> None:
    """ConfigurationError when the installed SDK predates the Responses API calls the helper makes (an
    interpreter of the user's own, with python_packages = "interpreter")."""
    create = getattr(getattr(client, "responses", None), "create", None)
    if create is None or "prompt_cache_key" not in inspect.signature(create).parameters:
        raise ConfigurationError(
            f"the openai package {openai.__version__} predates the Responses API as the helper calls it; upgrade "
            f'it with: "{sys.executable}" -m pip install "openai>={FIRST_SDK_WITH_RESPONSES}"'
        )
