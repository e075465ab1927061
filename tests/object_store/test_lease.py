"""The lease on the object store: one machine asks the API for a new request, the others wait for its answer."""

import threading
import time

import pytest

from testing.helper_process import SLACK_SECONDS, USER_EXAMPLE, assert_one_error_line
from testing.openai_server import Delayed
from testing.store_entries import COMPETING_CONTENT, entry, lease, request_key, store_url


@pytest.fixture
def machine(run_helper, s3_server, s3_bucket, s3_env, tmp_path):
    def run(name, inputs=None, *, env=None):
        settings = {"cache_dir": str(tmp_path / name / "cache"), "cache_url": store_url(s3_server, s3_bucket)}
        return run_helper({**USER_EXAMPLE, **settings, **(inputs or {})}, env={**s3_env, **(env or {})})

    return run


@pytest.fixture
def key(openai_server):
    return request_key({**USER_EXAMPLE, "base_url": openai_server.base_url})


def _put(s3_server, bucket, name, body):
    s3_server.client().put_object(Bucket=bucket, Key=f"answers/{name}", Body=body)


def test_a_live_lease_of_another_machine_is_waited_for_and_its_answer_used(
    machine, openai_server, s3_server, s3_bucket, key
):
    _put(s3_server, s3_bucket, f".leases/{key}.json", lease(key, seconds=600))
    answer_later = threading.Timer(2.0, _put, (s3_server, s3_bucket, f"{key[:2]}/{key}.json", entry(key)))
    answer_later.start()
    started = time.monotonic()
    run = machine("a")
    answer_later.join()
    assert run.returncode == 0, run.stderr
    assert run.result["content"] == COMPETING_CONTENT
    assert time.monotonic() - started >= 2.0
    assert openai_server.completion_requests() == []


def test_an_expired_lease_is_taken_over_and_released(machine, openai_server, s3_server, s3_bucket, key):
    _put(s3_server, s3_bucket, f".leases/{key}.json", lease(key, seconds=-30))  # its holder died long ago
    run = machine("a")
    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 1
    assert list(s3_server.objects(s3_bucket)) == [f"answers/{key[:2]}/{key}.json"]


def test_a_lease_in_an_unknown_format_counts_as_expired(machine, openai_server, s3_server, s3_bucket, key):
    _put(s3_server, s3_bucket, f".leases/{key}.json", b"not a lease")
    assert machine("a").returncode == 0
    assert len(openai_server.completion_requests()) == 1


def test_a_lease_released_without_an_answer_is_taken_by_a_waiter(machine, openai_server, s3_server, s3_bucket, key):
    _put(s3_server, s3_bucket, f".leases/{key}.json", lease(key, seconds=600))
    release = threading.Timer(
        1.5, s3_server.client().delete_object, kwargs={"Bucket": s3_bucket, "Key": f"answers/.leases/{key}.json"}
    )
    release.start()
    run = machine("a")
    release.join()
    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 1


def test_a_holder_that_never_answers_fails_the_waiter_within_timeout_seconds(
    machine, openai_server, s3_server, s3_bucket, key
):
    _put(s3_server, s3_bucket, f".leases/{key}.json", lease(key, seconds=600))
    started = time.monotonic()
    run = machine("a", {"timeout_seconds": 3})
    elapsed = time.monotonic() - started
    assert_one_error_line(
        run, "waiting for another machine", f"s3://{s3_bucket}/answers/.leases/{key}.json", "expires in"
    )
    assert elapsed < 3 + SLACK_SECONDS, elapsed
    assert openai_server.completion_requests() == []


def test_two_machines_asking_at_once_make_one_call(machine, openai_server, s3_server, s3_bucket):
    openai_server.queue(Delayed(1.5), Delayed(1.5))
    runs = {}
    threads = [threading.Thread(target=lambda name=name: runs.update({name: machine(name)})) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert runs["a"].returncode == 0 and runs["b"].returncode == 0, (runs["a"].stderr, runs["b"].stderr)
    assert runs["a"].result == runs["b"].result
    assert len(openai_server.completion_requests()) == 1
    assert len(s3_server.objects(s3_bucket)) == 1  # the answer; the lease is gone
