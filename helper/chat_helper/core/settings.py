"""Where and how long to ask: the endpoint settings every flow takes (none of them is sent to the API).

One home for the URL rule of base_url and azure_endpoint, Azure's three settings, and the time budget.
What only the flows that ask for answers take (the cache, the guardrails) is answers/settings.py.
"""

import re
from dataclasses import dataclass
from typing import Any

from .errors import InputError

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT_SECONDS = 120.0
# A Flex request's default: OpenAI's Flex guide raises the SDK's timeout from 10 to 15 minutes.
FLEX_TIMEOUT_SECONDS = 900.0
AZURE_SETTINGS = ("azure_endpoint", "azure_deployment", "azure_api_version")
# The URL rule of base_url, azure_endpoint and OPENAI_BASE_URL. No user:password@: credentials would
# reach state and logs.
URL_PATTERN = r"https?://[A-Za-z0-9._\-\[\]:]+(/[\x21-\x7e]*)?"
URL_RULE = "must be an http:// or https:// URL of a host name or address, with no credentials or spaces"
AZURE_EXAMPLE = "https://my-resource.openai.azure.com"


@dataclass(frozen=True)
class EndpointSettings:
    """Which endpoint answers, and the time budget of one request (retries and waits included)."""

    base_url: str | None = None
    organization: str | None = None
    project: str | None = None
    azure_endpoint: str | None = None
    azure_deployment: str | None = None
    azure_api_version: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS


ENDPOINT_SETTINGS = tuple(EndpointSettings.__dataclass_fields__)


def is_url(text: str) -> bool:
    """Whether text meets the URL rule (URL_RULE says it in words)."""
    return re.fullmatch(URL_PATTERN, text) is not None


def parse_endpoint_settings(decoded: dict[str, Any]) -> EndpointSettings:
    """The endpoint settings among the decoded query values, each checked; InputError names the first
    that breaks a rule."""
    values: dict[str, Any] = {}
    for name in ("base_url", "organization", "project", *AZURE_SETTINGS):
        if name in decoded:
            values[name] = string_setting(name, decoded[name])
    if "timeout_seconds" in decoded:
        timeout = decoded["timeout_seconds"]
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 3600:
            raise InputError("timeout_seconds", "must be a number of seconds greater than 0 and at most 3600")
        values["timeout_seconds"] = float(timeout)
    elif decoded.get("service_tier") == "flex":
        values["timeout_seconds"] = FLEX_TIMEOUT_SECONDS
    for name, example in (("base_url", DEFAULT_BASE_URL), ("azure_endpoint", AZURE_EXAMPLE)):
        url = values.get(name)
        if url is not None and not is_url(url):
            raise InputError(name, f"{URL_RULE}, such as {example}")
    _check_azure(values)
    for name in ("organization", "project"):
        if name in values and not re.fullmatch(r"[\x21-\x7e]+", values[name]):
            raise InputError(name, "must be printable ASCII with no spaces (an ID such as org-...)")
    return EndpointSettings(**values)


def _check_azure(values: dict[str, Any]) -> None:
    """Azure needs its endpoint, a deployment and an API version together, and no OpenAI base_url."""
    given = [name for name in AZURE_SETTINGS if name in values]
    if given and len(given) < len(AZURE_SETTINGS):
        missing = ", ".join(name for name in AZURE_SETTINGS if name not in values)
        raise InputError(
            given[0], f"Azure OpenAI needs azure_endpoint, azure_deployment and azure_api_version; missing {missing}"
        )
    for name in ("base_url", "organization", "project"):
        if given and name in values:
            raise InputError(name, "is an OpenAI setting and cannot be combined with azure_endpoint")
    deployment = values.get("azure_deployment")
    if deployment is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", deployment):
        raise InputError("azure_deployment", "must be a deployment name: letters, digits, '.', '_' and '-', at most 64")
    version = values.get("azure_api_version")
    if version is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}(-preview)?", version):
        raise InputError("azure_api_version", "must look like 2024-10-21 or 2025-04-01-preview")


def string_setting(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InputError(name, f"must be a string, not {type(value).__name__}")
    return value
