"""Turns the query (input name -> JSON string) into the API request and the helper's settings.

Only decoding and reshaping happen here; the rules live in request_rules.py.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .protocol import loads_finite
from .store_url import parse_store_url

# Inputs sent to the API as they are (after decoding), in the order the API reference lists them.
REQUEST_PARAMETERS = (
    "model",
    "messages",
    "functions",
    "function_call",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "response_format",
    "temperature",
    "top_p",
    "n",
    "stop",
    "max_tokens",
    "max_completion_tokens",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
    "logprobs",
    "top_logprobs",
    "seed",
    "user",
    "safety_identifier",
    "prompt_cache_key",
    "store",
    "metadata",
    "reasoning_effort",
    "service_tier",
    "verbosity",
)

CACHE_MODES = ("read-write", "replay", "off")
DEFAULT_TIMEOUT_SECONDS = 120.0
DEFAULT_CACHE_DIR = ".terraform/openai-chat-cache"


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
AZURE_SETTINGS = ("azure_endpoint", "azure_deployment", "azure_api_version")
# The URL rule of base_url and azure_endpoint; the modules' variable validations spell the same rule
# (`[!-~]` there is `[\x21-\x7e]` here). No user:password@: credentials would reach state and logs.
URL_PATTERN = r"https?://[A-Za-z0-9._\-\[\]:]+(/[\x21-\x7e]*)?"
URL_RULE = "must be an http:// or https:// URL of a host name or address, with no credentials or spaces"
AZURE_EXAMPLE = "https://my-resource.openai.azure.com"


@dataclass(frozen=True)
class Invocation:
    """One decoded query: the request exactly as it will be sent, and the settings."""

    request: dict[str, Any]
    settings: Settings


def parse_query(query: dict[str, str]) -> Invocation:
    """Decodes every input, drops the ones not set, and reshapes those the API wants differently."""
    decoded = decode_query(query, (*REQUEST_PARAMETERS, *SETTINGS), "this module")
    request = {name: decoded[name] for name in REQUEST_PARAMETERS if name in decoded}
    return Invocation(request=_reshape(request), settings=parse_settings(decoded))


def decode_query(query: dict[str, str], known: tuple[str, ...], module: str) -> dict[str, Any]:
    """Every query value JSON-decoded; nulls dropped (an input left null is not set)."""
    decoded: dict[str, Any] = {}
    for name, encoded in query.items():
        if name not in known:
            raise InputError(name, f"is not an input of {module} (unknown query key)")
        try:
            value = loads_finite(encoded)
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(name, "contains an unpaired UTF-16 surrogate (not valid Unicode text)") from None
        except ValueError:
            raise InputError(name, "must be JSON-encoded (the module passes jsonencode(value))") from None
        if value is not None:
            decoded[name] = value
    return decoded


def parse_settings(decoded: dict[str, Any]) -> Settings:
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
    for name, example in (("base_url", "https://api.openai.com/v1"), ("azure_endpoint", AZURE_EXAMPLE)):
        url = values.get(name)
        if url is not None and not re.fullmatch(URL_PATTERN, url):
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


def _reshape(request: dict[str, Any]) -> dict[str, Any]:
    """Drops nulls inside messages, decodes JSON-string schemas, and names forced calls."""
    if isinstance(request.get("messages"), list):
        request["messages"] = [_without_nulls(message) for message in request["messages"]]
    if isinstance(request.get("functions"), list):
        request["functions"] = [
            _decoded_parameters(f"functions[{index}]", _without_null_fields(function))
            for index, function in enumerate(request["functions"])
        ]
    if isinstance(request.get("tools"), list):
        request["tools"] = [
            _reshaped_tool(index, _without_null_fields(tool)) for index, tool in enumerate(request["tools"])
        ]
    function_call = request.get("function_call")
    if isinstance(function_call, str) and function_call not in ("none", "auto"):
        request["function_call"] = {"name": function_call}
    tool_choice = request.get("tool_choice")
    if isinstance(tool_choice, str) and tool_choice not in ("none", "auto", "required"):
        request["tool_choice"] = {"type": "function", "function": {"name": tool_choice}}
    if isinstance(request.get("response_format"), dict):
        request["response_format"] = _reshaped_response_format(_without_null_fields(request["response_format"]))
    return request


def _without_nulls(value: Any) -> Any:
    """Terraform's optional object attributes arrive as null; the API wants them absent."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def _without_null_fields(value: Any) -> Any:
    """Only the top level: a JSON Schema inside may hold nulls that mean something (const, enum)."""
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if item is not None}
    return value


def _decoded_parameters(path: str, definition: Any) -> Any:
    if isinstance(definition, dict) and isinstance(definition.get("parameters"), str):
        definition = dict(definition)
        definition["parameters"] = _json_object(f"{path}.parameters", definition["parameters"])
    return definition


def _reshaped_tool(index: int, tool: Any) -> Any:
    """Module tools are flat ({name, description, parameters, strict}); the API nests them."""
    if not isinstance(tool, dict) or "function" in tool:
        return tool
    function = _decoded_parameters(f"tools[{index}]", {k: v for k, v in tool.items() if k != "type"})
    return {"type": tool.get("type", "function"), "function": function}


def _reshaped_response_format(response_format: dict[str, Any]) -> dict[str, Any]:
    if response_format.get("type") != "json_schema" or "json_schema" in response_format:
        return response_format
    json_schema = {k: v for k, v in response_format.items() if k != "type"}
    if isinstance(json_schema.get("schema"), str):
        json_schema["schema"] = _json_object("response_format.schema", json_schema["schema"])
    return {"type": "json_schema", "json_schema": json_schema}


def _json_object(path: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise InputError(path, f"must be a JSON string (use jsonencode): {error}") from None
