"""Failures classified by what they are, and error bodies in every shape real servers and gateways send:
one line with the status once, the server's message once (a gateway's class names left out), advice
that fits, and no retry of what no retry can mend."""

import json
from typing import Any

import pytest

from testing.helper_process import USER_EXAMPLE, assert_one_error_line
from testing.openai_server import RawBody, Reply

LITELLM_PREFIX = "litellm.RateLimitError: RateLimitError: OpenAIException - "
QUOTA_MESSAGE = (
    "You exceeded your current quota, please check your plan and billing details. For more information on this "
    "error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors."
)
LITELLM_TAIL = (
    "\n\nLiteLLM: model group 'gpt-4o' failed with the error above and no fallback model group was found for it. "
    "Fallbacks are configured for: *. Add a fallbacks entry to route this model group elsewhere."
)
NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>"
    b"\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"
)


def gateway_error(status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> Reply:
    """An error as the LiteLLM proxy answers it: the status as the code, its own type, the message wrapped."""
    body = {"error": {"message": message, "type": kind, "param": None, "code": str(status)}}
    return Reply(status, body, headers or {})


def test_a_quota_error_a_gateway_sends_as_a_rate_limit_is_not_retried(run_helper, openai_server):
    openai_server.queue(gateway_error(429, LITELLM_PREFIX + QUOTA_MESSAGE + LITELLM_TAIL, "throttling_error"))

    run = run_helper({**USER_EXAMPLE, "timeout_seconds": 15})

    assert_one_error_line(
        run,
        "chat_completion: OpenAI API error 429: You exceeded your current quota, please check your plan",
        "-> the account is out of quota: check the plan and billing details (not retried)",
    )
    assert "429 429" not in run.stderr and "litellm" not in run.stderr and "LiteLLM" not in run.stderr
    assert len(openai_server.completion_requests()) == 1


@pytest.mark.parametrize("status", [400, 403, 500, 503])
def test_quota_wording_under_any_status_is_not_retried(run_helper, openai_server, status):
    openai_server.queue(gateway_error(status, "OpenAIException - " + QUOTA_MESSAGE, "internal_server_error"))

    run = run_helper({**USER_EXAMPLE, "timeout_seconds": 15})

    assert_one_error_line(run, f"OpenAI API error {status}: You exceeded your current quota", "out of quota")
    assert len(openai_server.completion_requests()) == 1


def test_a_wrapped_context_length_error_names_the_model_and_is_one_message(run_helper, openai_server):
    message = (
        "litellm.ContextWindowExceededError: litellm.BadRequestError: ContextWindowExceededError: OpenAIException - "
        "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.\n"
        "model=gpt-4o. context_window_fallbacks=None. fallbacks=[{'*': 'None'}].\n\nSet 'context_window_fallback'"
    )
    openai_server.queue(gateway_error(400, message, "invalid_request_error"))

    run = run_helper(USER_EXAMPLE)

    assert_one_error_line(
        run,
        "OpenAI API error 400: This model's maximum context length is 8192 tokens. However, your messages resulted "
        "in 9000 tokens. -> the messages do not fit model 'gpt-3.5-turbo''s context window",
    )
    assert "fallback" not in run.stderr


@pytest.mark.parametrize("status", [404, 500])
def test_an_unknown_model_behind_a_gateway_is_named_and_not_retried(run_helper, openai_server, status):
    message = "litellm.NotFoundError: NotFoundError: OpenAIException - The model `gpt-nope` does not exist"
    openai_server.queue(gateway_error(status, message, "invalid_request_error"))

    run = run_helper({**USER_EXAMPLE, "model": "gpt-nope", "timeout_seconds": 15})

    assert_one_error_line(run, f"OpenAI API error {status}: The model `gpt-nope` does not exist", "model 'gpt-nope'")
    assert len(openai_server.completion_requests()) == 1


def test_a_model_the_gateway_does_not_serve_is_named(run_helper, openai_server):
    message = (
        "/chat/completions: Invalid model name passed in model=gpt-nope. Call `/v1/models` to view available models"
    )
    openai_server.queue(gateway_error(400, message, "invalid_request_error"))

    run = run_helper({**USER_EXAMPLE, "model": "gpt-nope"})

    assert_one_error_line(run, "Invalid model name passed in model=gpt-nope", "model 'gpt-nope' does not exist")


def test_a_gateways_copy_of_retry_after_is_honoured(run_helper, openai_server):
    limited = gateway_error(
        429,
        "litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached for requests",
        "throttling_error",
        {"llm_provider-retry-after": "1.5"},
    )
    openai_server.queue(limited)

    run = run_helper(USER_EXAMPLE)

    assert run.returncode == 0, run.stderr
    first, second = openai_server.completion_requests()
    assert second.arrived - first.arrived >= 1.4


def body_answers(status: int, body: bytes, content_type: str = "application/json") -> list[Any]:
    """The same error on every attempt, so that the line is the final one."""
    return [RawBody(body, status=status, content_type=content_type)] * 10


VALIDATION_ERRORS = {"detail": [{"loc": ["body", "messages", 0, "role"], "msg": "field required", "type": "missing"}]}
SHAPES = {  # (status, body, content type, what the line says after "OpenAI API error ")
    "error-text": (400, {"error": "Model 'x' is not loaded"}, "application/json", "400: Model 'x' is not loaded"),
    "detail-text": (422, {"detail": "Unsupported parameter: seed"}, "application/json", "422: Unsupported parameter"),
    "detail-list": (422, VALIDATION_ERRORS, "application/json", "422: messages.0.role: field required"),
    "nginx-html": (502, NGINX_502, "text/html", "502: 502 Bad Gateway (an HTML page of"),
    "empty": (504, b"", "text/plain", "504: (the response had no body)"),
    "plain-text": (503, b"upstream connect error or disconnect/reset\n", "text/plain", "503: upstream connect error"),
}


@pytest.mark.parametrize(("status", "body", "content_type", "line"), SHAPES.values(), ids=SHAPES.keys())
def test_every_shape_of_error_body_is_one_line_with_the_status_once(
    run_helper, openai_server, status, body, content_type, line
):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    openai_server.queue(*body_answers(status, raw, content_type))

    run = run_helper({**USER_EXAMPLE, "timeout_seconds": 4})

    assert_one_error_line(run, f"chat_completion: OpenAI API error {line}")
    assert "<html" not in run.stderr and "<center>" not in run.stderr
    assert run.stderr.count(str(status)) == (2 if status == 502 else 1)  # nginx's title repeats its status


def test_a_5xx_html_page_is_retried_and_then_answered(run_helper, openai_server):
    openai_server.queue(RawBody(NGINX_502, status=502, content_type="text/html"))

    run = run_helper(USER_EXAMPLE)

    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 2


def test_a_server_without_the_chat_api_says_so_and_names_base_url(run_helper, openai_server):
    openai_server.queue(RawBody(json.dumps({"detail": "Method Not Allowed"}).encode(), status=405))

    run = run_helper(USER_EXAMPLE)

    assert_one_error_line(
        run,
        "OpenAI API error 405: Method Not Allowed",
        f"the endpoint {openai_server.base_url} has no chat completions API",
    )
