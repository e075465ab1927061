"""Where requests go and with which key; the key is read here and nowhere else."""

import os
from dataclasses import dataclass

from .errors import ConfigurationError
from .inputs import Settings

DEFAULT_BASE_URL = "https://api.openai.com/v1"
API_KEY_VARIABLE = "OPENAI_API_KEY"


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    organization: str | None
    project: str | None

    @property
    def identity(self) -> str:
        """The part of the endpoint that can change an answer (goes into the cache key)."""
        return " ".join(part for part in (self.base_url, self.organization, self.project) if part)


def resolve_endpoint(settings: Settings) -> Endpoint:
    base_url = settings.base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
    return Endpoint(
        base_url=base_url.rstrip("/"),
        organization=settings.organization or os.environ.get("OPENAI_ORG_ID") or None,
        project=settings.project or os.environ.get("OPENAI_PROJECT_ID") or None,
    )


def api_key(endpoint: Endpoint) -> str:
    key = os.environ.get(API_KEY_VARIABLE, "").strip()
    if not key:
        raise ConfigurationError(
            f"{API_KEY_VARIABLE} is not set: export {API_KEY_VARIABLE}=<your key> before terraform plan/apply "
            f"(the request goes to {endpoint.base_url}; for a local OpenAI-compatible server set base_url "
            f"or OPENAI_BASE_URL, and any non-empty key it accepts)"
        )
    if not key.isprintable() or not key.isascii() or " " in key:
        raise ConfigurationError(
            f"{API_KEY_VARIABLE} contains spaces, control or non-ASCII characters; check how it is exported "
            f"(the key is not shown)"
        )
    return key
