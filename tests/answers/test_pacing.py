"""requests_per_minute: one sliding-window budget shared by every helper process using a cache folder."""

import fcntl
import hashlib
import time
from concurrent.futures import ThreadPoolExecutor

from testing.helper_process import USER_EXAMPLE, assert_one_error_line
from testing.openai_server import Delayed


def _prompt(number: int) -> dict:
    return {**USER_EXAMPLE, "messages": [{"role": "user", "content": f"Prompt {number}"}]}


def test_the_loopback_server_really_answers_429_above_its_limit(run_helper, openai_server):
    """The control for the pacing tests: without a cap, the server's limit bites."""
    openai_server.rate_limit_per_minute = 2
    runs = [run_helper({**_prompt(n), "timeout_seconds": 2}) for n in range(3)]
    assert [r.returncode for r in runs] == [0, 0, 1]
    assert_one_error_line(runs[2], "429 rate_limit_exceeded")
    assert openai_server.rate_limited >= 1


def test_the_cap_is_shared_by_concurrent_processes_and_never_sends_past_it(run_helper, openai_server):
    openai_server.rate_limit_per_minute = 3
    with ThreadPoolExecutor(max_workers=5) as pool:
        runs = list(
            pool.map(lambda n: run_helper({**_prompt(n), "requests_per_minute": 3, "timeout_seconds": 4}), range(5))
        )
    succeeded = [r for r in runs if r.returncode == 0]
    assert len(succeeded) == 3
    for refused in (r for r in runs if r.returncode != 0):
        assert_one_error_line(refused, "requests_per_minute = 3", "next free slot", "raise timeout_seconds")
    assert len(openai_server.completion_requests()) == 3
    assert openai_server.rate_limited == 0


def test_cached_answers_take_no_slot(run_helper, openai_server):
    started = time.monotonic()
    for _ in range(3):
        assert run_helper({**_prompt(0), "requests_per_minute": 1, "timeout_seconds": 5}).returncode == 0
    assert len(openai_server.completion_requests()) == 1
    assert time.monotonic() - started < 15


def test_an_answer_in_time_is_kept_when_the_pacing_lock_is_busy_past_the_deadline(run_helper, openai_server, tmp_path):
    """Recording a finished request may wait on the pacing lock beyond timeout_seconds: the answer,
    which came in time, is not thrown away for it."""
    name = hashlib.sha256(openai_server.base_url.encode()).hexdigest()[:16]
    lock_path = tmp_path / "cache" / ".locks" / f"pace-{name}.lock"
    openai_server.queue(Delayed(1.0))

    def hold_the_lock_once_the_request_is_sent() -> None:
        deadline = time.monotonic() + 30
        while not openai_server.completion_requests():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        with open(lock_path, "a+b") as lock:  # as another helper recording its own request would
            fcntl.flock(lock, fcntl.LOCK_EX)
            time.sleep(2.5)  # the helper's deadline (1.5 s) passes meanwhile

    with ThreadPoolExecutor(max_workers=1) as pool:
        holder = pool.submit(hold_the_lock_once_the_request_is_sent)
        started = time.monotonic()
        run = run_helper({**_prompt(7), "requests_per_minute": 60, "timeout_seconds": 1.5})
        elapsed = time.monotonic() - started
        holder.result()
    assert run.returncode == 0, run.stderr
    assert run.result["content"] == "Echo from gpt-3.5-turbo: Prompt 7"
    assert elapsed >= 2.5  # it waited for the lock to record the request
    assert len(openai_server.completion_requests()) == 1
