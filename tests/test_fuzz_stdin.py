"""Fuzzing the helper's stdin: it answers, or exits 1 with one line; never a traceback or an internal error."""

import io
import json
from typing import Any

from chat_helper import entry
from chat_helper.answers.settings import ANSWER_SETTINGS
from chat_helper.chat.inputs import REQUEST_PARAMETERS
from chat_helper.core.settings import ENDPOINT_SETTINGS
from chat_helper.response.inputs import REQUEST_PARAMETERS as RESPONSE_PARAMETERS
from chat_helper.stored_response.query import QUERY_KEYS as STORED_RESPONSE_KEYS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = (*ENDPOINT_SETTINGS, *ANSWER_SETTINGS)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
message = st.fixed_dictionaries(
    {"role": st.sampled_from(["system", "user", "assistant", "function", "tool", "robot"])},
    optional={
        "content": st.none() | st.text(max_size=20),
        "name": st.none() | st.text(max_size=70),
        "function_call": json_values,
        "tool_calls": json_values,
        "tool_call_id": json_values,
    },
)
encoded_value = st.one_of(
    json_values.map(json.dumps),
    st.lists(message, max_size=3).map(json.dumps),
    st.text(max_size=40),
    st.sampled_from(
        [
            *['"gpt-4o"', "0.7", "-1", "1e400", "NaN", "-Infinity", '"\\ud800"', "[" * 3000, "true", "[]", "{}"],
            *['"auto"', '"http://[::1"', '"x' + "y" * 5000 + '"'],
        ]
    ),
)
CHAT_FLOW = {"flow": '"chat_completion"'}
query_objects = st.builds(
    lambda flow, inputs: {**flow, **inputs},
    st.sampled_from([CHAT_FLOW, {}]),  # the chat flow's key, or none at all
    st.dictionaries(st.sampled_from([*REQUEST_PARAMETERS, *SETTINGS, "unknown"]), encoded_value, max_size=8),
)
stdin_texts = st.one_of(
    query_objects.map(json.dumps),
    st.fixed_dictionaries(
        {
            "flow": st.just(CHAT_FLOW["flow"]),
            "model": st.just('"gpt-4o"'),
            "messages": st.lists(message, min_size=1, max_size=3).map(json.dumps),
        },
        optional={
            "cache_mode": st.just('"off"'),
            "n": encoded_value,
            "functions": encoded_value,
            "function_call": encoded_value,
            "metadata": encoded_value,
        },
    ).map(json.dumps),
    json_values.map(json.dumps),
    st.text(max_size=200),
    st.binary(max_size=100).map(lambda b: b.decode("latin-1")),
)


item = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["message", "function_call", "function_call_output", "image"]),
        "role": st.sampled_from(["user", "assistant", "developer", "tool"]),
        "content": json_values | st.lists(st.fixed_dictionaries({"type": st.text(max_size=12)}), max_size=2),
        "call_id": json_values,
        "output": json_values,
        "arguments": json_values,
        "name": json_values,
    },
)
response_value = st.one_of(encoded_value, st.lists(item, max_size=3).map(json.dumps))
response_queries = st.one_of(
    st.dictionaries(st.sampled_from([*RESPONSE_PARAMETERS, *SETTINGS, "unknown"]), response_value, max_size=8).map(
        lambda inputs: {"flow": '"response"', **inputs}
    ),
    st.fixed_dictionaries(
        {"flow": st.just('"response"'), "model": st.just('"gpt-4o"'), "cache_mode": st.just('"off"')},
        optional={name: response_value for name in ("input", "input_items", "tools", "hosted_tools", "tool_choice")},
    ),
    st.dictionaries(st.sampled_from([*STORED_RESPONSE_KEYS, "unknown"]), encoded_value, max_size=4).map(
        lambda inputs: {"flow": '"stored_response"', **inputs}
    ),
)


def _run(stdin_text: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = entry.main(io.StringIO(stdin_text), stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@settings(
    max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(stdin_text=stdin_texts)
def test_any_stdin_gets_an_answer_or_one_clear_line(stdin_text: str, monkeypatch: Any, tmp_path: Any) -> None:
    monkeypatch.chdir(tmp_path)  # a fuzzed cache_dir lands here
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)  # a valid request then fails fast, before the network
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.delenv("CHAT_HELPER_CACHE_URL", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")  # a fuzzed cache_url stays on this machine
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, stdout, stderr = _run(stdin_text)
    if code == 0:
        assert all(isinstance(value, str) for value in json.loads(stdout).values())
        return
    assert code == 1
    assert stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith("chat_completion: ")
    assert "Traceback (most recent call last)" not in stderr  # the word itself may be in a quoted input
    assert "internal error" not in stderr, stderr


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(query=response_queries)
def test_any_response_query_gets_an_answer_or_one_clear_line(
    query: dict[str, str], monkeypatch: Any, tmp_path: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.delenv("CHAT_HELPER_CACHE_URL", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, stdout, stderr = _run(json.dumps(query))
    assert code == 1, "with no API key, no response query can be answered"
    assert stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith(f"{json.loads(query['flow'])}: ")
    assert "Traceback (most recent call last)" not in stderr  # the word itself may be in a quoted input
    assert "internal error" not in stderr, stderr


def test_a_message_near_one_megabyte_is_accepted(run_helper, openai_server):
    content = "x" * (1_048_576 - 10)
    run = run_helper({"model": "gpt-4o", "messages": [{"role": "user", "content": content}]})
    assert run.returncode == 0, run.stderr[:300]
    assert openai_server.completion_requests()[0].body["messages"][0]["content"] == content
