"""modules/response's API failures: each one line on stderr and exit 1, retried where the policy says, never cached."""

import time
import types

import pytest
from chat_helper.core.errors import ConfigurationError
from chat_helper.openai_api.client import require_responses_api

from testing.helper_process import RESPONSE_FLOW, assert_one_error_line
from testing.openai_server import RawBody, api_error


@pytest.fixture
def ask(run_helper):
    def run(inputs=None, **settings):
        return run_helper({"model": "gpt-4o", "input": "Hello", **(inputs or {}), **settings}, flow=RESPONSE_FLOW)

    return run


def cache_entries(tmp_path):
    return list((tmp_path / "cache").glob("*/*.json"))


def test_429_with_retry_after_is_waited_for_then_answered(ask, openai_server):
    openai_server.queue(
        api_error(429, "Rate limit reached.", "requests", "rate_limit_exceeded", headers={"retry-after": "1"})
    )
    started = time.monotonic()
    run = ask()
    assert run.returncode == 0, run.stderr
    assert run.result["output_text"] == "Echo from gpt-4o: Hello"
    assert len(openai_server.response_requests()) == 2
    assert time.monotonic() - started >= 1


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_retried_then_answered(ask, openai_server, status):
    openai_server.queue(api_error(status, "The server had an error.", "server_error", None))
    run = ask()
    assert run.returncode == 0, run.stderr
    assert len(openai_server.response_requests()) == 2


def test_insufficient_quota_fails_at_once_pointing_at_billing(ask, openai_server, tmp_path):
    openai_server.queue(
        api_error(
            429,
            "You exceeded your current quota.",
            "insufficient_quota",
            "insufficient_quota",
            headers={"retry-after": "1"},
        )
    )
    run = ask()
    assert_one_error_line(run, "response: OpenAI API error 429 insufficient_quota", "out of quota", "not retried")
    assert len(openai_server.response_requests()) == 1
    assert cache_entries(tmp_path) == []


def test_an_unknown_model_is_named(ask, openai_server):
    openai_server.queue(
        api_error(404, "The model `gpt-9` does not exist.", "invalid_request_error", "model_not_found", "model")
    )
    run = ask({"model": "gpt-9"})
    assert_one_error_line(run, "404 model_not_found", "model 'gpt-9' does not exist", "check the model input")
    assert len(openai_server.response_requests()) == 1


def test_a_body_that_is_not_json_is_malformed_and_not_cached(ask, openai_server, tmp_path):
    openai_server.queue(RawBody(b"<html>Bad gateway</html>"))
    run = ask()
    assert_one_error_line(run, "malformed response from", "the body is not JSON", "nothing was cached")
    assert len(openai_server.response_requests()) == 1
    assert cache_entries(tmp_path) == []


def test_a_server_without_the_responses_api_says_so(ask, openai_server):
    openai_server.queue(
        api_error(404, "Unknown request URL: POST /v1/responses.", "invalid_request_error", "unknown_url")
    )
    assert_one_error_line(ask(), "404 unknown_url", "has no Responses API (POST /responses) here; check base_url")


def test_a_previous_response_that_is_not_stored_names_previous_response_id(ask, openai_server):
    run = ask({"previous_response_id": "resp_gone"})
    assert_one_error_line(
        run, "400 previous_response_not_found", "previous_response_id 'resp_gone' names no response stored here"
    )


def test_a_context_window_exceeded_names_what_to_shorten(ask, openai_server):
    message = "Your input exceeds the context window of this model."
    openai_server.queue(api_error(400, message, "invalid_request_error", "context_length_exceeded", "input"))
    assert_one_error_line(ask(), "400 context_length_exceeded", "shorten input, input_items or instructions")


def test_a_refused_key_is_named_and_never_shown(run_helper, openai_server, tmp_path):
    wrong = "sk-wrong-" + "x" * 30
    run = run_helper({"model": "gpt-4o", "input": "Hello"}, flow=RESPONSE_FLOW, env={"OPENAI_API_KEY": wrong})
    assert_one_error_line(run, "401 invalid_api_key", "check OPENAI_API_KEY", "not shown")
    assert wrong not in run.stderr and "sk-te***" not in run.stderr
    assert cache_entries(tmp_path) == []


def test_an_sdk_before_the_responses_parameters_is_named_with_the_upgrade_command():
    def create(*, model, input):  # 1.97's responses.create: no prompt_cache_key, no safety_identifier
        raise AssertionError("not called")

    old = types.SimpleNamespace(responses=types.SimpleNamespace(create=create))
    with pytest.raises(ConfigurationError, match=r'predates the Responses API.*pip install "openai>=1\.98\.0"'):
        require_responses_api(old)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="predates the Responses API"):
        require_responses_api(types.SimpleNamespace())  # type: ignore[arg-type]
