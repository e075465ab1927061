"""The loopback server's Responses API: deterministic Response objects, the stored ones, their input items.

OpenAIServer checks the key, then hands POST /v1/responses, GET and DELETE /v1/responses/{id} and
GET /v1/responses/{id}/input_items to ResponsesApi.reply. Each answer is derived from the request,
as the chat answers are: an echo of the last user text, a function call, structured output, a
reasoning summary, a web search. A queued ResponseOutcome ends it otherwise (incomplete, failed,
cancelled, queued, in progress, a refusal).
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs, unquote

from .openai_wire import (
    Reply,
    api_error,
    cursor_page,
    cursor_params_error,
    sample_instance,
    unknown_url,
    unparsable_body,
)

RESPONSES_PATH = "/v1/responses"
CREATED_AT = 1_700_000_000
WEB_SEARCH_TOOLS = frozenset(
    {"web_search", "web_search_2025_08_26", "web_search_preview", "web_search_preview_2025_03_11"}
)
SEARCH_RESULT_URL = "https://example.com/loopback-search-result"
# The prefix of each item type's id, as the API's ids begin.
ID_PREFIXES = {
    "message": "msg",
    "function_call": "fc",
    "function_call_output": "fco",
    "reasoning": "rs",
    "web_search_call": "ws",
}

Status = Literal["completed", "incomplete", "failed", "cancelled", "queued", "in_progress"]
IncompleteReason = Literal["max_output_tokens", "content_filter"]


@dataclass(frozen=True)
class ResponseOutcome:
    """A step for server.queue: answer the next Responses request as by default, but end it this way.

    On POST /v1/responses it ends the new response; on GET /v1/responses/{id} the stored one, which
    stays so (queue ResponseOutcome("queued"), ResponseOutcome("in_progress"), ResponseOutcome() to poll).
    - "incomplete": incomplete_details.reason is `reason`, and the last output item is cut in half;
    - "failed": error {code: error_code, message: error_message}, no output; "cancelled": the message
      cut, still in progress; "queued", "in_progress": no output yet. None of these has usage.
    - refusal: the message's content is one refusal part with this text (whatever the status).
    """

    status: Status = "completed"
    reason: IncompleteReason = "max_output_tokens"
    error_code: str = "server_error"
    error_message: str = "An error occurred while processing your request. You can retry your request."
    refusal: str | None = None


@dataclass
class StoredResponse:
    completed: dict[str, Any]  # the answer as it completes; a ResponseOutcome queued for a GET ends it otherwise
    response: dict[str, Any]  # what a GET returns
    input_items: list[dict[str, Any]]  # this request's input only, as the input_items list gives it
    context: list[dict[str, Any]]  # the conversation: every earlier input and output, this input, this output


def misplaced_outcome(method: str, path: str) -> Reply:
    """The answer when a test queued a ResponseOutcome and the next request neither creates nor retrieves a response."""
    message = f"The test queued a ResponseOutcome, but the next request was {method} {path}."
    return api_error(500, message, "server_error", None)


class ResponsesApi:
    """The stored responses and how to answer; OpenAIServer calls reply() once the key is right."""

    def __init__(self) -> None:
        self.stored: dict[str, StoredResponse] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self.stored.clear()

    def reply(
        self, method: str, path: str, query: str, body: Any, outcome: ResponseOutcome | None, page_limit: int
    ) -> Reply:
        parts = [unquote(part) for part in path[len(RESPONSES_PATH) :].strip("/").split("/")]
        if method == "POST" and parts == [""]:
            return self._create(body, outcome)
        response_id, rest = parts[0], parts[1:]
        if not response_id or (method, rest) not in (("GET", []), ("GET", ["input_items"]), ("DELETE", [])):
            return unknown_url(method, path)
        if outcome is not None and (method, rest) != ("GET", []):
            return misplaced_outcome(method, path)
        with self._lock:
            stored = self.stored.get(response_id)
            if stored is None:
                message = f"Response with id '{response_id}' not found."
                return api_error(404, message, "invalid_request_error", None)
            if rest == ["input_items"]:
                params = parse_qs(query)
                refused = cursor_params_error(params)
                if refused is not None:
                    return refused
                return Reply(200, cursor_page(stored.input_items, params, page_limit, default_order="desc"))
            if method == "DELETE":
                del self.stored[response_id]
                return Reply(200, {"id": response_id, "object": "response", "deleted": True})
            if outcome is not None:
                stored.response = ended(stored.completed, outcome)
            return Reply(200, stored.response)

    def _create(self, body: Any, outcome: ResponseOutcome | None) -> Reply:
        if not isinstance(body, dict):
            return unparsable_body()
        refused = _refused(body)
        if refused is not None:
            return refused
        previous_id = body.get("previous_response_id")
        with self._lock:
            previous = self.stored.get(previous_id) if previous_id else None
            number = next(self._ids)
        if previous_id and previous is None:
            message = f"Previous response with id '{previous_id}' not found."
            # The real API answers 400 here, not 404 (openai.BadRequestError).
            return api_error(
                400, message, "invalid_request_error", "previous_response_not_found", "previous_response_id"
            )
        items = _as_items(body.get("input"))
        context = [*(previous.context if previous else []), *items]
        unanswered = _unknown_call_id(context)
        if unanswered is not None:
            message = f"No tool call found for function call output with call_id {unanswered}."
            return api_error(400, message, "invalid_request_error", None, "input")
        completed = _completed(body, number, context, items)
        response = ended(completed, outcome) if outcome is not None else completed
        if response["store"]:
            listed = _listed(items, number)
            with self._lock:
                self.stored[response["id"]] = StoredResponse(
                    completed, response, listed, [*context, *response["output"]]
                )
        return Reply(200, response, {"x-request-id": f"req_{response['id']}"})


def ended(completed: dict[str, Any], outcome: ResponseOutcome) -> dict[str, Any]:
    """The response as the outcome ends it (a copy: the completed one stays as it was)."""
    response = copy.deepcopy(completed)
    output: list[dict[str, Any]] = response["output"]
    if outcome.refusal is not None:
        refusal = {"type": "refusal", "refusal": outcome.refusal}
        message_id = response["id"].replace("resp_", "msg_", 1) + "_refusal"
        kept = [item for item in output if item["type"] == "reasoning"]
        output[:] = [*kept, {"id": message_id, "type": "message", "status": "completed", "role": "assistant"}]
        output[-1]["content"] = [refusal]
        usage = response["usage"]
        response["usage"] = _usage(usage["input_tokens"], output, usage["output_tokens_details"]["reasoning_tokens"])
    response["status"] = outcome.status
    if outcome.status == "completed":
        return response
    response["completed_at"] = None
    if outcome.status == "incomplete":
        response["incomplete_details"] = {"reason": outcome.reason}
        _cut(output[-1], "incomplete")
        usage, limit = response["usage"], response["max_output_tokens"]
        if outcome.reason == "max_output_tokens" and limit is not None:
            usage["output_tokens"], usage["total_tokens"] = limit, usage["input_tokens"] + limit
        return response
    response["usage"] = None  # as the API's cancelled example has it; the schema's ResponseUsage is no nullable object
    if outcome.status == "cancelled":
        _cut(output[-1], "in_progress")
        return response
    output.clear()
    if outcome.status == "failed":
        response["error"] = {"code": outcome.error_code, "message": outcome.error_message}
    return response


def _cut(item: dict[str, Any], status: str) -> None:
    """Cut an output item's text in half, as a response stopped midway leaves it."""
    item["status"] = status
    for part in item.get("content") or []:
        key = "refusal" if part["type"] == "refusal" else "text"
        part[key] = _half(part[key])
    if item["type"] == "function_call":
        item["arguments"] = _half(item["arguments"])


def _half(text: str) -> str:
    return text[: max(1, len(text) // 2)]


def _refused(body: dict[str, Any]) -> Reply | None:
    """The API's 400s for requests the schema lets through but the API does not answer."""
    if not body.get("model"):
        message = "Missing required parameter: 'model'."
        return api_error(400, message, "invalid_request_error", "missing_required_parameter", "model")
    if body.get("stream"):
        message = "The loopback test server does not stream: send stream false."
        return api_error(400, message, "invalid_request_error", None, "stream")
    choice = body.get("tool_choice")
    names = {tool.get("name") for tool in body.get("tools") or [] if tool.get("type") == "function"}
    if isinstance(choice, dict) and choice.get("type") == "function" and choice.get("name") not in names:
        message = "Tool choice 'function' not found in 'tools' parameter."
        return api_error(400, message, "invalid_request_error", None, "tool_choice")
    return None


def _as_items(input_: Any) -> list[dict[str, Any]]:
    """The request's input as a list of items whose message content is a list of parts; a string is a user message."""
    if isinstance(input_, str):
        return [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": input_}]}]
    return [_as_item(item) for item in input_ or [] if isinstance(item, dict)]


def _as_item(item: dict[str, Any]) -> dict[str, Any]:
    if "type" not in item and "role" not in item:
        return {"type": "item_reference", **item}  # ItemReferenceParam's type may be left out
    if item.get("type", "message") != "message":
        return dict(item)
    content = item.get("content")
    assistant = item.get("role") == "assistant"
    if isinstance(content, str):
        content = [{"type": "output_text" if assistant else "input_text", "text": content}]
    if assistant and isinstance(content, list):
        content = [{"annotations": [], "logprobs": [], **p} if p.get("type") == "output_text" else p for p in content]
    return {**item, "type": "message", "content": content}


def _listed(items: list[dict[str, Any]], number: int) -> list[dict[str, Any]]:
    """Input items as the input_items list gives them: each with an id, call items with a status."""
    listed = []
    for index, item in enumerate(items):
        entry = dict(item)
        entry["id"] = item.get("id") or f"{ID_PREFIXES.get(item['type'], 'item')}_in{number:06d}_{index}"
        if item["type"] in ("function_call", "function_call_output") or item.get("role") == "assistant":
            entry.setdefault("status", "completed")
        listed.append(entry)
    return listed


def _unknown_call_id(context: list[dict[str, Any]]) -> str | None:
    """The call_id of a function_call_output that answers no function_call of the conversation."""
    calls = {item.get("call_id") for item in context if item.get("type") == "function_call"}
    outputs = (item.get("call_id") for item in context if item.get("type") == "function_call_output")
    return next((call_id for call_id in outputs if call_id not in calls), None)


def _completed(
    body: dict[str, Any], number: int, context: list[dict[str, Any]], items: list[dict[str, Any]]
) -> dict[str, Any]:
    """The deterministic Response to body, as the API gives it with status completed."""
    model = str(body["model"])
    response_id = f"resp_test{number:06d}"
    reasoning = {"effort": None, "summary": None, **(body.get("reasoning") or {})}
    response: dict[str, Any] = {
        "id": response_id,
        "object": "response",
        "created_at": CREATED_AT + number,
        "status": "completed",
        "background": bool(body.get("background")),
        "completed_at": CREATED_AT + number + 1,
        "error": None,
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "max_tool_calls": body.get("max_tool_calls"),
        "model": model,
        "output": [],
        "parallel_tool_calls": body.get("parallel_tool_calls") is not False,
        "previous_response_id": body.get("previous_response_id"),
        "prompt_cache_key": body.get("prompt_cache_key"),
        "reasoning": reasoning,
        "safety_identifier": body.get("safety_identifier"),
        "service_tier": "default" if body.get("service_tier") in (None, "auto") else body["service_tier"],
        "store": body.get("store") is not False,
        "temperature": 1.0 if body.get("temperature") is None else body["temperature"],
        "text": {"format": {"type": "text"}, "verbosity": "medium", **(body.get("text") or {})},
        "tool_choice": body.get("tool_choice") or "auto",
        "tools": [_echoed_tool(tool) for tool in body.get("tools") or []],
        "top_logprobs": body.get("top_logprobs") or 0,
        "top_p": 1.0 if body.get("top_p") is None else body["top_p"],
        "truncation": body.get("truncation") or "disabled",
        "usage": None,
        "user": body.get("user"),
        "metadata": body.get("metadata") or {},
    }
    last_user = _last_user_text(context)
    output = []
    summary = reasoning.get("summary") or reasoning.get("generate_summary")
    if summary:
        output.append(_reasoning_item(number, last_user, body.get("include") or []))
    output += _answer_items(response, number, last_user, items, body.get("include") or [])
    response["output"] = [{"id": f"{ID_PREFIXES[i['type']]}_test{number:06d}_{n}", **i} for n, i in enumerate(output)]
    input_tokens = len(str(body.get("instructions") or "").split()) + sum(map(_words, context)) + 3
    response["usage"] = _usage(input_tokens, response["output"], _reasoning_tokens(reasoning, last_user))
    return response


def _echoed_tool(tool: dict[str, Any]) -> dict[str, Any]:
    """A tool as the response lists it: the API fills in its defaults."""
    if tool.get("type") == "function":
        return {"type": "function", "name": None, "description": None, "parameters": None, "strict": True, **tool}
    if tool.get("type") in WEB_SEARCH_TOOLS:
        return {"search_context_size": "medium", **tool}
    return dict(tool)


def _reasoning_item(number: int, last_user: str, include: list[str]) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "reasoning", "summary": [{"type": "summary_text", "text": f"Weighed: {last_user}"}]}
    if "reasoning.encrypted_content" in include:
        item["encrypted_content"] = f"loopback-encrypted-reasoning-{number:06d}"
    return item


def _answer_items(
    response: dict[str, Any], number: int, last_user: str, items: list[dict[str, Any]], include: list[str]
) -> list[dict[str, Any]]:
    """A function call when one is due; else a web search when a search tool is there, then the message."""
    answered = [item for item in items if item.get("type") == "function_call_output"]
    function = _function_to_call(response["tools"], response["tool_choice"], bool(answered))
    if function is not None:
        arguments = json.dumps(sample_instance(function.get("parameters") or {}))
        call = {"call_id": f"call_test{number:06d}", "name": function["name"], "arguments": arguments}
        return [{"type": "function_call", "status": "completed", **call}]
    searched = _searches(response["tools"], response["tool_choice"])
    answer: list[dict[str, Any]] = []
    if searched:
        action: dict[str, Any] = {"type": "search", "query": last_user, "queries": [last_user]}
        if "web_search_call.action.sources" in include:
            action["sources"] = [{"type": "url", "url": SEARCH_RESULT_URL}]
        answer.append({"type": "web_search_call", "status": "completed", "action": action})
    text = _message_text(response, last_user, answered)
    annotations = []
    if searched:
        citation = {"start_index": 0, "end_index": len(text), "url": SEARCH_RESULT_URL, "title": "Loopback result"}
        annotations.append({"type": "url_citation", **citation})
    content = [{"type": "output_text", "text": text, "annotations": annotations, "logprobs": []}]
    answer.append({"type": "message", "status": "completed", "role": "assistant", "content": content})
    return answer


def _function_to_call(tools: list[dict[str, Any]], choice: Any, answered: bool) -> dict[str, Any] | None:
    """The function tool the model calls: the chosen one, else the first unless a call's output just came."""
    functions = [tool for tool in tools if tool.get("type") == "function"]
    if isinstance(choice, dict):
        if choice.get("type") == "function":
            return next((tool for tool in functions if tool["name"] == choice.get("name")), None)
        if choice.get("type") != "allowed_tools":
            return None  # a hosted tool, an MCP server or a custom tool is chosen
        allowed = {tool.get("name") for tool in choice.get("tools") or [] if tool.get("type") == "function"}
        functions = [tool for tool in functions if tool["name"] in allowed]
        choice = choice.get("mode")
    if not functions or choice == "none" or (answered and choice != "required"):
        return None
    return functions[0]


def _searches(tools: list[dict[str, Any]], choice: Any) -> bool:
    chosen = isinstance(choice, dict) and choice.get("type") in WEB_SEARCH_TOOLS
    return choice != "none" and (chosen or any(tool.get("type") in WEB_SEARCH_TOOLS for tool in tools))


def _message_text(response: dict[str, Any], last_user: str, answered: list[dict[str, Any]]) -> str:
    """JSON for a json_schema or json_object format; else an echo of the last user text, and what came with it."""
    text_format = response["text"].get("format") or {}
    if text_format.get("type") == "json_schema":
        return json.dumps(sample_instance(text_format.get("schema") or {}))
    if text_format.get("type") == "json_object":
        return json.dumps({"answer": last_user})
    text = f"Echo from {response['model']}: {last_user}"
    for output in answered:
        text += f" ({output.get('call_id')} returned {_output_text(output.get('output'))})"
    if response["previous_response_id"]:
        text += f" (continuing {response['previous_response_id']})"
    return text


def _last_user_text(context: list[dict[str, Any]]) -> str:
    for item in reversed(context):
        if item.get("type") == "message" and item.get("role") == "user" and isinstance(item.get("content"), list):
            return " ".join(str(part.get("text", "")) for part in item["content"] if part.get("type") == "input_text")
    return ""


def _output_text(output: Any) -> str:
    if isinstance(output, list):
        return " ".join(str(part.get("text", "")) for part in output if part.get("type") == "input_text")
    return str(output)


def _words(item: dict[str, Any]) -> int:
    """How many words an item holds: its parts' text, a call's arguments or output, a summary, a search query."""
    texts = [str(part.get("text") or part.get("refusal") or "") for part in item.get("content") or []]
    texts += [str(part.get("text") or "") for part in item.get("summary") or []]
    texts += [str(item.get("arguments") or ""), _output_text(item.get("output") or "")]
    texts.append(str((item.get("action") or {}).get("query") or ""))
    return sum(len(text.split()) for text in texts)


def _reasoning_tokens(reasoning: dict[str, Any], last_user: str) -> int:
    """Some when the request reasons (an effort other than none, or a summary); else none."""
    thinks = (
        reasoning.get("summary") or reasoning.get("generate_summary") or reasoning.get("effort") not in (None, "none")
    )
    return 8 + 2 * len(last_user.split()) if thinks else 0


def _usage(input_tokens: int, output: list[dict[str, Any]], reasoning_tokens: int) -> dict[str, Any]:
    output_tokens = sum(map(_words, output)) + 1 + reasoning_tokens
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
        "total_tokens": input_tokens + output_tokens,
    }
