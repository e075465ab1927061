"""The settings of the flows that ask for answers (answers/settings.py): the cache, pacing and the
guardrails, refused naming the input before any request."""

import pytest

from testing.helper_process import USER_EXAMPLE, assert_one_error_line

# (what is wrong, inputs merged over a valid request, fragments the one error line must hold)
BAD_SETTINGS = [
    ("unknown cache_mode", {"cache_mode": "sometimes"}, ["input cache_mode", "read-write, replay, off"]),
    ("allow_refusal not a bool", {"allow_refusal": "yes"}, ["input allow_refusal", "true or false"]),
    ("requests_per_minute zero", {"requests_per_minute": 0}, ["input requests_per_minute", "whole number"]),
    ("requests_per_minute fraction", {"requests_per_minute": 2.5}, ["input requests_per_minute", "whole number"]),
    ("cache dir empty", {"cache_dir": " "}, ["input cache_dir"]),
    ("cache url not s3", {"cache_url": "https://bucket.s3.amazonaws.com/answers"}, ["input cache_url"]),
    ("cache url bad bucket", {"cache_url": "s3://My_Bucket/answers"}, ["input cache_url"]),
    (
        "cache url with credentials before the bucket",
        {"cache_url": "s3://AKIAEXAMPLE:secret@bucket/answers"},
        ["input cache_url"],
    ),
    (
        "cache url with credentials in the query",
        {"cache_url": "s3://bucket/answers?endpoint=https://minio.example.com&access_key=AKIAEXAMPLE"},
        ["input cache_url"],
    ),
]


@pytest.mark.parametrize(("case", "inputs", "fragments"), BAD_SETTINGS, ids=[c[0] for c in BAD_SETTINGS])
def test_a_bad_answer_setting_is_refused_naming_it_before_any_call(run_helper, openai_server, case, inputs, fragments):
    assert_one_error_line(run_helper({**USER_EXAMPLE, **inputs}), "chat_completion:", *fragments)
    assert openai_server.requests == []
