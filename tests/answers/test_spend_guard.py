"""The spend guard: a run sends no request past max_requests_per_run, none once its answers used
max_tokens_per_run, counted across every helper process and thread of the run; each answer's entry
records what it cost."""

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from testing.helper_process import assert_one_error_line, encode_query, run_helper_process
from testing.openai_server import Reply, api_error

LIMIT_LINE = "max_requests_per_run = {limit}: this run sent {sent} requests to the API already, so this one is not sent"


def ask(number: int, **inputs: Any) -> dict[str, Any]:
    return {"model": "gpt-4o", "messages": [{"role": "user", "content": f"Question {number}"}], **inputs}


@pytest.fixture
def own_runtime() -> Iterator[dict[str, str]]:
    """A runtime folder of the test's own: its runs' counts, and its worker, start empty. Short, so that
    the worker's socket fits in it (else the worker would be the machine's, counting in its own folder)."""
    with tempfile.TemporaryDirectory(prefix="run-", dir="/tmp") as folder:
        yield {"XDG_RUNTIME_DIR": folder}


@pytest.fixture
def provider_processes() -> Iterator[list[int]]:
    """Two live processes standing in for two Terraform runs' providers (their pids name the runs)."""
    processes = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"]) for _ in range(2)]
    yield [process.pid for process in processes]
    for process in processes:
        process.kill()
        process.wait()


@pytest.mark.parametrize("worker", ["on", "off"])
def test_a_run_sends_no_request_past_max_requests_per_run(run_helper, openai_server, own_runtime, worker):
    env = {**own_runtime, "CHAT_HELPER_WORKER": worker}
    for number in range(2):
        assert run_helper(ask(number, max_requests_per_run=2), env=env).returncode == 0

    stopped = run_helper(ask(2, max_requests_per_run=2), env=env)

    assert_one_error_line(stopped, LIMIT_LINE.format(limit=2, sent=2), "raise max_requests_per_run", '"replay"')
    assert len(openai_server.completion_requests()) == 2


def test_cache_hits_take_no_turn_and_a_requests_retries_count_once(run_helper, openai_server, own_runtime):
    assert run_helper(ask(0, max_requests_per_run=2), env=own_runtime).returncode == 0
    assert run_helper(ask(0, max_requests_per_run=2), env=own_runtime).returncode == 0  # a hit
    openai_server.queue(api_error(500, "The server had an error.", "server_error", None))
    assert run_helper(ask(1, max_requests_per_run=2), env=own_runtime).returncode == 0  # retried once

    stopped = run_helper(ask(2, max_requests_per_run=2), env=own_runtime)

    assert_one_error_line(stopped, LIMIT_LINE.format(limit=2, sent=2))
    assert len(openai_server.completion_requests()) == 3


def test_no_request_is_sent_once_the_answers_used_max_tokens_per_run(run_helper, openai_server, own_runtime):
    first = run_helper(ask(0, max_tokens_per_run=1000), env=own_runtime)
    assert first.returncode == 0, first.stderr
    used = first.result["usage"]["total_tokens"]

    stopped = run_helper(ask(1, max_tokens_per_run=used + 3), env=own_runtime)  # its estimate is 4 tokens

    assert_one_error_line(
        stopped,
        f"max_tokens_per_run = {used + 3}: the answers this run received used {used} tokens and its requests in "
        "flight reserve 0, so this request (an estimated 4 tokens of input, and no output limit) is not sent",
        "raise max_tokens_per_run",
    )
    assert len(openai_server.completion_requests()) == 1


def test_replay_and_cache_hits_answer_with_a_cap_of_zero(run_helper, openai_server, own_runtime):
    run_helper(ask(0), env=own_runtime)
    no_key = {**own_runtime, "OPENAI_API_KEY": "", "CHAT_HELPER_MAX_REQUESTS_PER_RUN": "0"}

    assert run_helper(ask(0, cache_mode="replay"), env=no_key).returncode == 0
    assert run_helper(ask(0), env=no_key).returncode == 0
    # the first request, sent with no cap, counts toward the line all the same
    assert_one_error_line(run_helper(ask(1), env=no_key), LIMIT_LINE.format(limit=0, sent=1))
    assert len(openai_server.completion_requests()) == 1


def test_the_variable_sets_the_cap_and_the_input_wins(run_helper, openai_server, own_runtime):
    env = {**own_runtime, "CHAT_HELPER_MAX_REQUESTS_PER_RUN": "1"}
    assert run_helper(ask(0), env=env).returncode == 0
    assert_one_error_line(run_helper(ask(1), env=env), LIMIT_LINE.format(limit=1, sent=1))
    assert run_helper(ask(1, max_requests_per_run=5), env=env).returncode == 0


@pytest.mark.parametrize("value", [-1, 1.5, "3", True])
def test_an_invalid_cap_fails_naming_the_input(run_helper, openai_server, value):
    run = run_helper(ask(0, max_requests_per_run=value))
    assert_one_error_line(run, "input max_requests_per_run: must be a whole number from 0 to 1000000000")
    assert openai_server.requests == []


def test_an_invalid_variable_fails_naming_it(run_helper, openai_server):
    run = run_helper(ask(0), env={"CHAT_HELPER_MAX_TOKENS_PER_RUN": "lots"})
    assert_one_error_line(run, "CHAT_HELPER_MAX_TOKENS_PER_RUN must be a whole number", "or set max_tokens_per_run")
    assert openai_server.requests == []


def test_two_runs_each_get_their_own_count(openai_server, own_runtime, provider_processes, tmp_path):
    settings = {"base_url": openai_server.base_url, "cache_dir": str(tmp_path / "cache"), "max_requests_per_run": 1}
    runs = {}
    for number, pid in enumerate(provider_processes):
        query = encode_query({**ask(number), **settings})
        runs[pid] = run_helper_process(query, env=own_runtime, arguments=(f"--parent-pid={pid}",))
    stopped = run_helper_process(
        encode_query({**ask(9), **settings}), env=own_runtime, arguments=(f"--parent-pid={provider_processes[0]}",)
    )

    assert all(run.returncode == 0 for run in runs.values())
    assert_one_error_line(stopped, LIMIT_LINE.format(limit=1, sent=1))
    assert len(openai_server.completion_requests()) == 2


def test_ten_processes_at_once_send_exactly_the_cap(run_helper, openai_server, own_runtime):
    openai_server.latency_seconds = 0.2
    with ThreadPoolExecutor(10) as pool:
        runs = list(
            pool.map(lambda number: run_helper(ask(number, max_requests_per_run=4), env=own_runtime), range(10))
        )

    assert sum(run.returncode == 0 for run in runs) == 4, [run.stderr for run in runs]
    assert len(openai_server.completion_requests()) == 4
    for run in runs:
        if run.returncode:
            assert_one_error_line(run, "max_requests_per_run = 4: this run sent 4 requests")


@pytest.mark.parametrize("max_concurrency", [1, 5])
def test_a_map_of_requests_sends_exactly_the_cap_and_names_the_keys_past_it(
    run_helper, openai_server, own_runtime, max_concurrency
):
    requests = {f"k{number}": {"messages": [{"role": "user", "content": f"Q{number}"}]} for number in range(5)}
    inputs = {"model": "gpt-4o", "requests": requests, "max_requests_per_run": 3, "max_concurrency": max_concurrency}

    run = run_helper(inputs, flow="chat_completions", env=own_runtime)

    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert len(lines) == 2 and all("max_requests_per_run = 3: this run sent 3 requests" in line for line in lines)
    assert len(openai_server.completion_requests()) == 3
    assert len(run_helper(inputs, flow="chat_completions", env=own_runtime).stderr.splitlines()) == 2  # still capped


def test_an_entry_records_what_its_answer_cost(run_helper, openai_server, tmp_path):
    run = run_helper(ask(0))
    key = run.result["request_sha256"]

    entry = json.loads((tmp_path / "cache" / key[:2] / f"{key}.json").read_text())

    reply = openai_server.completion_requests()[0].reply
    assert entry["spend"]["model"] == reply["model"] == "gpt-4o"
    assert entry["spend"]["input_tokens"] == reply["usage"]["prompt_tokens"]
    assert entry["spend"]["output_tokens"] == reply["usage"]["completion_tokens"]
    assert entry["spend"]["total_tokens"] == reply["usage"]["total_tokens"]
    assert entry["spend"]["answered_at"].endswith("Z")


def test_cached_and_reasoning_tokens_are_recorded_from_the_usage_details(run_helper, openai_server, tmp_path):
    usage = {
        "prompt_tokens": 50,
        "completion_tokens": 20,
        "total_tokens": 70,
        "prompt_tokens_details": {"cached_tokens": 32},
        "completion_tokens_details": {"reasoning_tokens": 12},
    }
    completion = {
        "id": "chatcmpl-reasoned",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "o4-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
        "usage": usage,
    }
    openai_server.queue(Reply(200, completion))
    key = run_helper(ask(0, model="o4-mini")).result["request_sha256"]

    spend = json.loads((tmp_path / "cache" / key[:2] / f"{key}.json").read_text())["spend"]

    assert {name: spend[name] for name in ("input_tokens", "output_tokens", "cached_tokens", "reasoning_tokens")} == {
        "input_tokens": 50,
        "output_tokens": 20,
        "cached_tokens": 32,
        "reasoning_tokens": 12,
    }
