"""requests_per_minute and the server's 429s, paced in one view shared by every helper process
(answers/pacing.py); the user's cap is a sliding 60 s window over the same sends."""

import time
from concurrent.futures import ThreadPoolExecutor

from testing.helper_process import USER_EXAMPLE, assert_one_error_line
from testing.openai_server import Delayed
from testing.rate_meter import Limits, RateMeter


def _prompt(number: int) -> dict:
    return {**USER_EXAMPLE, "messages": [{"role": "user", "content": f"Prompt {number}"}]}


def test_a_429_waits_what_the_server_asked_and_that_wait_is_bounded_by_rate_limit_wait_seconds(
    run_helper, openai_server
):
    """No headers, a 429 that says "try again in 30s": past rate_limit_wait_seconds, one line, no retry."""
    openai_server.meter = RateMeter(Limits(requests_per_minute=2), headers="none")
    runs = [run_helper({**_prompt(n), "rate_limit_wait_seconds": 0}) for n in range(3)]
    assert [r.returncode for r in runs] == [0, 0, 1]
    assert_one_error_line(runs[2], "rate limits of model 'gpt-3.5-turbo'", "past rate_limit_wait_seconds")
    assert openai_server.meter.rate_limited == 1  # the one that taught the view; the retry waited instead
    assert len(openai_server.completion_requests()) == 3


def test_the_cap_is_shared_by_concurrent_processes_and_never_sends_past_it(run_helper, openai_server):
    openai_server.rate_limit_per_minute = 3
    with ThreadPoolExecutor(max_workers=5) as pool:
        runs = list(
            pool.map(
                lambda n: run_helper({**_prompt(n), "requests_per_minute": 3, "rate_limit_wait_seconds": 2}),
                range(5),
            )
        )
    succeeded = [r for r in runs if r.returncode == 0]
    assert len(succeeded) == 3
    for refused in (r for r in runs if r.returncode != 0):
        assert_one_error_line(refused, "this request's turn comes in", "raise rate_limit_wait_seconds")
    assert len(openai_server.completion_requests()) == 3
    assert openai_server.rate_limited == 0


def test_cached_answers_take_no_turn(run_helper, openai_server):
    for _ in range(3):
        run = run_helper({**_prompt(0), "requests_per_minute": 1, "rate_limit_wait_seconds": 0})
        assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 1


def test_an_answer_is_kept_when_the_view_stays_locked_after_it_arrived(run_helper, openai_server, tmp_path):
    """Recording a finished request waits a few seconds at most for the view's lock, then leaves it
    undone: the answer, which came in time, is never lost to bookkeeping (issue 27, item 5)."""
    import fcntl

    openai_server.queue(Delayed(1.0))
    views = tmp_path / "rate-limits"

    def hold_the_lock_once_the_request_is_sent() -> None:
        deadline = time.monotonic() + 60
        while not openai_server.completion_requests() or not list(views.glob("rate-*.lock")):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        with open(next(views.glob("rate-*.lock")), "a+b") as lock:  # as a stuck helper would
            fcntl.flock(lock, fcntl.LOCK_EX)
            time.sleep(6)  # past the 3 s the bookkeeping waits for it, and past timeout_seconds (1.5)

    with ThreadPoolExecutor(max_workers=1) as pool:
        holder = pool.submit(hold_the_lock_once_the_request_is_sent)
        run = run_helper({**_prompt(7), "requests_per_minute": 60, "timeout_seconds": 1.5})
        holder.result()
    assert run.returncode == 0, run.stderr
    assert run.result["content"] == "Echo from gpt-3.5-turbo: Prompt 7"
    assert len(openai_server.completion_requests()) == 1
