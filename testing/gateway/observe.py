"""What a client of the openai SDK (max_retries=0, as the helper's) sees through a real LiteLLM proxy.

Starts the loopback server, LiteLLM in front of it (testing/litellm_gateway.py), scripts the
upstream's answer for each scenario, makes the call with the SDK and records the status, the SDK's
error class and code, the body, the headers that bear on retries, every request the upstream
received and how its body differs from the one sent, and whether a key shows anywhere. Writes the
page testing/gateway/observations.md (what testing/gateway/FINDINGS.md reads from).

    .tools/venv/bin/python -m testing.gateway.observe [--out FILE] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openai

from testing.litellm_gateway import LITELLM_VERSION, REPO_ROOT, LiteLLMGateway, gateway_unavailable_reason
from testing.openai_server import Drop, Hang, OpenAIServer, RawBody, Step
from testing.openai_wire import Reply, api_error

OUT = REPO_ROOT / "testing" / "gateway" / "observations.md"
UPSTREAM_KEY = "upstream-canary-" + secrets.token_hex(16)
SETTLE_SECONDS = 0.5  # after a call, for requests LiteLLM might still send upstream (a retry of its own)
SHOWN_HEADER_PREFIXES = ("retry-after", "x-ratelimit", "llm_provider-", "x-litellm-", "x-request-id", "request-id")
NOISY_HEADERS = ("x-litellm-response-cost", "x-litellm-key-spend", "duration-ms", "llm_provider-date", "call-id")

MESSAGES: list[Any] = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Tell me about the solar system."},
]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
            "required": ["city", "unit"],
            "additionalProperties": False,
        },
        "strict": True,
    },
}
PLANET_SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "planet",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "moons": {"type": "integer"}},
            "required": ["name", "moons"],
            "additionalProperties": False,
        },
    },
}


@dataclass
class Scenario:
    name: str
    upstream: str  # what the upstream was told to do, in words
    call: Callable[[openai.OpenAI], Any]  # a with_raw_response call
    steps: tuple[Step, ...] = ()
    gateway: str = "main"
    client_timeout: float = 30.0
    settle: float = SETTLE_SECONDS
    sent: dict[str, Any] | None = None  # the body sent, to compare with what the upstream received
    api_key: str | None = None  # instead of the master key
    helper: bool = False  # also run helper/main.py with this body (--helper): the line it prints today


@dataclass
class Observation:
    name: str
    upstream: str
    status: int | None = None
    sdk_error: str | None = None
    sdk_code: str | None = None
    sdk_type: str | None = None
    sdk_param: str | None = None
    sdk_message: str | None = None
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    upstream_requests: list[str] = field(default_factory=list)
    wire_differences: list[str] = field(default_factory=list)
    compared: bool = False  # whether the upstream's first body was compared with the one sent
    answer_differences: list[str] | None = None  # the client's 200 body against the upstream's scripted one
    seconds: float = 0.0
    leaks: list[str] = field(default_factory=list)
    helper_line: str | None = None  # what helper/main.py printed (--helper), with its exit code
    helper_upstream_requests: int = 0
    helper_seconds: float = 0.0


def chat(**body: Any) -> tuple[dict[str, Any], Callable[[openai.OpenAI], Any]]:
    def call(client: openai.OpenAI) -> Any:
        return client.chat.completions.with_raw_response.create(**body)

    return body, call


def plain() -> dict[str, Any]:
    return {"model": "gpt-3.5-turbo", "messages": MESSAGES, "temperature": 0.7, "max_tokens": 500}


def scenarios(stored_ids: list[str]) -> Iterator[Scenario]:
    def simple(name: str, upstream: str, *steps: Step, model: str = "gpt-4o", **options: Any) -> Scenario:
        body, call = chat(**{**plain(), "model": model})
        return Scenario(name, upstream, call, steps, sent=body, helper=True, **options)

    body, call = chat(**plain())
    yield Scenario("completion", "answers (default)", call, sent=body)
    yield Scenario(
        "completion_as_openai_answers",
        "200 with a completion as OpenAI writes it",
        call,
        (Reply(200, OPENAI_COMPLETION),),
        sent=body,
    )
    body, call = chat(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Weather in Paris?"}],
        tools=[WEATHER_TOOL],
        tool_choice="auto",
        parallel_tool_calls=False,
    )
    yield Scenario("tool_call", "answers with a tool call (default)", call, sent=body)
    body, call = chat(model="gpt-4o-mini", messages=MESSAGES, response_format=PLANET_SCHEMA)
    yield Scenario("structured_output", "answers with JSON of the schema (default)", call, sent=body)
    body, call = chat(
        model="gpt-4o",
        messages=[
            {"role": "developer", "content": "Be brief."},
            {"role": "user", "content": "Weather in Paris?", "name": "alice"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
            {"role": "user", "content": "And tomorrow?"},
        ],
        n=2,
        max_tokens=50,
        temperature=0.0,
        top_p=0.5,
        seed=42,
        stop=["\n\n"],
        presence_penalty=0.5,
        frequency_penalty=-0.5,
        logit_bias={"50256": -100},
        logprobs=True,
        top_logprobs=2,
        user="user-1234",
        store=True,
        metadata={"category": "geography", "team": "infra"},
        service_tier="default",
        safety_identifier="safety-1234",
        prompt_cache_key="cache-key-1",
        tools=[WEATHER_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        parallel_tool_calls=True,
    )
    yield Scenario("every_parameter", "answers (default)", call, sent=body)
    body, call = chat(model="o3-mini", messages=MESSAGES, max_completion_tokens=100, reasoning_effort="low")
    yield Scenario("reasoning_parameters", "answers (default); o3-mini only by the wildcard", call, sent=body)
    body, call = chat(model="gpt-5", messages=MESSAGES, verbosity="low")
    yield Scenario("verbosity_gpt5", "answers (default); gpt-5 only by the wildcard", call, sent=body)
    body, call = chat(model="o3-mini", messages=MESSAGES, verbosity="low")
    yield Scenario("verbosity_o3_mini", "answers (default)", call, sent=body)
    body, call = chat(model="gpt-5", messages=MESSAGES, temperature=0.7)
    yield Scenario("temperature_gpt5", "answers (default)", call, sent=body)
    body, call = chat(**plain(), store=True, metadata={"category": "geography"})
    yield Scenario("store_and_metadata", "answers (default)", call, sent=body)
    yield Scenario(
        "store_and_metadata_preview_features",
        "answers (default); the gateway has enable_preview_features: true",
        call,
        sent=body,
        gateway="preview",
    )
    body, call = chat(
        model="gpt-3.5-turbo",
        messages=[{"role": "user", "content": "Weather?"}],
        functions=[{"name": "get_weather", "parameters": WEATHER_TOOL["function"]["parameters"]}],  # type: ignore[index]
        function_call="auto",
    )
    yield Scenario("legacy_functions", "answers with a function call (default)", call, sent=body)

    rate = "Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 3, Used 3."
    yield simple(
        "429_rate_limit_retry_after",
        "429 rate_limit_exceeded, retry-after: 1",
        api_error(429, rate, "requests", "rate_limit_exceeded", headers={"retry-after": "1"}),
    )
    yield simple(
        "429_rate_limit_retry_after_ms",
        "429 rate_limit_exceeded, retry-after-ms: 1500, retry-after: 2",
        api_error(429, rate, "requests", "rate_limit_exceeded", headers={"retry-after-ms": "1500", "retry-after": "2"}),
    )
    yield simple(
        "429_rate_limit_retry_after_5",
        "429 rate_limit_exceeded, retry-after: 5",
        api_error(429, rate, "requests", "rate_limit_exceeded", headers={"retry-after": "5"}),
    )
    yield simple(
        "429_rate_limit_ratelimit_headers",
        "429 rate_limit_exceeded, x-ratelimit-reset-requests: 20s, no retry-after",
        api_error(
            429,
            rate,
            "requests",
            "rate_limit_exceeded",
            headers={"x-ratelimit-reset-requests": "20s", "x-ratelimit-remaining-requests": "0"},
        ),
    )
    yield simple(
        "429_insufficient_quota",
        "429 insufficient_quota",
        api_error(
            429,
            "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            "insufficient_quota",
        ),
    )
    yield simple(
        "400_context_length_exceeded",
        "400 context_length_exceeded",
        api_error(
            400,
            "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. "
            "Please reduce the length of the messages.",
            "invalid_request_error",
            "context_length_exceeded",
            "messages",
        ),
    )
    yield simple(
        "404_model_not_found",
        "404 model_not_found",
        api_error(
            404,
            "The model `gpt-4-nope` does not exist or you do not have access to it.",
            "invalid_request_error",
            "model_not_found",
        ),
        model="gpt-4-nope",
    )
    yield simple(
        "401_invalid_api_key",
        "401 invalid_api_key (the API's masked echo of the key)",
        api_error(
            401,
            "Incorrect API key provided: sk-te***********ey. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            "invalid_api_key",
        ),
    )
    yield simple(
        "403_permission",
        "403 unsupported_country_region_territory",
        api_error(403, "Country, region, or territory not supported", "request_forbidden", "unsupported_country"),
    )
    yield simple(
        "422_unprocessable",
        "422 with an error body",
        api_error(422, "Unprocessable entity", "invalid_request_error", None),
    )
    yield simple("408_timeout", "408 with an error body", api_error(408, "Request timed out.", "timeout", None))
    yield simple("409_conflict", "409 with an error body", api_error(409, "Conflict.", "conflict", None))
    for status in (500, 502, 503):
        yield simple(
            f"{status}_upstream",
            f"{status} server_error",
            api_error(status, "The server had an error while processing your request.", "server_error", None),
        )
    yield simple(
        "503_retry_after",
        "503 with retry-after: 3",
        api_error(503, "The engine is currently overloaded.", "server_error", None, headers={"retry-after": "3"}),
    )
    yield simple(
        "500_upstream_own_retries",
        "500 server_error, 4 times",
        *[api_error(500, "The server had an error.", "server_error", None)] * 4,
        gateway="own_retries",
        settle=8.0,
    )
    yield simple(
        "429_upstream_own_retries",
        "429 rate_limit_exceeded retry-after: 1, 4 times",
        *[api_error(429, rate, "requests", "rate_limit_exceeded", headers={"retry-after": "1"})] * 4,
        gateway="own_retries",
        settle=8.0,
    )
    yield simple(
        "hang_client_gives_up", "hangs 8 s; the client's timeout is 3 s", Hang(8), client_timeout=3.0, settle=7
    )
    yield simple(
        "hang_gateway_gives_up",
        "hangs 8 s; the deployment's timeout is 2 s",
        Hang(8),
        model="slow-model",
        client_timeout=20.0,
        settle=7,
    )
    yield simple("upstream_down", "nothing listens at the deployment's api_base", model="down-model")
    yield simple("drop", "closes the connection without answering", Drop())
    yield simple("not_json", "200 with a body that is not JSON", RawBody(b"this is not json"))
    yield simple("no_choices", "200 with a JSON body with no choices", RawBody(b'{"id": "chatcmpl-x", "object": "x"}'))
    yield simple("truncated", "200 with a body cut short of its content-length", RawBody(b'{"id": "chatcmpl-x", ', 200))
    yield simple("html_502", "502 with an HTML body", Reply(502, "<html>Bad gateway</html>"))
    yield simple("unknown_model_wildcard", "answers (default)", model="some-new-model-2099")
    yield simple("unknown_model_no_wildcard", "answers (default)", model="some-new-model-2099", gateway="strict")
    yield simple("wrong_master_key_sk", "answers (default)", api_key="sk-wrong-key-0123456789abcdef")
    yield simple("wrong_master_key_not_sk", "answers (default)", api_key="canary-wrong-key-0123456789abcdef")
    yield simple("upstream_key_as_master_key", "answers (default)", api_key=UPSTREAM_KEY)
    yield simple(
        "upstream_rejects_key", "default: checks the Bearer key (the gateway's is wrong)", model="badkey-model"
    )

    def stored_call(what: str) -> Callable[[openai.OpenAI], Any]:
        def call(client: openai.OpenAI) -> Any:
            completion_id = stored_ids[0] if stored_ids else "chatcmpl-missing"
            if what == "retrieve":
                return client.chat.completions.with_raw_response.retrieve(completion_id)
            if what == "list":
                return client.chat.completions.with_raw_response.list(model="gpt-4o", metadata={"category": "a"})
            if what == "messages":
                return client.chat.completions.messages.with_raw_response.list(completion_id)
            return client.chat.completions.with_raw_response.update(completion_id, metadata={"k": "v"})

        return call

    for what in ("retrieve", "list", "messages", "update"):
        yield Scenario(f"stored_{what}", "a completion stored upstream by a store=true call", stored_call(what))

    response_body: dict[str, Any] = {"model": "gpt-4o", "input": "Tell me about the solar system.", "store": True}
    gateway_ids: list[str] = []

    def responses_create(client: openai.OpenAI) -> Any:
        raw = client.responses.with_raw_response.create(**response_body)
        with contextlib.suppress(ValueError, KeyError):
            gateway_ids.append(json.loads(raw.http_response.text)["id"])
        return raw

    def responses_retrieve(response_id: str | None) -> Callable[[openai.OpenAI], Any]:
        def call(client: openai.OpenAI) -> Any:
            return client.responses.with_raw_response.retrieve(response_id or gateway_ids[-1])

        return call

    def responses_input_items(response_id: str | None) -> Callable[[openai.OpenAI], Any]:
        def call(client: openai.OpenAI) -> Any:
            return client.responses.input_items.with_raw_response.list(response_id or gateway_ids[-1])

        return call

    upstream_id = str(RESPONSE_OBJECT["id"])
    yield Scenario("responses_create", "default (serves no /v1/responses)", responses_create, sent=response_body)
    yield Scenario(
        "responses_create_upstream_answers",
        "200 with a Responses object",
        responses_create,
        (Reply(200, RESPONSE_OBJECT),),
        sent=response_body,
    )
    yield Scenario(
        "responses_retrieve_gateway_id",
        "200 with the Responses object",
        responses_retrieve(None),
        (Reply(200, RESPONSE_OBJECT),),
    )
    yield Scenario(
        "responses_input_items_gateway_id",
        "200 with a list of input items",
        responses_input_items(None),
        (Reply(200, INPUT_ITEMS),),
    )
    yield Scenario(
        "responses_retrieve_upstream_id", "default (serves no /v1/responses)", responses_retrieve(upstream_id)
    )
    yield Scenario(
        "responses_input_items_upstream_id", "default (serves no /v1/responses)", responses_input_items(upstream_id)
    )


INPUT_ITEMS = {
    "object": "list",
    "data": [
        {
            "type": "message",
            "id": "msg_in_1",
            "status": "completed",
            "role": "user",
            "content": [{"type": "input_text", "text": "Tell me about the solar system."}],
        }
    ],
    "first_id": "msg_in_1",
    "last_id": "msg_in_1",
    "has_more": False,
}
OPENAI_COMPLETION = {
    "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    "object": "chat.completion",
    "created": 1_741_569_952,
    "model": "gpt-3.5-turbo-0125",
    "choices": [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": "The solar system has eight planets.",
                "refusal": None,
                "annotations": [],
            },
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {
        "prompt_tokens": 19,
        "completion_tokens": 10,
        "total_tokens": 29,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    },
    "service_tier": "default",
    "system_fingerprint": "fp_0165350fd5",
}
RESPONSE_OBJECT = {
    "id": "resp_0123456789abcdef",
    "object": "response",
    "created_at": 1_700_000_000,
    "status": "completed",
    "model": "gpt-4o",
    "output": [
        {
            "type": "message",
            "id": "msg_1",
            "status": "completed",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "The solar system has eight planets.", "annotations": []}],
        }
    ],
    "usage": {"input_tokens": 7, "output_tokens": 7, "total_tokens": 14},
    "parallel_tool_calls": True,
    "tool_choice": "auto",
    "tools": [],
}


def differences(sent: Any, received: Any, path: str = "") -> Iterator[str]:
    """Where received differs from sent: keys added or dropped, values changed."""
    if isinstance(sent, dict) and isinstance(received, dict):
        for key in sent.keys() - received.keys():
            yield f"dropped {path}{key} (was {json.dumps(sent[key])})"
        for key in received.keys() - sent.keys():
            yield f"added {path}{key} = {json.dumps(received[key])}"
        for key in sent.keys() & received.keys():
            yield from differences(sent[key], received[key], f"{path}{key}.")
    elif isinstance(sent, list) and isinstance(received, list) and len(sent) == len(received):
        for index, (a, b) in enumerate(zip(sent, received, strict=True)):
            yield from differences(a, b, f"{path}{index}.")
    elif sent != received or type(sent) is not type(received):
        yield f"changed {path.rstrip('.')}: {json.dumps(sent)} -> {json.dumps(received)}"


def secrets_of(gateway: LiteLLMGateway, presented: str | None = None) -> dict[str, str]:
    """Each key, and the forms a gateway might show it in: its last characters, its SHA-256."""
    found: dict[str, str] = {}
    keys = [("master key", gateway.master_key), ("upstream key", gateway.upstream_api_key)]
    if presented is not None:
        keys.append(("key the client presented", presented))
    for name, key in keys:
        found[key] = name
        found[key[-8:]] = f"{name}'s last 8 characters"
        found[hashlib.sha256(key.encode()).hexdigest()] = f"{name}'s SHA-256"
    return found


def observe(scenario: Scenario, upstream: OpenAIServer, gateway: LiteLLMGateway) -> Observation:
    upstream.reset()
    upstream.queue(*scenario.steps)
    client = openai.OpenAI(
        base_url=gateway.base_url,
        api_key=scenario.api_key or gateway.master_key,
        max_retries=0,
        timeout=scenario.client_timeout,
    )
    seen = Observation(scenario.name, scenario.upstream)
    started = time.monotonic()
    response: Any = None
    try:
        raw = scenario.call(client)
        response = raw.http_response
        seen.status = response.status_code
    except openai.APIStatusError as error:
        response = error.response
        seen.status = error.status_code
        seen.sdk_error = type(error).__name__
        seen.sdk_code, seen.sdk_type, seen.sdk_param = (
            None if value is None else str(value) for value in (error.code, error.type, error.param)
        )
        seen.sdk_message = error.message
    except openai.OpenAIError as error:
        seen.sdk_error = type(error).__name__
        seen.sdk_message = str(error)
    seen.seconds = time.monotonic() - started
    if response is not None:
        seen.body = response.text
        seen.headers = {
            name: value
            for name, value in response.headers.items()
            if name.startswith(SHOWN_HEADER_PREFIXES) and not any(noise in name for noise in NOISY_HEADERS)
        }
    time.sleep(scenario.settle)
    received = list(upstream.requests)
    seen.upstream_requests = [
        f"{r.method} {r.path}" + (f"?{r.headers['x-query']}" if r.headers.get("x-query") else "") for r in received
    ]
    if scenario.sent is not None and received and isinstance(received[0].body, dict):
        seen.wire_differences = sorted(differences(scenario.sent, received[0].body))
        seen.compared = True
    first = scenario.steps[0] if scenario.steps else None
    if isinstance(first, Reply) and first.status == 200 and seen.status == 200:
        with contextlib.suppress(ValueError):
            seen.answer_differences = sorted(differences(first.body, json.loads(seen.body)))
    shown = json.dumps(dataclasses.asdict(seen)) + "\n".join(
        f"{k}: {v}" for k, v in (response.headers.items() if response is not None else [])
    )
    seen.leaks = sorted({what for secret, what in secrets_of(gateway, scenario.api_key).items() if secret in shown})
    return seen


HELPER_TIMEOUT_SECONDS = 6


def run_helper(scenario: Scenario, upstream: OpenAIServer, gateway: LiteLLMGateway, seen: Observation) -> None:
    """helper/main.py as Terraform runs it, through the gateway, with the scenario's upstream steps."""
    assert scenario.sent is not None
    upstream.reset()
    upstream.queue(*scenario.steps)
    with tempfile.TemporaryDirectory(prefix="observe-helper-") as folder:
        inputs = {
            "flow": "chat_completion",
            **scenario.sent,
            "base_url": gateway.base_url,
            "cache_dir": folder,
            "timeout_seconds": HELPER_TIMEOUT_SECONDS,
        }
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": folder,
            "OPENAI_API_KEY": scenario.api_key or gateway.master_key,
            "CHAT_HELPER_PYTHON_PACKAGES": "interpreter",  # this venv's packages
            "CHAT_HELPER_WORKER": "off",  # no worker left behind
        }
        started = time.monotonic()
        try:
            completed = subprocess.run(
                [sys.executable, str(REPO_ROOT / "helper" / "main.py")],
                input=json.dumps({name: json.dumps(value) for name, value in inputs.items()}),
                capture_output=True,
                text=True,
                env=environment,
                timeout=HELPER_TIMEOUT_SECONDS + 30,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            completed = subprocess.CompletedProcess(error.cmd, -9, "", f"did not finish within {error.timeout:.0f} s")
    seen.helper_seconds = time.monotonic() - started
    time.sleep(scenario.settle)
    seen.helper_upstream_requests = len(upstream.requests)
    answer = completed.stderr.strip() if completed.returncode else "answered: " + completed.stdout[:200]
    seen.helper_line = f"exit {completed.returncode}: {answer}"
    leaked = {what for secret, what in secrets_of(gateway, scenario.api_key).items() if secret in seen.helper_line}
    seen.leaks = sorted(set(seen.leaks) | {f"helper: {what}" for what in leaked})


def start_gateways(upstream: OpenAIServer, names: set[str]) -> dict[str, LiteLLMGateway]:
    refused = socket.socket()
    refused.bind(("127.0.0.1", 0))  # bound, never listening: connections to it are refused
    down_url = f"http://127.0.0.1:{refused.getsockname()[1]}/v1"
    options: dict[str, dict[str, Any]] = {
        "main": {
            "extra_models": {
                "slow-model": {"timeout": 2},
                "down-model": {"api_base": down_url},
                "badkey-model": {"api_key": "sk-not-the-upstream-key"},
            }
        },
        "strict": {"wildcard": False},
        "own_retries": {"own_retries": True},
        "preview": {"litellm_settings": {"enable_preview_features": True}},
    }
    gateways: dict[str, LiteLLMGateway] = {}
    for name in sorted(names):
        gateway = LiteLLMGateway(upstream.base_url, UPSTREAM_KEY, **options[name])
        gateways[name] = gateway.start()
        print(f"[observe] gateway {name!r} answered after {gateway.started_in_seconds:.1f} s", file=sys.stderr)
    gateways["main"].refused_socket = refused  # type: ignore[attr-defined]  # kept bound while it runs
    return gateways


def run(only: list[str], with_helper: bool) -> tuple[list[Observation], dict[str, float], list[str]]:
    stored_ids: list[str] = []
    chosen = [s for s in scenarios(stored_ids) if not only or any(part in s.name for part in only)]
    observations: list[Observation] = []
    with OpenAIServer(api_key=UPSTREAM_KEY, validate_requests=False) as upstream:
        gateways = start_gateways(upstream, {"main"} | {s.gateway for s in chosen})
        try:
            # A completion stored upstream for the stored_* scenarios (through the upstream itself).
            direct = openai.OpenAI(base_url=upstream.base_url, api_key=UPSTREAM_KEY, max_retries=0)
            stored = direct.chat.completions.create(
                model="gpt-4o", messages=MESSAGES, store=True, metadata={"category": "a"}
            )
            stored_ids.append(stored.id)
            for scenario in chosen:
                seen = observe(scenario, upstream, gateways[scenario.gateway])
                if with_helper and scenario.helper:
                    run_helper(scenario, upstream, gateways[scenario.gateway], seen)
                outcome = f"{seen.status} {seen.sdk_error or ''}"
                print(f"[observe] {seen.name}: {outcome}, upstream x{len(seen.upstream_requests)}", file=sys.stderr)
                observations.append(seen)
            started = {name: gateway.started_in_seconds for name, gateway in gateways.items()}
            log_leaks = sorted(
                {
                    f"{name} gateway's log: {what}"
                    for name, gateway in gateways.items()
                    for secret, what in secrets_of(gateway).items()
                    if len(secret) > 8 and secret in gateway.log_text()
                }
            )
        finally:
            for gateway in gateways.values():
                gateway.stop()
    return observations, started, log_leaks


def page(observations: list[Observation], started: dict[str, float], log_leaks: list[str]) -> str:
    commit = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    lines = [
        "# What a client sees through LiteLLM (generated)",
        "",
        f"Written by `python -m testing.gateway.observe` on {datetime.date.today()} at commit {commit}, "
        f"{platform.node()} ({platform.machine()}, Python {platform.python_version()}): LiteLLM {LITELLM_VERSION} "
        f"in front of testing/openai_server.py, the client the openai SDK {openai.__version__} with max_retries=0. "
        "Keys are fresh for the run; a header or body that showed one is flagged under Leaks. "
        "testing/gateway/FINDINGS.md says what it means.",
        "",
        "Gateways answered after: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in sorted(started.items())),
        "",
        "Keys in the gateways' logs: " + (", ".join(log_leaks) or "none"),
        "",
        "| Scenario | Upstream | Status | SDK error (code / type) | Upstream requests | Leaks |",
        "|---|---|---|---|---|---|",
    ]
    for seen in observations:
        error = f"{seen.sdk_error} ({seen.sdk_code} / {seen.sdk_type})" if seen.sdk_error else ""
        lines.append(
            f"| {seen.name} | {seen.upstream} | {seen.status} | {error} | {len(seen.upstream_requests)} | "
            f"{', '.join(seen.leaks) or 'none'} |"
        )
    for seen in observations:
        lines += ["", f"## {seen.name}", "", f"- upstream: {seen.upstream}", f"- status: {seen.status}"]
        lines.append(f"- time: {seen.seconds:.2f} s")
        if seen.sdk_error:
            lines.append(
                f"- SDK: `{seen.sdk_error}` code={seen.sdk_code!r} type={seen.sdk_type!r} param={seen.sdk_param!r}"
            )
            lines.append(f"- SDK message: `{seen.sdk_message}`")
        lines.append(f"- upstream received: {', '.join(f'`{r}`' for r in seen.upstream_requests) or 'nothing'}")
        if seen.wire_differences:
            lines.append("- on the wire, against what the client sent:")
            lines += [f"  - {difference}" for difference in seen.wire_differences]
        elif seen.upstream_requests and seen.compared:
            lines.append("- on the wire: the body the client sent, exactly")
        if seen.answer_differences is not None:
            lines.append("- the answer, against the upstream's:" + ("" if seen.answer_differences else " the same"))
            lines += [f"  - {difference}" for difference in seen.answer_differences]
        if seen.headers:
            lines.append("- headers: " + ", ".join(f"`{k}: {v}`" for k, v in sorted(seen.headers.items())))
        lines += ["- body:", "", "```", pretty(seen.body), "```"]
        if seen.helper_line is not None:
            lines.append(
                f"- the helper today (timeout_seconds = {HELPER_TIMEOUT_SECONDS}): `{seen.helper_line}` "
                f"({seen.helper_upstream_requests} upstream requests, {seen.helper_seconds:.1f} s)"
            )
        if seen.leaks:
            lines.append(f"- LEAKS: {', '.join(seen.leaks)}")
    return "\n".join(lines) + "\n"


def pretty(body: str) -> str:
    try:
        return json.dumps(json.loads(body), indent=2)
    except ValueError:
        return body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", default=[], help="scenarios whose name holds one of these")
    parser.add_argument("--helper", action="store_true", help="also run helper/main.py through the gateway")
    arguments = parser.parse_args()
    reason = gateway_unavailable_reason()
    if reason is not None:
        print(f"[observe] {reason}", file=sys.stderr)
        return 1
    observations, started, log_leaks = run(arguments.only, arguments.helper)
    arguments.out.write_text(page(observations, started, log_leaks))
    print(f"[observe] wrote {arguments.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
