"""Each API failure becomes one clear line on stderr and exit 1, never with the key."""

import time
from pathlib import Path

import pytest

from testing.helper_process import SLACK_SECONDS, USER_EXAMPLE, assert_one_error_line
from testing.openai_server import Hang, RawBody, Trickle, api_error
from testing.secret_canary import TEST_API_KEY


def _cache_entries(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "cache").rglob("*.json")] if (tmp_path / "cache").exists() else []


def test_invalid_api_key_is_reported_without_the_key(run_helper, openai_server, tmp_path):
    wrong_key = "sk-wrong-" + "x" * 30
    run = run_helper(USER_EXAMPLE, env={"OPENAI_API_KEY": wrong_key})
    assert_one_error_line(run, "401", "invalid_api_key", "OPENAI_API_KEY", "not shown")
    assert wrong_key not in run.stderr and "sk-te***" not in run.stderr
    assert len(openai_server.completion_requests()) == 1
    assert _cache_entries(tmp_path) == []


def test_missing_api_key_says_what_to_set_and_makes_no_call(run_helper, openai_server):
    run = run_helper(USER_EXAMPLE, env={"OPENAI_API_KEY": ""})
    assert_one_error_line(run, "OPENAI_API_KEY is not set", "export OPENAI_API_KEY", "OPENAI_BASE_URL")
    assert openai_server.completion_requests() == []


def test_context_window_exceeded_names_the_model_and_token_counts(run_helper, openai_server):
    openai_server.queue(
        api_error(
            400,
            "This model's maximum context length is 16385 tokens. However, your messages resulted in "
            "20012 tokens. Please reduce the length of the messages.",
            "invalid_request_error",
            "context_length_exceeded",
            "messages",
        )
    )
    run = run_helper(USER_EXAMPLE)
    assert_one_error_line(
        run, "400 context_length_exceeded", "16385 tokens", "20012 tokens", "'gpt-3.5-turbo'", "shorten"
    )
    assert len(openai_server.completion_requests()) == 1


def test_unknown_model_is_named(run_helper, openai_server):
    openai_server.queue(
        api_error(
            404,
            "The model `gpt-9` does not exist or you do not have access to it.",
            "invalid_request_error",
            "model_not_found",
        )
    )
    run = run_helper({**USER_EXAMPLE, "model": "gpt-9"})
    assert_one_error_line(run, "404 model_not_found", "gpt-9", "check the model input")
    assert len(openai_server.completion_requests()) == 1


def test_insufficient_quota_fails_at_once_pointing_at_billing(run_helper, openai_server):
    openai_server.queue(
        api_error(
            429,
            "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            "insufficient_quota",
            headers={"retry-after": "1"},
        )
    )
    started = time.monotonic()
    run = run_helper(USER_EXAMPLE)
    assert_one_error_line(run, "429 insufficient_quota", "quota", "billing")
    assert len(openai_server.completion_requests()) == 1
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(run_helper, openai_server, status):
    openai_server.queue(api_error(status, "refused for the test", "invalid_request_error", None))
    run = run_helper(USER_EXAMPLE)
    assert_one_error_line(run, f"OpenAI API error {status}", "refused for the test")
    assert len(openai_server.completion_requests()) == 1


def test_server_errors_forever_fail_within_the_time_budget(run_helper, openai_server, tmp_path):
    openai_server.queue(*[api_error(503, "The server is overloaded.", "server_error", None)] * 100)
    started = time.monotonic()
    run = run_helper({**USER_EXAMPLE, "timeout_seconds": 4})
    elapsed = time.monotonic() - started
    assert_one_error_line(run, "503", "overloaded", "gave up after", "try again later")
    assert elapsed < 4 + SLACK_SECONDS, elapsed  # 100 errors with backoff would take longer
    assert len(openai_server.completion_requests()) >= 2
    assert _cache_entries(tmp_path) == []


def test_a_server_that_never_answers_times_out_within_the_bound(run_helper, openai_server):
    openai_server.queue(Hang(15), Hang(15))
    started = time.monotonic()
    run = run_helper({**USER_EXAMPLE, "timeout_seconds": 2})
    elapsed = time.monotonic() - started
    assert_one_error_line(run, "no answer from", "timeout_seconds")
    assert elapsed < 2 + SLACK_SECONDS, elapsed  # the answer would take 15 s or more


@pytest.mark.parametrize("worker", ["on", "off"])
def test_an_answer_sent_too_slowly_is_cut_off_at_the_bound_and_not_cached(run_helper, openai_server, tmp_path, worker):
    openai_server.queue(Trickle(0.2))  # every read is quick; the whole answer would take over a minute
    started = time.monotonic()
    run = run_helper({**USER_EXAMPLE, "timeout_seconds": 2}, env={"CHAT_HELPER_WORKER": worker})
    elapsed = time.monotonic() - started
    assert_one_error_line(run, "no answer from", "within the time budget", "timeout_seconds")
    assert elapsed < 2 + SLACK_SECONDS, elapsed  # the answer would take 15 s or more
    assert len(openai_server.completion_requests()) == 1
    assert not list((tmp_path / "cache").glob("*/*.json"))


def test_nothing_listening_says_cannot_reach(run_helper, openai_server):
    run = run_helper({**USER_EXAMPLE, "base_url": "http://127.0.0.1:9/v1", "timeout_seconds": 10})
    assert_one_error_line(run, "cannot reach http://127.0.0.1:9/v1", "3 attempts")


def test_a_host_that_does_not_resolve_says_cannot_reach(run_helper):
    run = run_helper({**USER_EXAMPLE, "base_url": "http://no-such-host.invalid/v1", "timeout_seconds": 10})
    assert_one_error_line(run, "cannot reach http://no-such-host.invalid/v1")


def test_a_malformed_body_is_a_clear_error_and_nothing_is_cached(run_helper, openai_server, tmp_path):
    openai_server.queue(RawBody(b"<html>502 Bad Gateway</html>"))
    run = run_helper(USER_EXAMPLE)
    assert_one_error_line(run, "malformed response", "nothing was cached")
    assert _cache_entries(tmp_path) == []


def test_a_body_without_choices_is_malformed_and_nothing_is_cached(run_helper, openai_server, tmp_path):
    openai_server.queue(RawBody(b'{"id": "chatcmpl-1", "object": "chat.completion"}'))
    run = run_helper(USER_EXAMPLE)
    assert_one_error_line(run, "malformed response", "no choices")
    assert _cache_entries(tmp_path) == []


def test_the_key_never_appears_in_any_error(run_helper, openai_server):
    openai_server.queue(api_error(400, f"echoing your key {TEST_API_KEY} back", "invalid_request_error", None))
    run = run_helper(USER_EXAMPLE)
    assert run.returncode == 1
    assert TEST_API_KEY not in run.stderr and "[redacted]" in run.stderr


def test_a_key_with_a_trailing_newline_is_used_stripped_and_never_printed(run_helper, openai_server):
    run = run_helper(USER_EXAMPLE, env={"OPENAI_API_KEY": TEST_API_KEY + "\n"})
    assert run.returncode == 0, run.stderr
    assert openai_server.completion_requests()[0].headers["authorization"] == f"Bearer {TEST_API_KEY}"


def test_a_key_with_control_characters_is_refused_without_being_shown(run_helper, openai_server):
    secret = "my-proxy-secret\x07value"
    run = run_helper(USER_EXAMPLE, env={"OPENAI_API_KEY": secret})
    assert_one_error_line(run, "OPENAI_API_KEY contains", "not shown")
    assert "my-proxy-secret" not in run.stderr
    assert openai_server.completion_requests() == []


def test_quota_errors_are_recognised_by_type_too(run_helper, openai_server):
    openai_server.queue(api_error(429, "You exceeded your current quota.", "insufficient_quota", None))
    assert_one_error_line(run_helper(USER_EXAMPLE), "429", "quota")
    assert len(openai_server.completion_requests()) == 1


def test_sdk_debug_logging_does_not_break_the_one_line_rule(run_helper, openai_server):
    openai_server.queue(api_error(400, "refused", "invalid_request_error", None))
    assert_one_error_line(run_helper(USER_EXAMPLE, env={"OPENAI_LOG": "debug"}), "OpenAI API error 400")


def test_a_truncated_body_is_retried_and_the_whole_answer_cached(run_helper, openai_server, tmp_path):
    openai_server.queue(RawBody(b'{"id": "chatcmpl-1", "choi', content_length=400))
    run = run_helper(USER_EXAMPLE)
    assert run.returncode == 0, run.stderr
    assert run.result["content"] == "Echo from gpt-3.5-turbo: Tell me about the solar system."
    assert len(openai_server.completion_requests()) == 2
    assert len(_cache_entries(tmp_path)) == 1


def test_a_body_truncated_on_every_attempt_is_one_clear_line_and_nothing_is_cached(run_helper, openai_server, tmp_path):
    openai_server.queue(*[RawBody(b'{"id": "chatcmpl-1", "choi', content_length=400)] * 3)
    run = run_helper(USER_EXAMPLE)
    assert_one_error_line(run, "broke before the answer was complete", "received 26 bytes", "3 attempts")
    assert len(openai_server.completion_requests()) == 3
    assert _cache_entries(tmp_path) == []
