"""cache_url and CHAT_HELPER_CACHE_URL: s3:// only, a valid bucket, settings in the query string, never credentials."""

import pytest

from testing.helper_process import USER_EXAMPLE, assert_one_error_line

BAD_URLS = [
    ("https://bucket/prefix", "must be an s3:// URL"),
    ("gs://bucket/prefix", "must be an s3:// URL"),
    ("s3://", "must name a valid bucket"),
    ("s3://ab/prefix", "must name a valid bucket"),
    ("s3://My_Bucket/prefix", "must name a valid bucket"),
    ("s3://bucket..name/prefix", "must name a valid bucket"),
    ("s3://-bucket/prefix", "must name a valid bucket"),
    ("s3://bucket/pre fix", "must not contain '#' or spaces"),
    ("s3://bucket/a//b", "empty, '.' or '..' part"),
    ("s3://bucket/a/../b", "empty, '.' or '..' part"),
    ("s3://bucket/a%2Fb", "characters other than"),
    ("s3://AKIAEXAMPLE:secret@bucket/prefix", "must not hold credentials"),
    ("s3://bucket/prefix?access_key=AKIAEXAMPLE", "must not hold credentials"),
    ("s3://bucket/prefix?secret_key=abc", "must not hold credentials"),
    ("s3://bucket/prefix?session_token=abc", "must not hold credentials"),
    ("s3://bucket/prefix?endpoint=https://user:pass@minio.example.com", "must not hold credentials"),
    ("s3://bucket/prefix?endpoint=minio.example.com:9000", "not an http:// or https:// URL"),
    ("s3://bucket/prefix?endpoint=https://minio.example.com/some/path", "not an http:// or https:// URL"),
    ("s3://bucket/prefix?region=EU West", "must not contain '#' or spaces"),
    ("s3://bucket/prefix?region=eu_west_1", "a region looks like eu-west-1"),
    ("s3://bucket/prefix?path_style=yes", "neither true nor false"),
    ("s3://bucket/prefix?region=", "with no value"),
    ("s3://bucket/prefix?region=eu-west-1&region=us-east-1", "twice"),
    ("s3://bucket/prefix?versioning=true", "a parameter other than endpoint, region, path_style"),
    ("s3://bucket/prefix#fragment", "must not contain '#'"),
]


@pytest.mark.parametrize(("url", "rule"), BAD_URLS, ids=[url for url, _ in BAD_URLS])
def test_a_bad_cache_url_is_refused_naming_the_input_and_the_rule(run_helper, openai_server, url, rule):
    run = run_helper({**USER_EXAMPLE, "cache_url": url})
    assert_one_error_line(run, "input cache_url:", rule)
    assert "AKIAEXAMPLE" not in run.stderr and "secret" not in run.stderr.replace("secret_key", "")
    assert openai_server.completion_requests() == []


def test_a_bad_cache_url_is_refused_even_when_the_answer_is_cached(run_helper, openai_server):
    assert run_helper(USER_EXAMPLE).returncode == 0
    run = run_helper({**USER_EXAMPLE, "cache_url": "s3://AKIAEXAMPLE:secret@bucket"})
    assert_one_error_line(run, "input cache_url:", "must not hold credentials")


def test_a_bad_environment_variable_is_named_and_its_value_not_shown(run_helper, openai_server):
    run = run_helper(USER_EXAMPLE, env={"CHAT_HELPER_CACHE_URL": "s3://bucket/prefix?secret_key=hunter2-secret"})
    assert_one_error_line(run, "CHAT_HELPER_CACHE_URL must not hold credentials", "its value is not shown")
    assert "hunter2" not in run.stderr
    assert openai_server.completion_requests() == []


GOOD_URLS = [
    "s3://bucket",
    "s3://bucket/",
    "s3://my.bucket-1/team/answers/",
    "s3://bucket/prefix?endpoint=https://abc123.r2.cloudflarestorage.com&region=auto",
    "s3://bucket/prefix?endpoint=http://127.0.0.1:9000&path_style=true&region=us-east-1",
    "s3://bucket/prefix?endpoint=https://[::1]:9000/",
    "s3://bucket/prefix?path_style=false",
]


@pytest.mark.parametrize("url", GOOD_URLS)
def test_a_good_cache_url_is_accepted(url):
    from chat_helper.core.store_url import parse_store_url

    location = parse_store_url(url)
    assert location.bucket == url.removeprefix("s3://").split("/")[0].split("?")[0]
    assert not location.prefix.startswith("/") and not location.prefix.endswith("/")


def test_the_settings_in_the_query_string_are_read():
    from chat_helper.core.store_url import parse_store_url

    location = parse_store_url("s3://bucket/a/b?endpoint=https://minio.example.com:9000/&region=auto&path_style=true")
    assert (location.bucket, location.prefix, location.endpoint, location.region, location.path_style) == (
        "bucket",
        "a/b",
        "https://minio.example.com:9000",
        "auto",
        True,
    )
    assert location.display == "s3://bucket/a/b"
    assert location.answer_key("ab" + "0" * 62) == f"a/b/ab/ab{'0' * 62}.json"
    assert location.lease_key("ab" + "0" * 62) == f"a/b/.leases/ab{'0' * 62}.json"
