"""A run's caps over every block of the run, with tokens reserved before sending: a pipeline's run id and
a provider's certificate name one run across processes; uncapped blocks count toward a capped block's
line; the token cap holds while requests are in flight; an answer that arrived is never lost to the
bookkeeping."""

import fcntl
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testing.helper_process import assert_one_error_line, encode_query, run_helper_process
from testing.openai_server import Reply
from testing.s3_faults import S3Failure, S3Proxy
from testing.store_entries import store_url

REQUEST_LIMIT = "max_requests_per_run = {limit}: this run sent {sent} requests to the API already"


def ask(number: int, **inputs: Any) -> dict[str, Any]:
    return {"model": "gpt-4o", "messages": [{"role": "user", "content": f"Question {number}"}], **inputs}


def completion_using(tokens: int, number: int) -> Reply:
    """A chat completion whose usage says it used this many tokens."""
    return Reply(
        200,
        {
            "id": f"chatcmpl-large{number}",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "gpt-4o",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": tokens - 10, "completion_tokens": 10, "total_tokens": tokens},
        },
    )


@pytest.fixture
def own_runtime() -> Iterator[dict[str, str]]:
    """A runtime folder of the test's own (its runs' counts start empty), short enough for a worker's socket."""
    with tempfile.TemporaryDirectory(prefix="run-", dir="/tmp") as folder:
        yield {"XDG_RUNTIME_DIR": folder}


@pytest.fixture
def provider_processes() -> Iterator[list[int]]:
    """Two live processes standing in for two plans' providers (or two launchers of one plan)."""
    processes = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"]) for _ in range(2)]
    yield [process.pid for process in processes]
    for process in processes:
        process.kill()
        process.wait()


@pytest.fixture
def read_of(openai_server: Any, own_runtime: dict[str, str], tmp_path: Path) -> Any:
    """Runs the helper as a read of the plan whose provider (or launcher) is pid, in the test's runtime
    folder, with the given variables."""

    def run(pid: int, inputs: dict[str, Any], **env: str) -> Any:
        query = encode_query({**inputs, "cache_dir": str(tmp_path / "cache"), "base_url": openai_server.base_url})
        return run_helper_process(query, env={**own_runtime, **env}, arguments=(f"--parent-pid={pid}",))

    return run


def test_an_uncapped_blocks_requests_count_toward_a_capped_blocks_line(run_helper, openai_server, own_runtime):
    for number in range(3):
        assert run_helper(ask(number), env=own_runtime).returncode == 0  # no cap: sent, and counted

    stopped = run_helper(ask(3, max_requests_per_run=2), env=own_runtime)

    assert_one_error_line(stopped, REQUEST_LIMIT.format(limit=2, sent=3))
    assert len(openai_server.completion_requests()) == 3


def test_plans_that_share_a_run_id_share_the_cap(openai_server, provider_processes, read_of):
    first, second = provider_processes
    pipeline = {"CHAT_HELPER_RUN_ID": "pipeline 4711"}
    assert read_of(first, ask(0, max_requests_per_run=2), **pipeline).returncode == 0
    assert read_of(second, ask(1, max_requests_per_run=2), **pipeline).returncode == 0

    stopped = read_of(second, ask(2, max_requests_per_run=2), **pipeline)
    other_pipeline = read_of(second, ask(2, max_requests_per_run=2), CHAT_HELPER_RUN_ID="pipeline 4712")

    assert_one_error_line(stopped, REQUEST_LIMIT.format(limit=2, sent=2))
    assert other_pipeline.returncode == 0, other_pipeline.stderr
    assert len(openai_server.completion_requests()) == 3


def test_a_launchers_children_are_one_run_by_their_providers_certificate(openai_server, provider_processes, read_of):
    """A launcher (py, a shell wrapper) is a new parent for every read: the provider's certificate, which
    every read inherits, still names one run."""
    first_launcher, second_launcher = provider_processes
    plan = "-----BEGIN CERTIFICATE-----\nMIIB one\n-----END CERTIFICATE-----\n"
    assert read_of(first_launcher, ask(0, max_requests_per_run=1), PLUGIN_CLIENT_CERT=plan).returncode == 0

    stopped = read_of(second_launcher, ask(1, max_requests_per_run=1), PLUGIN_CLIENT_CERT=plan)
    another_plan = read_of(second_launcher, ask(1, max_requests_per_run=1), PLUGIN_CLIENT_CERT=plan + " ")

    assert_one_error_line(stopped, REQUEST_LIMIT.format(limit=1, sent=1))
    assert another_plan.returncode == 0, another_plan.stderr
    assert len(openai_server.completion_requests()) == 2


def test_an_invalid_run_id_fails_naming_it(run_helper, openai_server, own_runtime):
    env = {**own_runtime, "CHAT_HELPER_RUN_ID": "x" * 201}
    for inputs in (ask(0, max_requests_per_run=2), ask(0)):  # capped or not: the run it names is unknown
        assert_one_error_line(
            run_helper(inputs, env=env), "CHAT_HELPER_RUN_ID must be at most 200 printable characters"
        )
    assert openai_server.requests == []


def test_reservations_hold_the_token_cap_while_requests_are_in_flight(run_helper, openai_server, own_runtime):
    """The issue's map: 10 keys at once, each answer 400 tokens, max_tokens = 400, a cap of 1000. Each
    request reserves 402 (2 of input: "user" and "Q0", 400 of output): two fit; the third waits for
    them, and then fits no longer (800 used), nor does any other."""
    openai_server.latency_seconds = 0.5
    openai_server.queue(*(completion_using(400, number) for number in range(10)))
    requests = {f"k{number}": {"messages": [{"role": "user", "content": f"Q{number}"}]} for number in range(10)}
    inputs = {
        "model": "gpt-4o",
        "requests": requests,
        "max_tokens": 400,
        "max_concurrency": 10,
        "max_tokens_per_run": 1000,
    }

    run = run_helper(inputs, flow="chat_completions", env=own_runtime)

    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert len(lines) == 8, lines
    assert all("max_tokens_per_run = 1000: the answers this run received used 800 tokens" in line for line in lines)
    assert "in flight reserve 0, so this request (an estimated 402 tokens: its characters / 4 plus" in lines[0]
    assert len(openai_server.completion_requests()) == 2


def test_a_request_waits_for_room_rather_than_fail(run_helper, openai_server, own_runtime):
    """Each reserves 102 of a cap of 450: four at a time, never more in flight; as answers (small) come
    back, the rest are sent, and every key is answered."""
    openai_server.latency_seconds = 0.3
    requests = {f"k{number}": {"messages": [{"role": "user", "content": f"Q{number}"}]} for number in range(10)}
    inputs = {
        "model": "gpt-4o",
        "requests": requests,
        "max_tokens": 100,
        "max_concurrency": 10,
        "max_tokens_per_run": 450,
    }

    run = run_helper(inputs, flow="chat_completions", env=own_runtime)

    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 10
    assert openai_server.most_in_flight <= 4
    used = sum(request.reply["usage"]["total_tokens"] for request in openai_server.completion_requests())
    assert used <= 450


def test_an_answer_that_arrived_is_kept_when_its_tokens_cannot_be_counted(openai_server, own_runtime, tmp_path):
    """Issue 27, item 5: the run's counts stay locked past the lock's wait while the request is in flight;
    the answer was paid for, so it is given and cached all the same."""
    openai_server.latency_seconds = 3.0
    runs = Path(own_runtime["XDG_RUNTIME_DIR"])
    settings = {"cache_dir": str(tmp_path / "cache"), "base_url": openai_server.base_url}
    query = encode_query({**ask(0, max_requests_per_run=5), **settings})
    finished = threading.Event()
    held: list[bool] = []

    def hold_the_counts() -> None:
        while openai_server.in_flight == 0 and not finished.is_set():
            time.sleep(0.05)
        locks = list(runs.glob("terraform-openai-chat-*/runs/*.lock"))
        handles = [open(lock, "a+b") for lock in locks]  # noqa: SIM115 - closed below
        for handle in handles:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # the helper let it go once its turn was taken
        held.append(bool(handles))
        finished.wait()
        for handle in handles:
            handle.close()

    holder = threading.Thread(target=hold_the_counts)
    holder.start()
    try:
        run = run_helper_process(query, env=own_runtime)
    finally:
        finished.set()
        holder.join()

    assert held == [True]
    assert run.returncode == 0, run.stderr
    [counts] = runs.glob("terraform-openai-chat-*/runs/*.json")
    recorded = json.loads(counts.read_text())
    assert recorded["requests"] == 1 and len(recorded["in_flight"]) == 1  # not settled: counted once it expires
    key = run.result["request_sha256"]
    assert (tmp_path / "cache" / key[:2] / f"{key}.json").is_file()
    assert len(openai_server.completion_requests()) == 1


def test_a_store_that_refuses_conditional_writes_stops_a_pipelines_capped_request(
    run_helper, openai_server, own_runtime, s3_server, s3_bucket, s3_env
):
    """A store without conditional writes: the pipeline's counts cannot be kept there, so a capped request
    fails with the store's line and nothing is sent; a block with no cap is answered, uncounted."""
    with S3Proxy(s3_server.endpoint_url) as proxy:
        proxy.fail = lambda method, path: (
            S3Failure(501, "NotImplemented", "A header you provided implies functionality that is not implemented")
            if method == "PUT" and "/.runs/" in path
            else None
        )
        env = {**own_runtime, **s3_env, "CHAT_HELPER_RUN_ID": "pipeline 77"}
        url = store_url(proxy, s3_bucket)
        capped = run_helper(ask(0, max_requests_per_run=5, cache_url=url), env=env)
        uncapped = run_helper(ask(1, cache_url=url), env=env)

    assert_one_error_line(
        capped, "does not implement what writing this run's spend counts needs", "supports conditional writes"
    )
    assert uncapped.returncode == 0, uncapped.stderr
    assert len(openai_server.completion_requests()) == 1
