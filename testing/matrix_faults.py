"""The loopback server's replies for the matrix's faults, built for the case's features."""

from __future__ import annotations

from typing import Any

from .matrix_cases import Fault, Features
from .matrix_roots import ANSWER_SCHEMA, TOOL_NAME, TOOL_PARAMETERS
from .openai_server import Hang, OpenAIServer, RawBody, Step
from .openai_wire import Reply, api_error
from .responses_api import ResponseOutcome

QUOTA_MESSAGE = "You exceeded your current quota, please check your plan and billing details."
REFUSAL = "I can't help with that."


def server_step(fault: Fault, features: Features, server: OpenAIServer) -> Step:
    """What the server answers the request that meets this fault with."""
    if fault == "429":
        return api_error(
            429,
            "Rate limit reached for requests per minute.",
            "requests",
            "rate_limit_exceeded",
            headers={"retry-after": "0.2"},
        )
    if fault == "500":
        return api_error(500, "The server had an error while processing your request.", "server_error", None)
    if fault == "truncated":
        return RawBody(b'{"id": "chatcmpl-1", "choi', content_length=400)
    if fault == "hang":
        return Hang(features.timeout_seconds + 2)
    if fault == "quota":
        return api_error(429, QUOTA_MESSAGE, "insufficient_quota", "insufficient_quota")
    if features.api == "responses":
        if fault == "refusal":
            return ResponseOutcome(refusal=REFUSAL)
        return ResponseOutcome("incomplete", reason="max_output_tokens" if fault == "length" else "content_filter")
    return Reply(200, _guarded_completion(fault, features, server))


def _guarded_completion(fault: Fault, features: Features, server: OpenAIServer) -> dict[str, Any]:
    """A chat completion as the server answers one of these features, cut off, filtered or refused."""
    body: dict[str, Any] = {"model": "gpt-4o", "messages": [{"role": "user", "content": "matrix"}], "n": features.n}
    if features.tools:
        body["tools"] = [{"type": "function", "function": {"name": TOOL_NAME, "parameters": TOOL_PARAMETERS}}]
    if features.structured:
        body["response_format"] = {"type": "json_schema", "json_schema": {"name": "answer", "schema": ANSWER_SCHEMA}}
    completion = server.completion_for(body)
    for choice in completion["choices"]:
        if fault == "refusal":
            choice["message"].update(content=None, tool_calls=None, refusal=REFUSAL)
            choice["finish_reason"] = "stop"
        else:
            choice["finish_reason"] = fault
    return completion
