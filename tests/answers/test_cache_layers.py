"""The answers shared on an S3-compatible object store (SeaweedFS on 127.0.0.1), read and written as
Terraform runs the helper: two "machines" are two local cache folders in front of one bucket."""

import json
import threading
import time

import pytest

from testing.helper_process import USER_EXAMPLE, assert_one_error_line
from testing.openai_server import Delayed, api_error
from testing.s3_faults import S3Failure, S3Proxy
from testing.store_entries import COMPETING_CONTENT, entry, request_key, store_url


@pytest.fixture
def machine(run_helper, s3_server, s3_bucket, s3_env, tmp_path):
    """Runs the helper on a named machine (its own local cache folder) sharing the test's bucket."""

    def run(name, inputs=None, *, env=None, url=None, timeout=60):
        settings = {"cache_dir": str(tmp_path / name / "cache"), "cache_url": url or store_url(s3_server, s3_bucket)}
        return run_helper(
            {**USER_EXAMPLE, **settings, **(inputs or {})}, env={**s3_env, **(env or {})}, timeout=timeout
        )

    return run


def _local_entries(tmp_path, name):
    return sorted((tmp_path / name / "cache").glob("*/*.json"))


def test_a_second_machine_reads_the_answer_from_the_store_and_makes_no_call(machine, openai_server, tmp_path):
    first = machine("a")
    second = machine("b")
    assert first.returncode == 0 and second.returncode == 0, (first.stderr, second.stderr)
    assert second.result == first.result
    assert len(openai_server.completion_requests()) == 1
    [copied] = _local_entries(tmp_path, "b")
    assert copied.read_bytes() == _local_entries(tmp_path, "a")[0].read_bytes()


def test_the_store_holds_the_local_entry_byte_for_byte_at_prefix_key2_key(machine, s3_server, s3_bucket, tmp_path):
    result = machine("a").result
    key = result["request_sha256"]
    objects = s3_server.objects(s3_bucket)
    assert list(objects) == [f"answers/{key[:2]}/{key}.json"]
    [local] = _local_entries(tmp_path, "a")
    assert objects[f"answers/{key[:2]}/{key}.json"] == local.read_bytes()
    stored = json.loads(local.read_text())
    assert stored["request_sha256"] == key and stored["response"]["id"] == result["id"]


def test_a_local_hit_does_not_touch_the_store(machine, openai_server):
    recorded = machine("a")
    unreachable = "s3://nowhere/answers?endpoint=http://127.0.0.1:9"  # the store is not part of the request's key
    started = time.monotonic()
    again = machine("a", url=unreachable)
    assert again.returncode == 0, again.stderr
    assert again.stdout == recorded.stdout
    assert time.monotonic() - started < 5


def test_the_first_answer_stored_wins_and_every_machine_uses_it(machine, openai_server, s3_server, s3_bucket, tmp_path):
    """The API answers slowly; meanwhile another machine stores its answer: ours is discarded."""
    key = request_key({**USER_EXAMPLE, "base_url": openai_server.base_url})
    openai_server.queue(Delayed(2.0))

    def store_a_competing_answer():
        deadline = time.monotonic() + 30
        while not openai_server.completion_requests() and time.monotonic() < deadline:
            time.sleep(0.02)
        s3_server.client().put_object(
            Bucket=s3_bucket, Key=f"answers/{key[:2]}/{key}.json", Body=entry(key), IfNoneMatch="*"
        )

    competitor = threading.Thread(target=store_a_competing_answer)
    competitor.start()
    run = machine("a")
    competitor.join()
    assert run.returncode == 0, run.stderr
    assert run.result["content"] == COMPETING_CONTENT
    assert len(openai_server.completion_requests()) == 1
    [local] = _local_entries(tmp_path, "a")
    assert local.read_bytes() == entry(key)
    assert machine("b").result["content"] == COMPETING_CONTENT


def test_replay_reads_the_store_with_no_api_key(machine, openai_server):
    recorded = machine("a")
    replayed = machine("ci", {"cache_mode": "replay"}, env={"OPENAI_API_KEY": ""})
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.result == recorded.result
    assert len(openai_server.completion_requests()) == 1


def test_a_replay_miss_names_the_folder_and_the_store(machine, openai_server, s3_bucket, tmp_path):
    run = machine("ci", {"cache_mode": "replay"}, env={"OPENAI_API_KEY": ""})
    assert_one_error_line(
        run, 'cache_mode = "replay" and no stored answer', str(tmp_path / "ci" / "cache"), f"s3://{s3_bucket}/answers"
    )
    assert openai_server.completion_requests() == []


def test_cache_off_leaves_the_store_alone(machine, openai_server, s3_server, s3_bucket):
    assert machine("a", {"cache_mode": "off"}).returncode == 0
    assert machine("b", {"cache_mode": "off"}).returncode == 0
    assert len(openai_server.completion_requests()) == 2
    assert s3_server.objects(s3_bucket) == {}


def test_no_lease_is_left_after_an_answer_nor_after_a_failed_call(machine, openai_server, s3_server, s3_bucket):
    assert machine("a").returncode == 0
    openai_server.queue(api_error(400, "Invalid value for 'temperature'.", "invalid_request_error", None))
    failed = machine("a", {"temperature": 1.5})
    assert_one_error_line(failed, "400")
    names = list(s3_server.objects(s3_bucket))
    assert len(names) == 1 and ".leases" not in names[0]


def test_the_environment_variable_names_the_store_and_the_input_wins(
    machine, openai_server, s3_server, s3_bucket, tmp_path
):
    from_environment = {"CHAT_HELPER_CACHE_URL": store_url(s3_server, s3_bucket, "from-env")}
    assert machine("a", {"cache_url": None}, env=from_environment).returncode == 0
    assert machine("b", env=from_environment).returncode == 0  # cache_url = .../answers: a new request to it
    prefixes = sorted(name.split("/")[0] for name in s3_server.objects(s3_bucket))
    assert prefixes == ["answers", "from-env"]
    assert len(openai_server.completion_requests()) == 2


def test_an_answer_the_store_refuses_fails_the_call_and_the_next_call_stores_it_without_a_new_call(
    machine, openai_server, s3_server, s3_bucket, tmp_path
):
    with S3Proxy(s3_server.endpoint_url) as proxy:
        url = store_url(proxy, s3_bucket)
        proxy.fail = lambda method, path: (
            S3Failure(403, "AccessDenied") if method == "PUT" and ".leases" not in path else None
        )
        refused = machine("a", url=url)
        assert_one_error_line(refused, "access denied", ".pending", "without asking the API again")
        assert len(openai_server.completion_requests()) == 1
        assert _local_entries(tmp_path, "a") == []  # no machine answers with what the others do not have
        proxy.fail = lambda method, path: None
        again = machine("a", url=url)
    assert again.returncode == 0, again.stderr
    assert len(openai_server.completion_requests()) == 1
    assert machine("b").result == again.result
    assert not list((tmp_path / "a" / "cache" / ".pending").glob("*/*.json"))
    assert len(s3_server.objects(s3_bucket)) == 1


def test_a_broken_entry_in_the_store_is_reported_and_left_alone(machine, openai_server, s3_server, s3_bucket):
    key = request_key({**USER_EXAMPLE, "base_url": openai_server.base_url})
    s3_server.client().put_object(Bucket=s3_bucket, Key=f"answers/{key[:2]}/{key}.json", Body=b"{truncated")
    run = machine("a")
    assert_one_error_line(run, f"s3://{s3_bucket}/answers/{key[:2]}/{key}.json", "not a usable answer entry", "delete")
    assert openai_server.completion_requests() == []
    assert s3_server.objects(s3_bucket)[f"answers/{key[:2]}/{key}.json"] == b"{truncated"


def test_a_bucket_without_a_prefix_holds_the_entries_at_its_top(machine, s3_server, s3_bucket):
    key = machine("a", url=f"s3://{s3_bucket}?endpoint={s3_server.endpoint_url}").result["request_sha256"]
    assert list(s3_server.objects(s3_bucket)) == [f"{key[:2]}/{key}.json"]
