"""What a server's error response says, whatever its shape, and what kind of failure it is.

Servers answer errors in several shapes: OpenAI's {"error": {"message", "type", "param", "code"}},
{"error": "text"}, FastAPI's {"detail": "..."} or {"detail": [{"loc", "msg", ...}]} (gateways, vLLM),
a plain-text or HTML page from a reverse proxy (nginx's 502), or nothing at all. A gateway such as
the LiteLLM proxy also wraps the upstream's message in its own class names ("litellm.RateLimitError:
RateLimitError: OpenAIException - You exceeded your current quota ...") and appends paragraphs of
its own, and puts the HTTP status where the API's code was. What a user needs is the message, once,
and what kind of failure it is, however it was wrapped.
"""

import html
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from .rate_headers import TOO_LARGE

Cause = Literal["quota", "context_length", "unknown_model", "refused_key", "too_large"]
SHOWN_CHARACTERS = 300
# Leading class names of a gateway's wrapping: "litellm.RateLimitError: ", "RateLimitError: ",
# "OpenAIException - ", "litellm.Timeout: ".
_WRAPPER = re.compile(r"^(?:litellm\.[A-Za-z]+|[A-Z][A-Za-z]*(?:Error|Exception))\s*(?::|\s-)\s*")
_QUOTA = re.compile(r"exceeded your current quota|insufficient[_ ]quota|check your plan and billing", re.I)
_CONTEXT = re.compile(r"context_length_exceeded|maximum context length|context window|ContextWindowExceeded", re.I)
_UNKNOWN_MODEL = re.compile(
    r"model_not_found|the model `?[^`\s]+`? does not exist|invalid model name passed"
    r"|model .{1,80} (?:is not|was not) found",
    re.I,
)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>|<h1[^>]*>(.*?)</h1>", re.I | re.S)


@dataclass(frozen=True)
class ErrorBody:
    """message: the server's own words on one line (a page's title for HTML), or what the body was;
    code and type as the API gives them (a gateway's bare status for a code is left out)."""

    message: str
    code: str | None
    type: str | None
    raw: str  # the whole text, for recognising what the message alone no longer says


def read_error_body(text: str, status: int | None) -> ErrorBody:
    """The body of an error response, whatever its shape."""
    stripped = text.strip()
    if not stripped:
        return ErrorBody("(the response had no body)", None, None, text)
    try:
        document = json.loads(stripped)
    except ValueError:
        return ErrorBody(_page_message(stripped), None, None, text)
    message, code, kind = _json_message(document)
    if code is not None and status is not None and code == str(status):
        code = None  # a gateway's copy of the status: the line says it once
    return ErrorBody(_one_line(message), code, kind, text)


def failure_cause(status: int | None, body: ErrorBody) -> Cause | None:
    """What kind of failure this is, from the API's code or type or, where a gateway wrapped it under
    another status and code, from the API's own wording in the message."""
    kinds = {body.code, body.type}
    if "insufficient_quota" in kinds or _QUOTA.search(body.raw):
        return "quota"
    if "context_length_exceeded" in kinds or _CONTEXT.search(body.raw):
        return "context_length"
    if "model_not_found" in kinds or _UNKNOWN_MODEL.search(body.raw):
        return "unknown_model"
    if status == 429 and TOO_LARGE.search(body.raw):  # larger than the rate limit itself: no wait mends it
        return "too_large"
    # A LiteLLM proxy without a database answers any key but its master key so.
    if status == 401 or "invalid_api_key" in kinds or body.type == "no_db_connection":
        return "refused_key"
    return None


def _json_message(document: Any) -> tuple[str, str | None, str | None]:
    if isinstance(document, dict) and "error" in document:
        inner = document["error"]
        if isinstance(inner, dict):
            return _text(inner.get("message")), _string(inner.get("code")), _string(inner.get("type"))
        return _text(inner), None, None
    if isinstance(document, dict) and "detail" in document:
        detail = document["detail"]
        if isinstance(detail, list):  # FastAPI's validation errors: where, and what
            parts = [_validation_error(item) for item in detail]
            return "; ".join(part for part in parts if part) or "(an empty list of errors)", None, None
        return _text(detail), None, None
    if isinstance(document, dict) and isinstance(document.get("message"), str):
        return document["message"], _string(document.get("code")), _string(document.get("type"))
    return _text(document), None, None


def _validation_error(item: Any) -> str:
    if not isinstance(item, dict):
        return _text(item)
    where = ".".join(str(part) for part in item.get("loc", []) if part != "body")
    message = _text(item.get("msg"))
    return f"{where}: {message}" if where else message


def _one_line(message: str) -> str:
    """The message without a gateway's wrapping or its paragraphs; a wrapped JSON error body, read."""
    while (match := _WRAPPER.match(message)) is not None:
        message = message[match.end() :]
    if message.startswith("{"):
        try:
            inner, _, _ = _json_message(json.loads(message.split("\n\n", 1)[0]))
        except ValueError:
            pass
        else:
            message = inner
    message = message.split("\n\n", 1)[0].split("\nmodel=", 1)[0]
    message = " ".join(message.split())
    return message if len(message) <= SHOWN_CHARACTERS else message[: SHOWN_CHARACTERS - 3] + "..."


def _page_message(text: str) -> str:
    """A proxy's page: its title, or its first line; never the page."""
    if text.lstrip().startswith("<"):
        found = _TITLE.search(text)
        title = (
            " ".join(html.unescape(re.sub(r"<[^>]+>", "", next(g for g in found.groups() if g))).split())
            if found
            else ""
        )
        return f"{title} (an HTML page of {len(text)} bytes)" if title else f"an HTML page of {len(text)} bytes"
    return _one_line(text.splitlines()[0])


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "(no message in the response)" if value is None else json.dumps(value)[:SHOWN_CHARACTERS]


def _string(value: Any) -> str | None:
    return None if value is None else str(value)
