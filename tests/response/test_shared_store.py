"""Responses shared on the team's object store (SeaweedFS on 127.0.0.1): two machines, two cache folders, one
bucket, one request; replay from the store with no key."""

import pytest

from testing.helper_process import RESPONSE_FLOW
from testing.store_entries import store_url

REQUEST = {"model": "gpt-4o", "input": "Describe the billing service.", "instructions": "One sentence."}


@pytest.fixture
def machine(run_helper, s3_server, s3_bucket, s3_env, tmp_path):
    """Runs the response flow on a named machine (its own local cache folder) sharing the test's bucket."""

    def run(name, env=None, **settings):
        where = {"cache_dir": str(tmp_path / name / "cache"), "cache_url": store_url(s3_server, s3_bucket)}
        return run_helper({**REQUEST, **where, **settings}, flow=RESPONSE_FLOW, env={**s3_env, **(env or {})})

    return run


def test_a_second_machine_answers_from_the_store_with_no_request(machine, openai_server, s3_server, s3_bucket):
    first = machine("laptop")
    second = machine("ci-runner")
    assert first.returncode == 0 and second.returncode == 0, (first.stderr, second.stderr)
    assert second.stdout == first.stdout
    assert len(openai_server.response_requests()) == 1
    key = first.result["request_sha256"]
    assert list(s3_server.objects(s3_bucket)) == [f"answers/{key[:2]}/{key}.json"]


def test_replay_reads_the_store_with_no_api_key(machine, openai_server):
    recorded = machine("laptop")
    replayed = machine("ci-runner", cache_mode="replay", env={"OPENAI_API_KEY": ""})
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout == recorded.stdout
    assert len(openai_server.response_requests()) == 1
