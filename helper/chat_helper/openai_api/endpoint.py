"""Where requests go and with which key; the keys are read here and nowhere else."""

import json
import os
from dataclasses import dataclass

from ..core.errors import ConfigurationError
from ..core.redaction import url_without_credentials
from ..core.settings import DEFAULT_BASE_URL, URL_RULE, EndpointSettings, is_url

API_KEY_VARIABLE = "OPENAI_API_KEY"
AZURE_API_KEY_VARIABLE = "AZURE_OPENAI_API_KEY"


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    organization: str | None
    project: str | None
    azure_deployment: str | None = None
    azure_api_version: str | None = None

    @property
    def is_azure(self) -> bool:
        return self.azure_deployment is not None

    @property
    def key_variable(self) -> str:
        return AZURE_API_KEY_VARIABLE if self.is_azure else API_KEY_VARIABLE

    @property
    def identity(self) -> str:
        """The part of the endpoint that can change an answer (goes into the cache key, and is written in
        every entry): never a credential the base URL carries, and never the same for two configurations
        that differ (organization = "X" and project = "X").

        Kept as it always was, so that existing caches still hit, wherever that was unambiguous: the URL
        (with no credentials in it), then an organization and a project with no spaces and no "=", the
        organization alone unless it looks like a project ID (proj_...), the project alone only when it
        does. Anything else names its parts: organization="X", project="X"."""
        base_url = url_without_credentials(self.base_url)
        if self.is_azure:
            return " ".join(part for part in (base_url, self.azure_deployment, self.azure_api_version) if part)
        return " ".join(part for part in (base_url, *self._openai_parts()) if part)

    def _openai_parts(self) -> tuple[str, ...]:
        organization, project = self.organization, self.project
        plain = all(part is None or _plain(part) for part in (organization, project))
        if organization is None and project is None:
            return ()
        if plain and organization is not None and project is not None:
            return organization, project
        if plain and project is None and organization is not None and not organization.startswith("proj_"):
            return (organization,)
        if plain and organization is None and project is not None and project.startswith("proj_"):
            return (project,)
        named = (("organization", organization), ("project", project))
        return tuple(f"{name}={json.dumps(value)}" for name, value in named if value is not None)


def _plain(part: str) -> bool:
    """Whether an organization or project can stand in the identity as it is: no spaces, no "="."""
    return "=" not in part and len(part.split()) == 1 and part.strip() == part


def resolve_endpoint(settings: EndpointSettings) -> Endpoint:
    """The endpoint the settings name: Azure's, base_url, OPENAI_BASE_URL, or the OpenAI API."""
    if settings.azure_endpoint is not None:
        return Endpoint(
            base_url=settings.azure_endpoint.rstrip("/"),
            organization=None,
            project=None,
            azure_deployment=settings.azure_deployment,
            azure_api_version=settings.azure_api_version,
        )
    base_url = settings.base_url or _environment_base_url() or DEFAULT_BASE_URL
    return Endpoint(
        base_url=base_url.rstrip("/"),
        organization=settings.organization or os.environ.get("OPENAI_ORG_ID") or None,
        project=settings.project or os.environ.get("OPENAI_PROJECT_ID") or None,
    )


def _environment_base_url() -> str | None:
    """OPENAI_BASE_URL, held to base_url's rule; its value is never shown (it may hold credentials)."""
    url = os.environ.get("OPENAI_BASE_URL") or None
    if url is not None and not is_url(url):
        raise ConfigurationError(
            f"OPENAI_BASE_URL {URL_RULE}, such as {DEFAULT_BASE_URL} (its value is not shown); fix it, or set base_url"
        )
    return url


def api_key(endpoint: Endpoint) -> str:
    """The endpoint's key from its variable, stripped; ConfigurationError (never showing it) when unusable."""
    variable = endpoint.key_variable
    key = os.environ.get(variable, "").strip()
    if not key:
        where = "Azure OpenAI resource" if endpoint.is_azure else "request"
        raise ConfigurationError(
            f"{variable} is not set: export {variable}=<your key> before terraform plan/apply "
            f"(the {where} goes to {endpoint.base_url}; for a local OpenAI-compatible server set base_url "
            f"or OPENAI_BASE_URL, and any non-empty key it accepts)"
        )
    if not key.isprintable() or not key.isascii() or " " in key:
        raise ConfigurationError(
            f"{variable} contains spaces, control or non-ASCII characters; check how it is exported "
            f"(the key is not shown)"
        )
    return key
