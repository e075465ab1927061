"""How to get an answer, from the query's setting inputs, with their rules; none of it is sent to the API.

One home for what both flows and the endpoint share: Settings, the URL rule of base_url and
azure_endpoint, and the default base URL.
"""

import re
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .store_url import parse_store_url

DEFAULT_BASE_URL = "https://api.openai.com/v1"
CACHE_MODES = ("read-write", "replay", "off")
DEFAULT_TIMEOUT_SECONDS = 120.0
DEFAULT_CACHE_DIR = ".terraform/openai-chat-cache"
AZURE_SETTINGS = ("azure_endpoint", "azure_deployment", "azure_api_version")
# The URL rule of base_url, azure_endpoint and OPENAI_BASE_URL; the modules' variable validations spell
# the same rule (`[!-~]` there is `[\x21-\x7e]` here). No user:password@: credentials would reach state and logs.
URL_PATTERN = r"https?://[A-Za-z0-9._\-\[\]:]+(/[\x21-\x7e]*)?"
URL_RULE = "must be an http:// or https:// URL of a host name or address, with no credentials or spaces"
AZURE_EXAMPLE = "https://my-resource.openai.azure.com"


@dataclass(frozen=True)
class Settings:
    """How to get the answer; none of these are sent to the API."""

    base_url: str | None = None
    organization: str | None = None
    project: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    cache_mode: str = "read-write"
    cache_dir: str = DEFAULT_CACHE_DIR
    cache_url: str | None = None  # a team's object store, behind cache_dir (store_url.py)
    regenerate: str = ""
    azure_endpoint: str | None = None
    azure_deployment: str | None = None
    azure_api_version: str | None = None
    requests_per_minute: int | None = None
    allow_length_cutoff: bool = False
    allow_content_filter: bool = False
    allow_refusal: bool = False
    sensitive: bool = False  # keep answer text and prompts out of error messages


SETTINGS = tuple(Settings.__dataclass_fields__)


def is_url(text: str) -> bool:
    """Whether text meets the URL rule (URL_RULE says it in words)."""
    return re.fullmatch(URL_PATTERN, text) is not None


def parse_settings(decoded: dict[str, Any]) -> Settings:
    """The settings among the decoded query values, each checked; InputError names the first that breaks a rule."""
    values: dict[str, Any] = {}
    for name in ("base_url", "organization", "project", "cache_dir", "cache_url", "regenerate", *AZURE_SETTINGS):
        if name in decoded:
            values[name] = _string(name, decoded[name])
    for name in ("allow_length_cutoff", "allow_content_filter", "allow_refusal", "sensitive"):
        if name in decoded:
            if not isinstance(decoded[name], bool):
                raise InputError(name, "must be true or false")
            values[name] = decoded[name]
    if "requests_per_minute" in decoded:
        rate = decoded["requests_per_minute"]
        if (
            isinstance(rate, bool)
            or not isinstance(rate, (int, float))
            or rate != int(rate)
            or not 1 <= rate <= 100_000
        ):
            raise InputError("requests_per_minute", "must be a whole number from 1 to 100000")
        values["requests_per_minute"] = int(rate)
    if "cache_mode" in decoded:
        mode = _string("cache_mode", decoded["cache_mode"])
        if mode not in CACHE_MODES:
            raise InputError("cache_mode", f"must be one of {', '.join(CACHE_MODES)}, not {mode!r}")
        values["cache_mode"] = mode
    if "timeout_seconds" in decoded:
        timeout = decoded["timeout_seconds"]
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 3600:
            raise InputError("timeout_seconds", "must be a number of seconds greater than 0 and at most 3600")
        values["timeout_seconds"] = float(timeout)
    for name, example in (("base_url", DEFAULT_BASE_URL), ("azure_endpoint", AZURE_EXAMPLE)):
        url = values.get(name)
        if url is not None and not is_url(url):
            raise InputError(name, f"{URL_RULE}, such as {example}")
    _check_azure(values)
    for name in ("organization", "project"):
        if name in values and not re.fullmatch(r"[\x21-\x7e]+", values[name]):
            raise InputError(name, "must be printable ASCII with no spaces (an ID such as org-...)")
    if "cache_dir" in values and (not values["cache_dir"].strip() or "\x00" in values["cache_dir"]):
        raise InputError("cache_dir", "must be a folder path (not empty, no NUL character)")
    if "cache_url" in values:
        parse_store_url(values["cache_url"])  # raises naming cache_url and the rule
    return Settings(**values)


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


def _string(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InputError(name, f"must be a string, not {type(value).__name__}")
    return value
