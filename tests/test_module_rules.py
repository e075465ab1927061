"""Every rule the modules' variable validations and preconditions used to hold is the helper's now
(a validation costs every module block of a configuration). Each case is a run of the modules'
former validation.tftest.hcl, with the inputs the module sends: it fails before any request, with
one line naming the input. Through Terraform: tests/e2e/test_module_interface.py."""

import pytest

from testing.helper_process import STORED_FLOW, assert_one_error_line

OBJECT_SCHEMA = '{"type":"object"}'
LONG_CONTENT = " " * 1048576 + "x"
FUNCTIONS_129 = [{"name": f"f{number}", "parameters": OBJECT_SCHEMA} for number in range(129)]
METADATA_17_PAIRS = {f"k{number}": "v" for number in range(17)}
METADATA_KEY_65 = {" " * 64 + "k": "v"}
METADATA_VALUE_513 = {"k": " " * 512 + "v"}
COMPLETION_ID_257 = "chatcmpl-" + "a" * 248
CHAT_DEFAULTS = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "timeout_seconds": 120}
AZURE_API_VERSION = "2024-10-21"  # the module's default, sent with azure_endpoint

# (the run of the former validation.tftest.hcl it was, the inputs set over the defaults, the input its line names)
CHAT_CASES = [
    ("model_empty", {"model": ""}, "model"),
    ("messages_empty", {"messages": []}, "messages"),
    ("messages_unknown_role", {"messages": [{"role": "robot", "content": "x"}]}, "messages"),
    ("messages_function_without_name", {"messages": [{"role": "function", "content": "{}"}]}, "messages"),
    ("messages_user_without_content", {"messages": [{"role": "user"}]}, "messages"),
    ("messages_empty_assistant", {"messages": [{"role": "user", "content": "x"}, {"role": "assistant"}]}, "messages"),
    ("messages_bad_name", {"messages": [{"role": "function", "content": "x", "name": "has space"}]}, "messages"),
    (
        "messages_function_call_on_user",
        {"messages": [{"role": "user", "content": "x", "function_call": {"name": "f", "arguments": "{}"}}]},
        "messages",
    ),
    (
        "messages_function_call_arguments_not_json",
        {
            "messages": [
                {"role": "user", "content": "x"},
                {"role": "assistant", "function_call": {"name": "f", "arguments": "{oops"}},
            ]
        },
        "messages",
    ),
    ("messages_tool_without_tool_call_id", {"messages": [{"role": "tool", "content": "x"}]}, "messages"),
    ("messages_content_over_limit", {"messages": [{"role": "user", "content": LONG_CONTENT}]}, "messages"),
    ("functions_empty", {"functions": []}, "functions"),
    ("functions_over_128", {"functions": FUNCTIONS_129}, "functions"),
    ("functions_bad_name", {"functions": [{"name": "get weather", "parameters": '{"type":"object"}'}]}, "functions"),
    (
        "functions_duplicate_names",
        {
            "functions": [
                {"name": "f", "parameters": '{"type":"object"}'},
                {"name": "f", "parameters": '{"type":"object"}'},
            ]
        },
        "functions",
    ),
    ("functions_parameters_not_json", {"functions": [{"name": "f", "parameters": "{type: object"}]}, "functions"),
    ("functions_parameters_not_object", {"functions": [{"name": "f", "parameters": '{"type":"string"}'}]}, "functions"),
    ("function_call_not_a_name", {"function_call": "sometimes please"}, "function_call"),
    (
        "function_call_undeclared",
        {"functions": [{"name": "f", "parameters": '{"type":"object"}'}], "function_call": "g"},
        "function_call",
    ),
    ("function_call_without_functions", {"function_call": "f"}, "function_call"),
    ("temperature_below_0", {"temperature": -0.1}, "temperature"),
    ("temperature_above_2", {"temperature": 2.1}, "temperature"),
    ("max_tokens_zero", {"max_tokens": 0}, "max_tokens"),
    ("max_tokens_fraction", {"max_tokens": 1.5}, "max_tokens"),
    ("top_p_above_1", {"top_p": 1.01}, "top_p"),
    ("top_p_below_0", {"top_p": -0.5}, "top_p"),
    ("n_zero", {"n": 0}, "n"),
    ("n_above_128", {"n": 129}, "n"),
    ("n_fraction", {"n": 2.5}, "n"),
    ("stop_five", {"stop": ["a", "b", "c", "d", "e"]}, "stop"),
    ("stop_empty", {"stop": []}, "stop"),
    ("presence_penalty_above_2", {"presence_penalty": 2.5}, "presence_penalty"),
    ("presence_penalty_below_minus_2", {"presence_penalty": -2.5}, "presence_penalty"),
    ("frequency_penalty_above_2", {"frequency_penalty": 2.01}, "frequency_penalty"),
    ("frequency_penalty_below_minus_2", {"frequency_penalty": -3}, "frequency_penalty"),
    ("user_empty", {"user": ""}, "user"),
    ("metadata_17_pairs", {"metadata": METADATA_17_PAIRS}, "metadata"),
    ("metadata_key_over_64", {"metadata": METADATA_KEY_65}, "metadata"),
    ("metadata_value_over_512", {"metadata": METADATA_VALUE_513}, "metadata"),
    ("base_url_not_http", {"base_url": "ftp://example.com/v1"}, "base_url"),
    ("base_url_with_credentials", {"base_url": "https://someone@api.example.com/v1"}, "base_url"),
    ("base_url_with_a_space", {"base_url": "https://api.example.com/my v1"}, "base_url"),
    ("timeout_seconds_zero", {"timeout_seconds": 0}, "timeout_seconds"),
    ("cache_mode_unknown", {"cache_mode": "sometimes"}, "cache_mode"),
    ("cache_dir_empty", {"cache_dir": " "}, "cache_dir"),
    ("cache_url_not_s3", {"cache_url": "https://bucket.s3.amazonaws.com/answers"}, "cache_url"),
    ("cache_url_bad_bucket", {"cache_url": "s3://My_Bucket/answers"}, "cache_url"),
    (
        "cache_url_with_credentials_before_the_bucket",
        {"cache_url": "s3://AKIAEXAMPLE:secret@bucket/answers"},
        "cache_url",
    ),
    (
        "cache_url_with_credentials_in_the_query",
        {"cache_url": "s3://bucket/answers?endpoint=https://minio.example.com&access_key=AKIAEXAMPLE"},
        "cache_url",
    ),
    ("tools_empty_list", {"tools": []}, "tools"),
    ("tools_bad_name", {"tools": [{"name": "has space", "parameters": '{"type":"object"}'}]}, "tools"),
    (
        "tools_duplicate_names",
        {
            "tools": [
                {"name": "lookup", "parameters": '{"type":"object"}'},
                {"name": "lookup", "parameters": '{"type":"object"}'},
            ]
        },
        "tools",
    ),
    ("tools_parameters_not_json", {"tools": [{"name": "lookup", "parameters": "{not json"}]}, "tools"),
    (
        "tools_parameters_not_an_object_schema",
        {"tools": [{"name": "lookup", "parameters": '{"type":"string"}'}]},
        "tools",
    ),
    ("tool_choice_bad_form", {"tool_choice": "no such!"}, "tool_choice"),
    (
        "tool_choice_names_an_undeclared_tool",
        {"tools": [{"name": "lookup", "parameters": '{"type":"object"}'}], "tool_choice": "other"},
        "tool_choice",
    ),
    ("tool_choice_without_tools", {"tool_choice": "auto"}, "tool_choice"),
    ("parallel_tool_calls_without_tools", {"parallel_tool_calls": True}, "parallel_tool_calls"),
    (
        "functions_with_tools",
        {
            "tools": [{"name": "lookup", "parameters": '{"type":"object"}'}],
            "functions": [{"name": "lookup", "parameters": '{"type":"object"}'}],
        },
        "functions",
    ),
    ("response_format_unknown_type", {"response_format": {"type": "xml"}}, "response_format"),
    (
        "response_format_json_schema_without_schema",
        {"response_format": {"type": "json_schema", "name": "answer"}},
        "response_format",
    ),
    (
        "response_format_schema_on_json_object",
        {"response_format": {"type": "json_object", "schema": '{"type":"object"}'}},
        "response_format",
    ),
    (
        "response_format_bad_name",
        {"response_format": {"type": "json_schema", "name": "a b", "schema": '{"type":"object"}'}},
        "response_format",
    ),
    (
        "response_format_schema_not_object",
        {"response_format": {"type": "json_schema", "name": "answer", "schema": '{"type":"array"}'}},
        "response_format",
    ),
    ("max_completion_tokens_zero", {"max_completion_tokens": 0}, "max_completion_tokens"),
    ("max_completion_tokens_fraction", {"max_completion_tokens": 10.5}, "max_completion_tokens"),
    ("max_tokens_with_max_completion_tokens", {"max_tokens": 10, "max_completion_tokens": 10}, "max_tokens"),
    ("reasoning_effort_unknown", {"reasoning_effort": "extreme"}, "reasoning_effort"),
    ("verbosity_unknown", {"verbosity": "chatty"}, "verbosity"),
    ("seed_fraction", {"seed": 1.5}, "seed"),
    ("service_tier_unknown", {"service_tier": "gold"}, "service_tier"),
    (
        "safety_identifier_too_long",
        {"safety_identifier": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
        "safety_identifier",
    ),
    ("prompt_cache_key_empty", {"prompt_cache_key": ""}, "prompt_cache_key"),
    ("logit_bias_key_not_a_token_id", {"logit_bias": {'"hello"': 1}}, "logit_bias"),
    ("logit_bias_out_of_range", {"logit_bias": {'"50256"': -101}}, "logit_bias"),
    ("top_logprobs_out_of_range", {"top_logprobs": 21, "logprobs": True}, "top_logprobs"),
    ("top_logprobs_without_logprobs", {"top_logprobs": 2}, "top_logprobs"),
    (
        "azure_endpoint_not_a_url",
        {"azure_endpoint": "my-resource.openai.azure.com", "azure_deployment": "gpt-4o"},
        "azure_endpoint",
    ),
    (
        "azure_deployment_bad_name",
        {"azure_endpoint": "https://my-resource.openai.azure.com", "azure_deployment": "has space"},
        "azure_deployment",
    ),
    ("azure_endpoint_without_deployment", {"azure_endpoint": "https://my-resource.openai.azure.com"}, "azure_endpoint"),
    (
        "azure_endpoint_with_credentials",
        {"azure_endpoint": "https://someone@my-resource.openai.azure.com", "azure_deployment": "gpt-4o"},
        "azure_endpoint",
    ),
    (
        "azure_endpoint_with_base_url",
        {
            "azure_endpoint": "https://my-resource.openai.azure.com",
            "azure_deployment": "gpt-4o",
            "base_url": "https://api.openai.com/v1",
        },
        "base_url",
    ),
    ("requests_per_minute_zero", {"requests_per_minute": 0}, "requests_per_minute"),
    (
        "messages_tool_call_arguments_not_json",
        {
            "messages": [
                {"role": "user", "content": "hi"},
                {
                    "role": "assistant",
                    "tool_calls": [{"id": "call_1", "function": {"name": "lookup", "arguments": "{not json"}}],
                },
                {"role": "tool", "tool_call_id": "call_1", "content": "done"},
            ]
        },
        "messages",
    ),
    (
        "azure_endpoint_with_organization",
        {
            "azure_endpoint": "https://my-resource.openai.azure.com",
            "azure_deployment": "gpt-4o",
            "organization": "org-123",
        },
        "organization",
    ),
]

STORED_CASES = [
    ("completion_id_empty", {"completion_id": ""}, "completion_id"),
    ("completion_id_with_a_slash", {"completion_id": "chatcmpl-abc/../models"}, "completion_id"),
    ("completion_id_with_spaces", {"completion_id": " chatcmpl-abc123"}, "completion_id"),
    ("completion_id_over_256_characters", {"completion_id": COMPLETION_ID_257}, "completion_id"),
    ("model_empty", {"model": " "}, "model"),
    ("metadata_17_pairs", {"metadata": METADATA_17_PAIRS}, "metadata"),
    ("metadata_key_over_64", {"metadata": METADATA_KEY_65}, "metadata"),
    ("metadata_key_empty", {"metadata": {"": "value"}}, "metadata"),
    ("metadata_value_over_512", {"metadata": METADATA_VALUE_513}, "metadata"),
    ("order_unknown", {"order": "newest"}, "order"),
    ("limit_zero", {"limit": 0}, "limit"),
    ("limit_over_1000", {"limit": 1001}, "limit"),
    ("limit_fraction", {"limit": 2.5}, "limit"),
    ("base_url_not_http", {"base_url": "ftp://example.com/v1"}, "base_url"),
    ("base_url_with_credentials", {"base_url": "https://someone@api.example.com/v1"}, "base_url"),
    ("base_url_with_a_space", {"base_url": "https://api.example.com/my v1"}, "base_url"),
    ("timeout_seconds_zero", {"timeout_seconds": 0}, "timeout_seconds"),
    ("timeout_seconds_over_3600", {"timeout_seconds": 3601}, "timeout_seconds"),
]


def chat_query(inputs: dict[str, object]) -> dict[str, object]:
    """What modules/chat_completion sends for these inputs."""
    query = {**CHAT_DEFAULTS, **inputs}
    if "azure_endpoint" in query:
        query.setdefault("azure_api_version", AZURE_API_VERSION)
        query.setdefault("base_url", None)  # run_helper's loopback base_url: the case sets its own endpoint
    return query


def stored_query(inputs: dict[str, object]) -> dict[str, object]:
    """What modules/stored_completion sends: one read by completion_id, else a filtered list."""
    if "completion_id" in inputs:
        return {"operation": "retrieve", "cache_dir": None, "timeout_seconds": 120, **inputs}
    return {"operation": "list", "cache_dir": None, "timeout_seconds": 120, **inputs}


@pytest.mark.parametrize(("case", "inputs", "input_name"), CHAT_CASES, ids=[case[0] for case in CHAT_CASES])
def test_chat_completion_rules_fail_naming_the_input(run_helper, openai_server, case, inputs, input_name):
    run = run_helper(chat_query(inputs))
    assert_one_error_line(run, f"chat_completion: input {input_name}")
    assert openai_server.requests == []


@pytest.mark.parametrize(("case", "inputs", "input_name"), STORED_CASES, ids=[case[0] for case in STORED_CASES])
def test_stored_completion_rules_fail_naming_the_input(run_helper, openai_server, case, inputs, input_name):
    run = run_helper(stored_query(inputs), flow=STORED_FLOW)
    assert_one_error_line(run, f"stored_completion: input {input_name}")
    assert openai_server.requests == []
