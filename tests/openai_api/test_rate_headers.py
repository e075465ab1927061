"""Every form in which an answer reports the rate limits: the six headers, Go durations, a missing header,
Azure's -1 and 0, a gateway's llm_provider- copies, and a 429's wording with and without "try again in"."""

import pytest
from chat_helper.openai_api.rate_headers import Bucket, go_duration, read_report

OPENAI_HEADERS = {
    "x-ratelimit-limit-requests": "5000",
    "x-ratelimit-limit-tokens": "160000",
    "x-ratelimit-remaining-requests": "4999",
    "x-ratelimit-remaining-tokens": "159976",
    "x-ratelimit-reset-requests": "12ms",
    "x-ratelimit-reset-tokens": "9ms",
}
TPM_429 = (
    '{"error": {"message": "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit '
    "30000, Used 29500, Requested 800. Please try again in 1.6s. Visit https://platform.openai.com/account/rate-"
    'limits to learn more.", "type": "tokens", "param": null, "code": "rate_limit_exceeded"}}'
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("12ms", 0.012),
        ("1.6s", 1.6),
        ("6m0s", 360.0),
        ("1h2m3s", 3723.0),
        ("59.999s", 59.999),
        ("120ms", 0.12),
        ("1m30.5s", 90.5),
        ("250us", 0.00025),
        ("2", 2.0),
        ("0.5", 0.5),
    ],
)
def test_go_durations(text, seconds):
    assert go_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "soon", "1.6", "-3", "5x", "1h-2m", None])
def test_what_is_not_a_duration_is_none_or_plain_seconds(text):
    value = go_duration(text)
    assert value is None or (text == "1.6" and value == 1.6)


def test_the_six_headers_of_an_answer():
    report = read_report(OPENAI_HEADERS)
    assert report.requests == Bucket(5000, 4999, pytest.approx(0.012))
    assert report.tokens == Bucket(160000, 159976, pytest.approx(0.009))
    assert report.has_headers and report.try_again_seconds is None and report.too_large is None


def test_header_names_in_any_case():
    report = read_report({name.upper(): value for name, value in OPENAI_HEADERS.items()})
    assert report.tokens == Bucket(160000, 159976, pytest.approx(0.009))


def test_a_missing_header_leaves_its_meter_unknown():
    headers = {k: v for k, v in OPENAI_HEADERS.items() if not k.endswith("-tokens")}
    report = read_report(headers)
    assert report.requests.known and not report.tokens.known
    assert read_report({}).has_headers is False
    only_limit = read_report({"x-ratelimit-limit-tokens": "30000"})
    assert not only_limit.tokens.known  # a limit without what remains paces nothing


def test_azures_minus_one_and_zero_mean_unknown_never_no_room():
    report = read_report(
        {"x-ratelimit-limit-tokens": "-1", "x-ratelimit-remaining-tokens": "-1", "x-ratelimit-reset-tokens": "0"}
    )
    assert report.tokens == Bucket()
    assert not report.has_headers
    zero_limit = read_report({"x-ratelimit-limit-requests": "0", "x-ratelimit-remaining-requests": "0"})
    assert not zero_limit.has_headers


def test_a_gateways_llm_provider_copies_are_read_when_the_headers_are_not_there():
    copies = {f"llm_provider-{name}": value for name, value in OPENAI_HEADERS.items()}
    assert read_report(copies).tokens == Bucket(160000, 159976, pytest.approx(0.009))
    both = {**copies, "x-ratelimit-limit-tokens": "1000", "x-ratelimit-remaining-tokens": "10"}
    assert read_report(both).tokens.limit == 1000  # the API's own headers first


def test_a_429_with_try_again_in_and_no_retry_after():
    report = read_report({**OPENAI_HEADERS, "x-ratelimit-remaining-tokens": "0"}, 429, TPM_429)
    assert report.try_again_seconds == pytest.approx(1.6)
    assert report.exhausted == "tokens"
    assert report.named_limit == 30000
    assert report.too_large is None


@pytest.mark.parametrize(("said", "seconds"), [("20ms", 0.02), ("6m0s", 360.0), ("1m2.5s", 62.5), ("7s", 7.0)])
def test_every_duration_form_of_try_again_in(said, seconds):
    report = read_report({}, 429, TPM_429.replace("1.6s", said))
    assert report.try_again_seconds == pytest.approx(seconds)


def test_a_429_without_try_again_in_leaves_the_wait_to_the_caller():
    body = (
        '{"error": {"message": "Rate limit reached for requests", "type": "requests", "code": "rate_limit_exceeded"}}'
    )
    report = read_report({}, 429, body)
    assert report.try_again_seconds is None
    assert report.exhausted == "requests"


def test_retry_after_headers_come_before_the_words():
    assert read_report({"retry-after-ms": "250"}, 429, TPM_429).try_again_seconds == pytest.approx(0.25)
    assert read_report({"retry-after": "3"}, 429, TPM_429).try_again_seconds == pytest.approx(3.0)
    assert read_report({"llm_provider-retry-after": "4"}, 429, TPM_429).try_again_seconds == pytest.approx(4.0)


def test_a_request_too_large_names_its_limit_and_what_it_asked():
    body = (
        "Request too large for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Requested 35000. "
        "The input or output tokens must be reduced in order to run successfully."
    )
    too_large = read_report({}, 429, body).too_large
    assert too_large is not None
    assert (too_large.meter, too_large.period, too_large.limit, too_large.requested) == ("tokens", "TPM", 30000, 35000)


def test_a_200_never_reads_its_body_as_a_429():
    assert read_report(OPENAI_HEADERS, 200, TPM_429).try_again_seconds is None
