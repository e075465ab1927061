"""An OpenAI-compatible server on 127.0.0.1, the one stand-in the tests use.

It speaks the real wire format (POST /v1/chat/completions, the stored-completion endpoints, the
Responses API of responses_api.py: POST /v1/responses, GET and DELETE /v1/responses/{id}, GET
/v1/responses/{id}/input_items, also under Azure's /openai/responses; Bearer auth, the real error
body and headers), answers deterministically by default, and can be scripted per test: queue
Reply/Hang/Drop/RawBody/Trickle/Delayed/ResponseOutcome steps and they are used by the next requests.
Every request is recorded, and each chat completion and Responses body is checked against the
official OpenAPI request schema when the spec is available (completion_requests(),
response_requests(): their official_violations).

Run it by hand for the examples:  python -m testing.openai_server --port 8787
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from .openai_wire import (
    Reply,
    api_error,
    cursor_page,
    cursor_params_error,
    flex_unavailable,
    sample_instance,
    unknown_url,
    unparsable_body,
)
from .rate_meter import RateMeter
from .responses_api import RESPONSES_PATH, ResponseOutcome, ResponsesApi, misplaced_outcome

COMPLETIONS_PATH = "/v1/chat/completions"
# Azure OpenAI's data plane: the deployment is in the path, the version in ?api-version=, the key in api-key.
AZURE_COMPLETIONS_PATH = re.compile(r"^/openai/deployments/([A-Za-z0-9._-]+)/chat/completions$")
# Azure OpenAI's Responses API: no deployment in the path (the body's model names it), the key in api-key.
AZURE_RESPONSES_PATH = "/openai/responses"
# A base URL's path may carry a secret (a gateway's per-user token): /token-<hex>/v1/... is served as
# /v1/..., so that the tests can give the helper a base URL that holds one (secret_canary.py).
TOKEN_SEGMENT = re.compile(r"^/token-[0-9a-f]+(?=/)")
# The most items one page of a list holds (stored completions, their messages, a response's input
# items), whatever limit asks for (the API caps limit at 100); tests lower it so that a handful of
# items spans several pages.
STORED_PAGE_LIMIT = 100


@dataclass
class Hang:
    """Do not answer for this many seconds (then close)."""

    seconds: float


@dataclass
class Drop:
    """Close the connection without answering."""


@dataclass
class RawBody:
    """Answer with these bytes as the body (malformed or truncated JSON; a proxy's HTML or text page)."""

    body: bytes
    content_length: int | None = None
    status: int = 200
    content_type: str = "application/json"


@dataclass
class Trickle:
    """Answer 200 with the default answer (a chat completion, a response), one byte every this many seconds."""

    seconds_per_byte: float


@dataclass
class Delayed:
    """Answer as by default, after this many seconds."""

    seconds: float


Step = Reply | Hang | Drop | RawBody | Trickle | Delayed | ResponseOutcome


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    official_violations: list[str] | None
    status: int | None = None  # of the JSON reply the server sent, with its body (None: no JSON reply)
    reply: Any = None
    arrived: float = field(default_factory=time.monotonic)
    rate_headers: dict[str, str] = field(default_factory=dict)  # the meter's, on whatever answers it
    scripted: Step | None = None  # the queued step that answered it (None: answered by default)


class _Listener(ThreadingHTTPServer):
    # socketserver's listen backlog is 5, fewer than the 10 reads Terraform runs at once: a connection
    # past it lost its SYN and waited a second for the retry (plans of 50 data "http" reads took 1.3 s
    # instead of 0.3 s, and the kernel's ListenOverflows counter grew).
    request_queue_size = 128
    daemon_threads = True


class OpenAIServer:
    """Start with `with OpenAIServer() as server:`; server.base_url ends in /v1."""

    def __init__(self, api_key: str | None = None, validate_requests: bool = True) -> None:
        self.api_key = api_key
        self.validate_requests = validate_requests
        self.requests: list[RecordedRequest] = []
        self.stored: dict[str, dict[str, Any]] = {}
        self.stored_page_limit = STORED_PAGE_LIMIT
        self.responses = ResponsesApi()
        self.script: deque[Step] = deque()
        self.rate_limit_per_minute: int | None = None
        self._rate_window: deque[float] = deque()
        self.rate_limited = 0
        self.meter: RateMeter | None = None  # per-model rate limits as OpenAI meters them (rate_meter.py)
        self.latency_seconds = 0.0  # how long every POST takes to answer, as a real model's would
        self.flex_capacity = True  # False: every service_tier = "flex" request gets Flex's 429 Resource Unavailable
        self.in_flight = 0  # of the requests that arrived since the last reset
        self.most_in_flight = 0  # the most of those held at once
        self._generation = 0  # a request of an earlier test still held (a Hang) counts for none of this one
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._httpd = _Listener(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> OpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def queue(self, *steps: Step) -> None:
        with self._lock:
            self.script.extend(steps)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.script.clear()
            self.rate_limit_per_minute = None
            self._rate_window.clear()
            self.rate_limited = 0
            self.meter = None
            self.latency_seconds = 0.0
            self.flex_capacity = True
            self._generation += 1
            self.in_flight = self.most_in_flight = 0
            self.stored.clear()
            self.stored_page_limit = STORED_PAGE_LIMIT
        self.responses.reset()

    def completion_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and _is_completions_path(r.path)]

    def response_requests(self) -> list[RecordedRequest]:
        """The POST /v1/responses requests received (creations of a response), Azure's among them."""
        return [r for r in self.requests if r.method == "POST" and r.path in (RESPONSES_PATH, AZURE_RESPONSES_PATH)]

    # -- request handling (called from handler threads) --------------------------------------

    @contextlib.contextmanager
    def holding(self, method: str) -> Iterator[None]:
        """Counts a request as held while it is answered (most_in_flight)."""
        with self._lock:
            generation = self._generation
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            yield
        finally:
            with self._lock:
                if generation == self._generation:
                    self.in_flight -= 1

    def next_step(self, request: RecordedRequest) -> Step:
        with self._lock:
            self.requests.append(request)
            if self.rate_limit_per_minute is not None and request.method == "POST":
                now = time.monotonic()
                while self._rate_window and now - self._rate_window[0] > 60:
                    self._rate_window.popleft()
                if len(self._rate_window) >= self.rate_limit_per_minute:
                    self.rate_limited += 1
                    wait = 60 - (now - self._rate_window[0])
                    return api_error(
                        429,
                        "Rate limit reached for requests per minute.",
                        "requests",
                        "rate_limit_exceeded",
                        headers={"retry-after": f"{max(wait, 0.1):.2f}"},
                    )
                self._rate_window.append(now)
            if not self.flex_capacity and isinstance(request.body, dict) and request.body.get("service_tier") == "flex":
                return flex_unavailable()
            meter = self.meter
        if meter is not None and request.method == "POST" and _is_metered(request.path):
            refusal, request.rate_headers = meter.admit(_metered_model(request), request.body)
            if refusal is not None:
                return refusal  # at once, as the API refuses before the model runs
        if request.method == "POST" and self.latency_seconds:
            time.sleep(self.latency_seconds)  # a model's time, once the request was let in
        with self._lock:
            if self.script:
                request.scripted = self.script.popleft()
                return request.scripted
        return self.default_reply(request)

    def default_reply(self, request: RecordedRequest, outcome: ResponseOutcome | None = None) -> Reply:
        is_azure = AZURE_COMPLETIONS_PATH.match(request.path) is not None or _is_azure_responses_path(request.path)
        if is_azure and self.api_key is not None and request.headers.get("api-key") != self.api_key:
            return api_error(401, "Access denied due to invalid subscription key.", "invalid_request_error", "401")
        if (
            not is_azure
            and self.api_key is not None
            and request.headers.get("authorization") != f"Bearer {self.api_key}"
        ):
            return api_error(
                401,
                "Incorrect API key provided: sk-te***********ey. You can find your API key at "
                "https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                "invalid_api_key",
            )
        if _is_azure_responses_path(request.path):
            if "api-version=" not in request.headers.get("x-query", ""):
                return api_error(404, "Resource not found", "invalid_request_error", "404")
            path = RESPONSES_PATH + request.path.removeprefix(AZURE_RESPONSES_PATH)
            return self.responses.reply(request.method, path, "", request.body, outcome, self.stored_page_limit)
        if request.path == RESPONSES_PATH or request.path.startswith(f"{RESPONSES_PATH}/"):
            query = request.headers.get("x-query", "")
            return self.responses.reply(
                request.method, request.path, query, request.body, outcome, self.stored_page_limit
            )
        if outcome is not None:
            return misplaced_outcome(request.method, request.path)
        if is_azure:
            return self._azure_reply(request)
        if request.method == "POST" and request.path == COMPLETIONS_PATH:
            if not isinstance(request.body, dict):
                return unparsable_body()
            completion = self.completion_for(request.body)
            if request.body.get("store") is True:
                with self._lock:
                    self.stored[completion["id"]] = {
                        "completion": completion,
                        "metadata": request.body.get("metadata") or {},
                        "messages": request.body.get("messages", []),
                    }
            return Reply(200, completion, {"x-request-id": f"req_{completion['id']}"})
        if request.method == "GET" and request.path.startswith(COMPLETIONS_PATH):
            return self._stored_reply(request.path, request.headers.get("x-query", ""))
        return unknown_url(request.method, request.path)

    def _azure_reply(self, request: RecordedRequest) -> Reply:
        """Azure answers for the deployment in the path (its model), whatever the body's model says."""
        if "api-version=" not in request.headers.get("x-query", ""):
            return api_error(404, "Resource not found", "invalid_request_error", "404")
        match = AZURE_COMPLETIONS_PATH.match(request.path)
        assert match is not None and isinstance(request.body, dict)
        completion = self.completion_for(dict(request.body, model=match.group(1)))
        return Reply(200, completion, {"x-request-id": f"req_{completion['id']}"})

    def completion_for(self, body: dict[str, Any]) -> dict[str, Any]:
        """A deterministic completion derived from the request."""
        number = next(self._ids)
        model = str(body.get("model", ""))
        messages = body.get("messages") or []
        last_user = next((m.get("content") for m in reversed(messages) if m.get("role") == "user"), "")
        choices: list[dict[str, Any]] = [
            {
                "index": index,
                "message": _message_for(body, model, str(last_user), index),
                "finish_reason": None,
                "logprobs": None,
            }
            for index in range(int(body.get("n", 1)))
        ]
        for choice in choices:
            message = choice["message"]
            choice["finish_reason"] = (
                "tool_calls"
                if message.get("tool_calls")
                else "function_call"
                if message.get("function_call")
                else "stop"
            )
        prompt_tokens = sum(len(str(m.get("content") or "").split()) for m in messages) + 3
        completion_tokens = sum(len(str(c["message"].get("content") or "").split()) for c in choices) + 1
        return {
            "id": f"chatcmpl-test{number:06d}",
            "object": "chat.completion",
            "created": 1_700_000_000 + number,
            "model": model,
            "choices": choices,
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
            "system_fingerprint": "fp_loopback",
            "service_tier": "default" if body.get("service_tier") in (None, "auto") else body["service_tier"],
        }

    def _stored_reply(self, path: str, query: str) -> Reply:
        """GET /chat/completions (list), /chat/completions/{id} and /chat/completions/{id}/messages."""
        parts = [unquote(part) for part in path[len(COMPLETIONS_PATH) :].strip("/").split("/")]
        params = parse_qs(query)
        refused = cursor_params_error(params)
        if refused is not None:
            return refused
        if parts == [""]:
            return Reply(200, self._list_stored(params))
        if len(parts) > 2 or parts[1:] not in ([], ["messages"]):
            return unknown_url("GET", path)
        entry = self.stored.get(parts[0])
        if entry is None:
            return api_error(404, f"No chat completion found with id '{parts[0]}'.", "invalid_request_error", None)
        if parts[1:] == ["messages"]:
            messages = [_stored_message(parts[0], i, m) for i, m in enumerate(entry["messages"])]
            return Reply(200, cursor_page(messages, params, self.stored_page_limit))
        return Reply(200, dict(entry["completion"], metadata=entry["metadata"]))

    def _list_stored(self, params: dict[str, list[str]]) -> dict[str, Any]:
        items = [dict(e["completion"], metadata=e["metadata"]) for e in self.stored.values()]
        items.sort(key=lambda item: item["created"])
        if "model" in params:
            items = [i for i in items if i["model"] == params["model"][0]]
        for key, values in params.items():
            if key.startswith("metadata[") and key.endswith("]"):
                name = key[len("metadata[") : -1]
                items = [i for i in items if i["metadata"].get(name) == values[0]]
        return cursor_page(items, params, self.stored_page_limit)


def _stored_message(completion_id: str, index: int, message: dict[str, Any]) -> dict[str, Any]:
    """A request message as the messages endpoint returns it: an id, name and content_parts always."""
    stored = dict(message, id=f"{completion_id}-{index}", name=message.get("name"), content_parts=None)
    if isinstance(message.get("content"), list):
        stored["content_parts"] = message["content"]
        stored["content"] = "".join(p.get("text", "") for p in message["content"] if p.get("type") == "text")
    return stored


def _is_metered(path: str) -> bool:
    return _is_completions_path(path) or path in (RESPONSES_PATH, AZURE_RESPONSES_PATH)


def _metered_model(request: RecordedRequest) -> str:
    """The model a request is metered under: Azure's deployment (in the path), else the body's model."""
    match = AZURE_COMPLETIONS_PATH.match(request.path)
    if match is not None:
        return match.group(1)
    return str(request.body.get("model", "")) if isinstance(request.body, dict) else ""


def _is_azure_responses_path(path: str) -> bool:
    return path == AZURE_RESPONSES_PATH or path.startswith(f"{AZURE_RESPONSES_PATH}/")


def _is_completions_path(path: str) -> bool:
    return path == COMPLETIONS_PATH or AZURE_COMPLETIONS_PATH.match(path) is not None


def _request_violations(method: str, path: str, body: Any) -> list[str] | None:
    """The official schema's complaints about a request body that creates a completion or a response.
    official_schema (jsonschema) is imported here, not at start: run by hand, the server needs only the
    standard library (python3 -m testing.openai_server, on any Python >= 3.10)."""
    from .official_schema import official_response_violations, official_violations

    if method == "POST" and _is_completions_path(path):
        return official_violations(body)
    if method == "POST" and path in (RESPONSES_PATH, AZURE_RESPONSES_PATH):
        # Not CreateResponse alone: it accepts unknown keys, and its InputItem oneOf refuses valid
        # messages whose content is a list of parts (they match two branches). This check lists keys
        # outside its properties, and accepts an input item that matches any one branch.
        return official_response_violations(body)
    return None


def _message_for(body: dict[str, Any], model: str, last_user: str, index: int) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None}
    functions = body.get("functions") or []
    function_call = body.get("function_call", "auto")
    if functions and function_call != "none":
        chosen = function_call["name"] if isinstance(function_call, dict) else functions[0]["name"]
        schema = next(f for f in functions if f["name"] == chosen).get("parameters", {})
        message["function_call"] = {"name": chosen, "arguments": json.dumps(sample_instance(schema))}
        return message
    tools = body.get("tools") or []
    tool_choice = body.get("tool_choice", "auto")
    if tools and tool_choice != "none":
        chosen = tool_choice["function"]["name"] if isinstance(tool_choice, dict) else tools[0]["function"]["name"]
        schema = next(t for t in tools if t["function"]["name"] == chosen)["function"].get("parameters", {})
        message["tool_calls"] = [
            {
                "id": f"call_{index}_{chosen}",
                "type": "function",
                "function": {"name": chosen, "arguments": json.dumps(sample_instance(schema))},
            }
        ]
        return message
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        message["content"] = json.dumps(sample_instance(response_format["json_schema"]["schema"]))
    elif response_format.get("type") == "json_object":
        message["content"] = json.dumps({"answer": last_user})
    else:
        suffix = f" (choice {index})" if index else ""
        message["content"] = f"Echo from {model}: {last_user}{suffix}"
    return message


def _handler_for(server: OpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            self._handle(None)

        def do_DELETE(self) -> None:
            self._handle(None)

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            self._handle(body)

        def _handle(self, body: Any) -> None:
            with server.holding(self.command):
                self._answer(body)

        def _answer(self, body: Any) -> None:
            url = urlparse(self.path)
            path = TOKEN_SEGMENT.sub("", url.path, count=1)
            headers = {k.lower(): v for k, v in self.headers.items()}
            headers["x-query"] = url.query
            violations = _request_violations(self.command, path, body) if server.validate_requests else None
            request = RecordedRequest(self.command, path, headers, body, violations)
            step = server.next_step(request)
            if isinstance(step, Delayed):
                time.sleep(step.seconds)
                step = server.default_reply(request)
            if isinstance(step, ResponseOutcome):
                step = server.default_reply(request, step)
            if isinstance(step, Hang):
                time.sleep(step.seconds)
                self.close_connection = True
                return
            if isinstance(step, Drop):
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if isinstance(step, Trickle):
                payload = json.dumps(server.default_reply(request).body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.close_connection = True
                with contextlib.suppress(OSError):  # the client gave up
                    for offset in range(len(payload)):
                        self.wfile.write(payload[offset : offset + 1])
                        self.wfile.flush()
                        time.sleep(step.seconds_per_byte)
                return
            if isinstance(step, RawBody):
                self.send_response(step.status)
                self.send_header("content-type", step.content_type)
                self.send_header("content-length", str(step.content_length or len(step.body)))
                self.end_headers()
                self.wfile.write(step.body)
                self.close_connection = True
                return
            payload = json.dumps(step.body).encode()
            request.status, request.reply = step.status, step.body
            self.send_response(step.status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.send_header("x-request-id", step.headers.get("x-request-id", "req_loopback"))
            for name, value in {**request.rate_headers, **step.headers}.items():
                if name != "x-request-id":
                    self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

    return Handler


def _serve_forever() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8787, help="0 for a free one (default 8787)")
    arguments = parser.parse_args()
    server = OpenAIServer(validate_requests=False)
    server._httpd.server_close()
    server._httpd = _Listener(("127.0.0.1", arguments.port), _handler_for(server))
    port = server._httpd.server_address[1]  # --port 0: a free one
    print(f"OpenAI-compatible test server on http://127.0.0.1:{port}/v1 (Ctrl-C stops it)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server._httpd.serve_forever()


if __name__ == "__main__":
    _serve_forever()
