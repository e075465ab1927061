"""The object store failing: one line naming the store and what to check, within timeout_seconds, no
secret in it, no API call made and nothing half-written (locally or in the store)."""

import time

import pytest

from testing.helper_process import SLACK_SECONDS, USER_EXAMPLE, assert_one_error_line
from testing.s3_faults import S3Failure, S3Proxy, SilentListener
from testing.s3_server import free_ports
from testing.store_entries import store_url


@pytest.fixture
def call(run_helper, s3_server, s3_bucket, s3_env, tmp_path):
    """Runs the helper against the test's bucket (or another store URL), timing the run."""

    def run(url=None, *, env=None, inputs=None):
        settings = {"cache_dir": str(tmp_path / "cache"), "cache_url": url or store_url(s3_server, s3_bucket)}
        started = time.monotonic()
        completed = run_helper({**USER_EXAMPLE, **settings, **(inputs or {})}, env={**s3_env, **(env or {})})
        completed.seconds = time.monotonic() - started
        return completed

    return run


def _nothing_written(tmp_path, s3_server=None, bucket=None):
    assert not list((tmp_path / "cache").glob("*/*.json"))
    if s3_server is not None:
        assert s3_server.objects(bucket) == {}


def test_a_store_with_nothing_listening(call, openai_server, s3_bucket, tmp_path):
    port = free_ports(1)[0]
    run = call(f"s3://{s3_bucket}/answers?endpoint=http://127.0.0.1:{port}")
    assert_one_error_line(
        run, f"cannot reach the object store at http://127.0.0.1:{port} (bucket {s3_bucket})", "check the endpoint"
    )
    assert openai_server.completion_requests() == []
    _nothing_written(tmp_path)


def test_a_wrong_secret_key_is_access_denied_and_never_shown(call, openai_server, s3_server, s3_bucket, tmp_path):
    run = call(env={"AWS_SECRET_ACCESS_KEY": "wrong-secret-4242"})
    assert_one_error_line(
        run,
        f"access denied to s3://{s3_bucket}/answers",
        "check the AWS credentials (AWS_PROFILE / AWS_ACCESS_KEY_ID",
        "s3:GetObject, s3:PutObject and s3:ListBucket",
    )
    assert "wrong-secret-4242" not in run.stderr and s3_server.access_key_id not in run.stderr
    assert openai_server.completion_requests() == []
    _nothing_written(tmp_path, s3_server, s3_bucket)


def test_an_unknown_access_key_is_access_denied_and_never_shown(call, openai_server, s3_server, s3_bucket):
    run = call(env={"AWS_ACCESS_KEY_ID": "AKIAUNKNOWN00000000"})
    assert_one_error_line(run, f"access denied to s3://{s3_bucket}/answers", "InvalidAccessKeyId")
    assert "AKIAUNKNOWN" not in run.stderr
    assert openai_server.completion_requests() == []


def test_no_credentials_at_all(call, openai_server, tmp_path):
    home = tmp_path / "home"  # no ~/.aws there
    home.mkdir()
    run = call(env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "HOME": str(home)})
    assert_one_error_line(run, "no AWS credentials for s3://", "AWS_PROFILE")
    assert openai_server.completion_requests() == []


def test_an_unknown_profile(call, openai_server, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    run = call(env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "HOME": str(home), "AWS_PROFILE": "team"})
    assert_one_error_line(run, "the AWS profile 'team' (AWS_PROFILE) is not in the AWS config files")


def test_a_missing_bucket(call, openai_server, s3_server, tmp_path):
    run = call(store_url(s3_server, "no-such-bucket-here"))
    assert_one_error_line(run, "the bucket no-such-bucket-here does not exist at http://127.0.0.1:", "create it")
    assert openai_server.completion_requests() == []
    _nothing_written(tmp_path)


def test_a_store_that_never_answers_fails_within_timeout_seconds(call, openai_server, s3_bucket, tmp_path):
    with SilentListener() as silent:
        endpoint = silent.endpoint_url
        run = call(f"s3://{s3_bucket}/answers?endpoint={endpoint}", inputs={"timeout_seconds": 3})
    assert_one_error_line(run, f"no answer from the object store at {endpoint}", "timeout_seconds = 3")
    assert run.seconds < 3 + SLACK_SECONDS, run.seconds
    assert openai_server.completion_requests() == []
    _nothing_written(tmp_path)


def test_a_stopped_store_fails_within_timeout_seconds_and_leaves_nothing_half_written(
    call, openai_server, s3_server, s3_bucket, tmp_path
):
    s3_server.pause()  # SIGSTOP: the kernel still accepts connections; nothing answers
    try:
        run = call(inputs={"timeout_seconds": 3})
    finally:
        s3_server.resume()
    assert_one_error_line(run, "no answer from the object store at", "within the time budget")
    assert run.seconds < 3 + SLACK_SECONDS, run.seconds
    assert openai_server.completion_requests() == []
    _nothing_written(tmp_path, s3_server, s3_bucket)


def test_a_throttling_store_is_retried_a_little_then_named(call, openai_server, s3_server, s3_bucket, tmp_path):
    with S3Proxy(s3_server.endpoint_url) as proxy:
        proxy.fail = lambda method, path: S3Failure(503, "SlowDown", "Please reduce your request rate.")
        run = call(store_url(proxy, s3_bucket), env={"CHAT_HELPER_WORKER": "off"})  # the worker would try once more
    assert_one_error_line(run, f"the object store at {proxy.endpoint_url} is throttling (503 SlowDown)", "3 attempts")
    assert len(proxy.requests("GET")) == 3
    assert openai_server.completion_requests() == []


def test_a_throttled_read_that_then_succeeds_answers(call, openai_server, s3_server, s3_bucket):
    with S3Proxy(s3_server.endpoint_url) as proxy:
        failures = iter([S3Failure(503, "SlowDown"), S3Failure(500, "InternalError")])
        proxy.fail = lambda method, path: next(failures, None) if method == "GET" else None
        run = call(store_url(proxy, s3_bucket))
    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 1


def test_a_store_error_line_never_quotes_a_key_the_server_echoes(call, openai_server, s3_server, s3_bucket):
    with S3Proxy(s3_server.endpoint_url) as proxy:
        echo = f"The request from {s3_server.access_key_id} with secret {s3_server.secret_access_key} was refused"
        proxy.fail = lambda method, path: S3Failure(400, "InvalidRequest", echo)
        run = call(store_url(proxy, s3_bucket))
    assert_one_error_line(run, "refused reading the answer", "400 InvalidRequest")
    assert s3_server.access_key_id not in run.stderr and s3_server.secret_access_key not in run.stderr
