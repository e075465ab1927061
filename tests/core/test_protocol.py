"""The stdin/stdout contract with hashicorp/external."""

import json

from testing.helper_process import USER_EXAMPLE, assert_one_error_line


def test_answers_with_a_flat_object_of_json_strings(run_helper, openai_server):
    run = run_helper(USER_EXAMPLE)
    assert run.returncode == 0, run.stderr
    result = run.result
    assert result["content"] == "Echo from gpt-3.5-turbo: Tell me about the solar system."
    assert isinstance(result["created"], int)
    assert result["id"].startswith("chatcmpl-")
    assert result["model"] == "gpt-3.5-turbo"
    assert result["finish_reason"] == "stop"
    assert result["function_call"] is None
    assert set(result["usage"]) == {"prompt_tokens", "completion_tokens", "total_tokens"}
    assert result["choices"][0]["message"]["role"] == "assistant"
    assert len(openai_server.completion_requests()) == 1


def test_sends_exactly_the_inputs_that_were_set(run_helper, openai_server):
    run_helper(USER_EXAMPLE)
    body = openai_server.completion_requests()[0].body
    assert body == {
        "model": "gpt-3.5-turbo",
        "messages": USER_EXAMPLE["messages"],
        "temperature": 0.7,
        "max_tokens": 500,
    }


def test_unset_optional_message_fields_are_not_sent(run_helper, openai_server):
    messages = [{"role": "user", "content": "hi", "name": None, "function_call": None, "tool_calls": None}]
    run_helper({"model": "gpt-4o", "messages": messages})
    assert openai_server.completion_requests()[0].body["messages"] == [{"role": "user", "content": "hi"}]


def test_settings_are_never_sent_to_the_api(run_helper, openai_server):
    run_helper({**USER_EXAMPLE, "timeout_seconds": 30, "regenerate": "v2", "cache_mode": "off"})
    body = openai_server.completion_requests()[0].body
    assert not {"timeout_seconds", "regenerate", "cache_mode", "cache_dir", "base_url"} & set(body)


def test_api_key_goes_in_the_authorization_header_only(run_helper, openai_server):
    from testing.secret_canary import TEST_API_KEY

    run_helper(USER_EXAMPLE)
    request = openai_server.completion_requests()[0]
    assert request.headers["authorization"] == f"Bearer {TEST_API_KEY}"
    assert TEST_API_KEY not in json.dumps(request.body)


def test_every_choice_is_returned_when_n_is_above_one(run_helper):
    result = run_helper({**USER_EXAMPLE, "n": 3}).result
    assert [choice["index"] for choice in result["choices"]] == [0, 1, 2]
    assert result["content"] == result["choices"][0]["message"]["content"]


def test_broken_json_on_stdin_is_one_clear_line(run_helper):
    assert_one_error_line(run_helper({}, raw_stdin="{not json"), "not valid JSON")


def test_non_string_query_values_are_refused(run_helper):
    assert_one_error_line(run_helper({}, raw_stdin='{"model": 3}'), "model", "must be a string")


def test_a_value_that_is_not_json_encoded_names_the_input(run_helper):
    assert_one_error_line(
        run_helper({}, raw_stdin='{"flow": "\\"chat_completion\\"", "model": "gpt-4o", "messages": "[]"}'),
        "input model",
        "JSON-encoded",
    )


def test_unknown_query_keys_are_refused(run_helper):
    assert_one_error_line(run_helper({**USER_EXAMPLE, "temprature": 1}), "input temprature", "not an input")


def test_text_is_utf8_whatever_the_console_locale(run_helper, openai_server):
    text = "naïve café, 地球 🌍"
    run = run_helper(
        {"model": "gpt-4o", "messages": [{"role": "user", "content": text}]},
        env={"PYTHONIOENCODING": "latin-1", "LC_ALL": "C"},
    )
    assert run.returncode == 0, run.stderr
    assert openai_server.completion_requests()[0].body["messages"][0]["content"] == text
    assert run.result["content"] == f"Echo from gpt-4o: {text}"
