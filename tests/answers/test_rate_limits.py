"""Pacing to what the server says (x-ratelimit-* headers, a 429's words) against the loopback server's
meter, at limits scaled so that a test takes seconds. Counts are asserted, never durations."""

import json

from testing.helper_process import assert_one_error_line
from testing.rate_meter import Limits, RateMeter

MODEL = "gpt-4o"
# "user" and "Q000" are 8 characters: 2 tokens, and max_tokens 98: 100 tokens per request, as the meter counts.
MAX_TOKENS = 98


def _block(count: int, **inputs: object) -> dict:
    requests = {f"k{n:03d}": {"messages": [{"role": "user", "content": f"Q{n:03d}"}]} for n in range(count)}
    return {"model": MODEL, "max_tokens": MAX_TOKENS, "requests": requests, **inputs}


def _cache_entries(tmp_path) -> int:
    return sum(1 for path in (tmp_path / "cache").rglob("*.json") if ".locks" not in path.parts)


def test_a_block_over_its_token_limit_is_paced_instead_of_sent_into_429s(run_helper, openai_server):
    """64 requests of 100 tokens at 6,000 tokens per minute: 60 fit at once, 4 wait for the bucket."""
    openai_server.meter = RateMeter({MODEL: Limits(tokens_per_minute=6000)})
    run = run_helper(_block(64), flow="chat_completions")
    assert run.returncode == 0, run.stderr
    assert len(run.result["results"]) == 64
    # Before the first answer nothing is known, but the first 16 fit; after it, the view paces to the
    # headers. A 429 needs a report to be overtaken by a request sent before it (a descheduled thread).
    assert openai_server.meter.rate_limited <= 6  # a few on a loaded machine; the bench holds the 5% target


def test_a_block_that_cannot_fit_in_its_wait_fails_at_once_naming_the_numbers(run_helper, openai_server, tmp_path):
    """200 requests of 100 tokens at 6,000 per minute need 140 s; rate_limit_wait_seconds = 10."""
    openai_server.meter = RateMeter({MODEL: Limits(tokens_per_minute=6000)})
    run = run_helper(_block(200, rate_limit_wait_seconds=10), flow="chat_completions")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr  # one line for the block, not one per key
    fragments = (
        "requests: rate limits of model 'gpt-4o'",
        "keys left, 100 tokens each",
        "6,000 tokens per minute",
        "rate_limit_wait_seconds = 10",
        "raise rate_limit_wait_seconds to",
    )
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    sent = len(openai_server.completion_requests())
    assert sent <= 60, "it stops before sending past what fits, once the first answers said the limit"
    assert openai_server.meter.rate_limited == 0
    assert _cache_entries(tmp_path) == sent, "every answer that arrived is kept"


def test_a_request_larger_than_the_token_limit_is_never_retried(run_helper, openai_server):
    openai_server.meter = RateMeter({MODEL: Limits(tokens_per_minute=1000)})
    inputs = {"model": MODEL, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2000}
    first = run_helper(inputs)
    assert_one_error_line(first, "Request too large", "1,000 tokens", "2,002", "lower max_tokens", "not retried")
    assert openai_server.meter.too_large == 1
    # The view now knows the limit: the next such request fails before it is sent.
    second = run_helper({**inputs, "messages": [{"role": "user", "content": "Hi again"}]})
    assert_one_error_line(second, "request too large", "1,000 tokens", "not retried")
    assert len(openai_server.completion_requests()) == 1


def test_without_headers_the_429s_words_teach_the_limit(run_helper, openai_server):
    """A server that sends no x-ratelimit-* headers: the first 429 names the limit and the wait, and
    the rest is paced; the 429s are at most the requests that were in flight when it came."""
    openai_server.meter = RateMeter({MODEL: Limits(requests_per_minute=120)}, headers="none")
    openai_server.meter.use(MODEL, requests=115)  # another client of the account used most of the minute
    run = run_helper(_block(15), flow="chat_completions")
    assert run.returncode == 0, run.stderr
    assert openai_server.meter.admitted == 15
    assert openai_server.meter.rate_limited <= 16  # the first window at most, never one per request


def test_a_response_and_a_chat_completion_of_one_model_share_the_view(run_helper, openai_server):
    """A chat completion learns that the model's tokens are spent for two minutes (its 429 says so); a
    response for the same model then waits its turn rather than send (past rate_limit_wait_seconds = 0:
    it fails, and sends nothing)."""
    openai_server.meter = RateMeter({MODEL: Limits(tokens_per_minute=6000)})
    openai_server.meter.use(MODEL, tokens=2 * 6000)
    chat = run_helper(
        {
            "model": MODEL,
            "messages": [{"role": "user", "content": "Hi"}],
            "max_tokens": 100,
            "rate_limit_wait_seconds": 0,
        }
    )
    assert_one_error_line(chat, "rate limits of model 'gpt-4o'", "past rate_limit_wait_seconds")
    assert openai_server.meter.rate_limited == 1
    response = run_helper(
        {"model": MODEL, "input": "Hello", "max_output_tokens": 100, "rate_limit_wait_seconds": 0}, flow="response"
    )
    assert_one_error_line(response, "rate limits of model 'gpt-4o'", "past rate_limit_wait_seconds")
    assert openai_server.response_requests() == []


def test_the_view_is_a_file_of_the_machine_that_holds_no_secret(run_helper, openai_server, tmp_path):
    openai_server.meter = RateMeter({MODEL: Limits(tokens_per_minute=6000)})
    assert run_helper(_block(3), flow="chat_completions").returncode == 0
    views = list((tmp_path / "rate-limits").glob("rate-*.json"))
    assert len(views) == 1
    view = json.loads(views[0].read_text())
    assert view["headers"] is True and view["tokens"][0] == 6000
    assert openai_server.base_url not in views[0].read_text()
