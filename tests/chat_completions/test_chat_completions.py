"""modules/chat_completions' flow through the helper as data "external" runs it: a map of requests, each
answered and cached as chat_completion answers one, the misses sent concurrently."""

import json
import time
from typing import Any

import pytest

from testing.bare_python import refusing_port
from testing.helper_process import CHAT_FLOW, USER_EXAMPLE, assert_one_error_line
from testing.openai_server import Hang, Trickle, api_error
from testing.store_entries import request_key, store_url

MANY_FLOW = "chat_completions"


def prompts(*names: str) -> dict[str, Any]:
    return {name: {"messages": [{"role": "user", "content": f"Describe {name}."}]} for name in names}


def ask_many(run_helper: Any, requests: dict[str, Any], env: dict[str, str] | None = None, **block: Any) -> Any:
    return run_helper({"model": "gpt-4o", "requests": requests, **block}, flow=MANY_FLOW, env=env)


def contents(run: Any) -> dict[str, Any]:
    assert run.returncode == 0, run.stderr
    return {key: result["content"] for key, result in run.result["results"].items()}


def test_every_key_is_answered_with_chat_completions_outputs_and_the_usage_summed(run_helper, openai_server):
    run = ask_many(run_helper, prompts("billing", "search", "payments"), temperature=0.2)

    assert contents(run) == {name: f"Echo from gpt-4o: Describe {name}." for name in ("billing", "search", "payments")}
    results = run.result["results"]
    assert set(results["billing"]) == {
        *("id", "created", "model", "choices", "content", "parsed", "finish_reason", "function_call", "tool_calls"),
        *("refusal", "usage", "system_fingerprint", "service_tier", "request_sha256"),
    }
    for field in ("prompt_tokens", "completion_tokens", "total_tokens"):
        assert run.result["usage"][field] == sum(result["usage"][field] for result in results.values())
    bodies = [request.body for request in openai_server.completion_requests()]
    assert len(bodies) == 3 and all(body["temperature"] == 0.2 and body["model"] == "gpt-4o" for body in bodies)


def test_an_unchanged_map_is_answered_from_the_cache_with_no_request(run_helper, openai_server):
    first = ask_many(run_helper, prompts("a", "b", "c"))
    second = ask_many(run_helper, prompts("a", "b", "c"))

    assert second.stdout == first.stdout
    assert len(openai_server.completion_requests()) == 3


def test_only_a_changed_or_added_key_costs_a_request_and_a_removed_key_is_gone(run_helper, openai_server):
    ask_many(run_helper, prompts("a", "b", "c"))
    changed = {**prompts("a", "c"), "b": {"messages": [{"role": "user", "content": "Describe b again."}]}}
    assert contents(ask_many(run_helper, changed))["b"] == "Echo from gpt-4o: Describe b again."
    assert len(openai_server.completion_requests()) == 4

    assert set(contents(ask_many(run_helper, {**changed, **prompts("d")}))) == {"a", "b", "c", "d"}
    assert len(openai_server.completion_requests()) == 5

    assert set(contents(ask_many(run_helper, prompts("a", "c")))) == {"a", "c"}
    assert len(openai_server.completion_requests()) == 5


def test_the_same_request_in_either_module_is_the_same_cache_entry(run_helper, openai_server):
    single = run_helper(USER_EXAMPLE, flow=CHAT_FLOW)
    request = {key: USER_EXAMPLE[key] for key in ("messages", "temperature", "max_tokens")}

    many = run_helper({"model": USER_EXAMPLE["model"], "requests": {"solar": request}}, flow=MANY_FLOW)

    assert many.result["results"]["solar"]["request_sha256"] == single.result["request_sha256"]
    assert many.result["results"]["solar"]["content"] == single.result["content"]
    assert len(openai_server.completion_requests()) == 1


def test_a_tool_call_left_untyped_in_a_key_is_a_function_call_as_chat_completions_variable_types_it(
    run_helper, openai_server
):
    """requests is not typed in HCL, so nothing fills a tool call's type there: the helper does."""
    call = {"id": "call_1", "function": {"name": "lookup", "arguments": "{}"}}
    history = [
        {"role": "user", "content": "Look it up."},
        {"role": "assistant", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_1", "content": "found"},
    ]
    typed = [history[0], {"role": "assistant", "tool_calls": [{**call, "type": "function"}]}, history[2]]
    single = run_helper({"model": "gpt-4o", "messages": typed}, flow=CHAT_FLOW)

    many = ask_many(run_helper, {"untyped": {"messages": history}})

    assert many.returncode == 0, many.stderr
    assert many.result["results"]["untyped"]["request_sha256"] == single.result["request_sha256"]
    assert [
        request.body["messages"][1]["tool_calls"][0]["type"] for request in openai_server.completion_requests()
    ] == ["function"]


def test_identical_requests_under_two_keys_are_asked_once(run_helper, openai_server):
    same = {"messages": [{"role": "user", "content": "Same question."}]}
    run = ask_many(run_helper, {"first": same, "second": same})

    assert contents(run)["first"] == contents(run)["second"]
    assert len(openai_server.completion_requests()) == 1


def test_a_key_overrides_the_blocks_inputs_and_its_own_regenerate_asks_again(run_helper, openai_server):
    requests = {
        "cold": {"messages": [{"role": "user", "content": "x"}], "temperature": 0.1, "model": "gpt-4o-mini"},
        "warm": {"messages": [{"role": "user", "content": "y"}]},
    }
    ask_many(run_helper, requests, temperature=0.9)
    bodies = {request.body["messages"][0]["content"]: request.body for request in openai_server.completion_requests()}
    assert (bodies["x"]["temperature"], bodies["x"]["model"]) == (0.1, "gpt-4o-mini")
    assert (bodies["y"]["temperature"], bodies["y"]["model"]) == (0.9, "gpt-4o")

    ask_many(run_helper, {**requests, "warm": {**requests["warm"], "regenerate": "1"}}, temperature=0.9)
    assert [r.body["messages"][0]["content"] for r in openai_server.completion_requests()[2:]] == ["y"]


def test_two_hundred_keys_are_answered_and_sent_at_most_max_concurrency_at_once(run_helper, openai_server):
    openai_server.latency_seconds = 0.05
    names = [f"service-{number:03d}" for number in range(200)]

    run = ask_many(run_helper, prompts(*names))

    assert contents(run) == {name: f"Echo from gpt-4o: Describe {name}." for name in names}
    assert len(openai_server.completion_requests()) == 200
    # The default ceiling is 256; below it the window starts at 16 (nothing known: this server sends no
    # rate headers) and grows by one per answer, so it is concurrent from the start and never all at once.
    assert 2 <= openai_server.most_in_flight < 200


def test_max_concurrency_is_honoured(run_helper, openai_server):
    openai_server.latency_seconds = 0.3
    run = ask_many(run_helper, prompts(*(f"k{number}" for number in range(9))), max_concurrency=3)

    assert len(contents(run)) == 9
    assert openai_server.most_in_flight == 3


def test_a_failed_key_is_named_with_the_flows_own_advice(run_helper, openai_server):
    openai_server.queue(
        api_error(404, "The model `gpt-nope` does not exist", "invalid_request_error", "model_not_found")
    )

    run = ask_many(run_helper, {"b": {"messages": [{"role": "user", "content": "Describe b."}], "model": "gpt-nope"}})

    assert_one_error_line(
        run, 'chat_completions: requests["b"]: OpenAI API error 404', "model 'gpt-nope' does not exist"
    )


def test_every_answer_that_arrived_is_cached_when_one_key_fails(run_helper, openai_server):
    openai_server.queue(*[api_error(400, "Bad thing.", "invalid_request_error", None)] * 1)
    run = ask_many(run_helper, prompts("a", "b", "c"), max_concurrency=1)  # in key order: a fails

    assert_one_error_line(run, 'chat_completions: requests["a"]: OpenAI API error 400: Bad thing.')
    assert len(openai_server.completion_requests()) == 3

    assert set(contents(ask_many(run_helper, prompts("a", "b", "c")))) == {"a", "b", "c"}
    assert len(openai_server.completion_requests()) == 4  # only a was asked again


def test_one_line_per_failed_key(run_helper, openai_server):
    openai_server.queue(*[api_error(400, f"Refused {n}.", "invalid_request_error", None) for n in range(2)])
    run = ask_many(run_helper, prompts("a", "b", "c"), max_concurrency=1)

    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.splitlines() == [
        'chat_completions: requests["a"]: OpenAI API error 400: Refused 0. -> the API refused the request: check the '
        "input it names",
        'chat_completions: requests["b"]: OpenAI API error 400: Refused 1. -> the API refused the request: check the '
        "input it names",
    ]


def test_bad_input_in_one_key_fails_before_any_request_naming_the_key_and_the_input(run_helper, openai_server):
    requests = {**prompts("a", "c"), "b": {"messages": [{"role": "user", "content": "b"}], "temperature": 3}}

    run = ask_many(run_helper, requests)

    assert_one_error_line(run, 'chat_completions: input requests["b"].temperature: 3 is greater than the maximum of 2')
    assert openai_server.requests == []


def test_every_key_with_a_misspelt_or_mistyped_input_has_its_line_and_past_25_the_rest_are_counted(
    run_helper, openai_server
):
    misspelt = {f"k{n:02}": {**prompts(f"k{n:02}")[f"k{n:02}"], "temprature": 0.2} for n in range(29)}
    requests = {**prompts("a"), **misspelt, "z": {"messages": "z"}}

    run = ask_many(run_helper, requests)

    assert run.returncode == 1 and run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[:2] == [
        f'chat_completions: input requests["k{n:02}"].temprature: is not an input of a request; did you mean '
        "temperature?"
        for n in range(2)
    ]
    assert len(lines) == 26 and lines[-1] == "chat_completions: and 5 more keys failed the same way or another"
    assert openai_server.requests == []


def test_a_bad_default_names_the_blocks_input_and_the_keys_that_use_it(run_helper, openai_server):
    requests = {**prompts("a"), "b": {"messages": [{"role": "user", "content": "b"}], "top_p": 0.5}}

    run = ask_many(run_helper, requests, top_p=7)

    assert_one_error_line(run, 'input top_p (the default of requests["a"]): 7 is greater than the maximum of 1')
    assert openai_server.requests == []


def test_a_key_without_a_model_anywhere_is_named(run_helper, openai_server):
    run = run_helper({"requests": prompts("a")}, flow=MANY_FLOW)

    assert_one_error_line(run, 'input requests["a"].model: is required')
    assert openai_server.requests == []


def test_an_input_a_key_cannot_set_is_named_and_said_to_be_the_blocks(run_helper, openai_server):
    run = ask_many(run_helper, {"a": {**prompts("a")["a"], "cache_mode": "off"}})

    assert_one_error_line(
        run, 'input requests["a"].cache_mode: is not an input a request can set (set it on the block, for every key)'
    )


@pytest.mark.parametrize(
    ("written", "rule"),
    [
        ("temprature", "is not an input of a request; did you mean temperature?"),
        ("max_token", "is not an input of a request; did you mean max_tokens?"),
        ("mesages", "is not an input of a request; did you mean messages?"),
        ("cache_mod", "is not an input; did you mean cache_mode? (set it on the block, for every key)"),
        ("stream", "is not an input of a request"),  # nothing close: no guess (store is three edits away)
    ],
)
def test_a_misspelt_input_in_a_key_gets_the_nearest_name_and_block_advice_only_for_a_block_input(
    run_helper, openai_server, written, rule
):
    run = ask_many(run_helper, {"a": {**prompts("a")["a"], written: 1}})

    assert run.returncode == 1
    assert run.stderr == f'chat_completions: input requests["a"].{written}: {rule}\n'
    assert openai_server.requests == []


def test_replay_answers_every_key_from_the_cache_with_no_api_key_and_names_a_missing_one(run_helper, openai_server):
    ask_many(run_helper, prompts("a", "b"))
    no_key = {"OPENAI_API_KEY": ""}

    replayed = ask_many(run_helper, prompts("a", "b"), env=no_key, cache_mode="replay")
    missing = ask_many(run_helper, prompts("a", "b", "new"), env=no_key, cache_mode="replay")

    assert set(contents(replayed)) == {"a", "b"}
    assert_one_error_line(missing, 'requests["new"]: cache_mode = "replay" and no stored answer', "'Describe new.'")
    assert len(openai_server.completion_requests()) == 2


def test_a_request_that_hangs_is_bounded_by_timeout_seconds_and_the_others_are_kept(run_helper, openai_server):
    openai_server.queue(Hang(30))
    started = time.monotonic()

    run = ask_many(run_helper, prompts("a", "b"), max_concurrency=1, timeout_seconds=2)

    assert time.monotonic() - started < 2 + 7
    assert_one_error_line(run, 'requests["a"]: no answer from', "within the time budget")
    assert contents(ask_many(run_helper, prompts("b")))["b"] == "Echo from gpt-4o: Describe b."
    assert len(openai_server.completion_requests()) == 2  # b was kept: not asked again


def test_an_answer_sent_a_byte_at_a_time_is_cut_off_at_the_budget_off_the_main_thread(run_helper, openai_server):
    openai_server.queue(Trickle(0.05))
    started = time.monotonic()

    run = ask_many(run_helper, prompts("slow"), timeout_seconds=2)

    assert time.monotonic() - started < 2 + 7
    assert_one_error_line(run, 'requests["slow"]: no answer from', "within the time budget")


def test_an_empty_map_answers_empty_outputs_with_no_request(run_helper, openai_server):
    run = ask_many(run_helper, {})

    assert run.result == {"results": {}, "usage": {"completion_tokens": 0, "prompt_tokens": 0, "total_tokens": 0}}
    assert openai_server.requests == []


def test_the_worker_answers_a_cached_map_itself(run_helper, openai_server, tmp_path):
    ask_many(run_helper, prompts("a", "b"))
    openai_server.reset()

    in_process = ask_many(run_helper, prompts("a", "b"), env={"CHAT_HELPER_WORKER": "off"})
    through_worker = ask_many(run_helper, prompts("a", "b"))

    assert through_worker.stdout == in_process.stdout and json.loads(in_process.stdout)
    assert openai_server.requests == []


def test_misses_that_cannot_fit_under_requests_per_minute_fail_at_once_and_send_nothing(run_helper, openai_server):
    """5 keys at requests_per_minute = 3 need a second minute; rate_limit_wait_seconds = 2: one line for
    the block, before any request."""
    openai_server.rate_limit_per_minute = 3
    run = ask_many(
        run_helper, prompts(*(f"k{number}" for number in range(5))), requests_per_minute=3, rate_limit_wait_seconds=2
    )

    assert_one_error_line(run, "requests: rate limits of model", "5 keys left", "requests_per_minute = 3")
    assert len(openai_server.completion_requests()) == 0


def test_the_misses_are_paced_under_requests_per_minute_and_never_sent_past_it(run_helper, openai_server):
    openai_server.rate_limit_per_minute = 3
    run = ask_many(
        run_helper, prompts(*(f"k{number}" for number in range(3))), requests_per_minute=3, rate_limit_wait_seconds=2
    )

    assert run.returncode == 0, run.stderr
    assert len(openai_server.completion_requests()) == 3
    assert openai_server.rate_limited == 0


def test_a_store_entry_that_cannot_be_read_fails_its_key_and_the_others_are_asked(
    run_helper, openai_server, s3_server, s3_bucket, s3_env, tmp_path
):
    """A store read error of one key's answer is that key's failure, named; the block's other keys are still
    asked and kept (issue 27, item 3)."""
    url = store_url(s3_server, s3_bucket)
    key = request_key(
        {"model": "gpt-4o", **prompts("a")["a"], "base_url": openai_server.base_url, "cache_dir": str(tmp_path)}
    )
    s3_server.client().put_object(Bucket=s3_bucket, Key=f"answers/{key[:2]}/{key}.json", Body=b"not an entry")

    run = ask_many(run_helper, prompts("a", "b"), env=s3_env, cache_url=url)

    assert run.returncode == 1 and run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith('chat_completions: requests["a"]: the object s3://') and "not a usable answer entry" in line
    assert [request.body["messages"][0]["content"] for request in openai_server.completion_requests()] == [
        "Describe b."
    ]
    assert contents(ask_many(run_helper, prompts("b"), env=s3_env, cache_url=url)) == {
        "b": "Echo from gpt-4o: Describe b."
    }
    assert len(openai_server.completion_requests()) == 1


def test_a_store_that_is_down_fails_every_key_named_and_asks_nothing(run_helper, openai_server, s3_env, tmp_path):
    """The first key's read fails; the others are not read again from the store in the same pass, but each
    still needs the store (its lease) before a request: each fails, named, and nothing is sent."""
    url = f"s3://bucket/answers?endpoint=http://127.0.0.1:{refusing_port()}"

    run = ask_many(run_helper, prompts("a", "b", "c"), env=s3_env, cache_url=url, timeout_seconds=10)

    assert run.returncode == 1 and run.stdout == ""
    lines = run.stderr.splitlines()
    assert [line.split(": ", 2)[1] for line in lines] == ['requests["a"]', 'requests["b"]', 'requests["c"]']
    assert all("cannot reach the object store at http://127.0.0.1:" in line for line in lines), lines
    assert openai_server.completion_requests() == []
