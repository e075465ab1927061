# Every variable validation and precondition of the module, at plan, with the provider mocked.
# Run with `terraform test` or `tofu test` in modules/chat_completion (tests/e2e runs both).

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        id                 = "\"chatcmpl-mock\""
        created            = "1700000000"
        model              = "\"gpt-4o\""
        choices            = "[{\"finish_reason\":\"stop\",\"index\":0,\"logprobs\":null,\"message\":{\"content\":\"mocked\",\"function_call\":null,\"refusal\":null,\"role\":\"assistant\",\"tool_calls\":null}}]"
        content            = "\"mocked\""
        finish_reason      = "\"stop\""
        function_call      = "null"
        tool_calls         = "null"
        refusal            = "null"
        usage              = "{\"completion_tokens\":1,\"prompt_tokens\":2,\"total_tokens\":3}"
        system_fingerprint = "null"
        service_tier       = "null"
        request_sha256     = "\"0000\""
        parsed             = "null"
      }
    }
  }
}

variables {
  model    = "gpt-4o"
  messages = [{ role = "user", content = "hi" }]
}

# Values that need functions to write: run variables may not call functions on OpenTofu < 1.9.
run "long_values" {
  command = apply

  module {
    source = "./tests/long_values"
  }
}

run "a_valid_request_plans_and_sends_only_what_was_set" {
  command = plan

  variables {
    temperature = 0.7
  }

  assert {
    condition     = join(",", sort(keys(data.external.chat_completion.query))) == "cache_mode,flow,messages,model,temperature,timeout_seconds"
    error_message = "the query must hold the inputs that were set and the settings with defaults, nothing else"
  }
  assert {
    condition     = data.external.chat_completion.query.temperature == "0.7"
    error_message = "numbers travel JSON-encoded"
  }
  assert {
    condition     = output.created == 1700000000 && output.usage.total_tokens == 3 && output.function_call == null
    error_message = "outputs must decode to Terraform types"
  }
  assert {
    condition     = output.choices[0].message.content == "mocked" && output.content == "mocked"
    error_message = "choices must decode to a list of objects"
  }
}

run "model_empty" {
  command = plan

  variables {
    model = ""
  }

  expect_failures = [var.model]
}

run "messages_empty" {
  command = plan

  variables {
    messages = []
  }

  expect_failures = [var.messages]
}

run "messages_unknown_role" {
  command = plan

  variables {
    messages = [{ role = "robot", content = "x" }]
  }

  expect_failures = [var.messages]
}

run "messages_function_without_name" {
  command = plan

  variables {
    messages = [{ role = "function", content = "{}" }]
  }

  expect_failures = [var.messages]
}

run "messages_user_without_content" {
  command = plan

  variables {
    messages = [{ role = "user" }]
  }

  expect_failures = [var.messages]
}

run "messages_empty_assistant" {
  command = plan

  variables {
    messages = [{ role = "user", content = "x" }, { role = "assistant" }]
  }

  expect_failures = [var.messages]
}

run "messages_bad_name" {
  command = plan

  variables {
    messages = [{ role = "function", content = "x", name = "has space" }]
  }

  expect_failures = [var.messages]
}

run "messages_function_call_on_user" {
  command = plan

  variables {
    messages = [{ role = "user", content = "x", function_call = { name = "f", arguments = "{}" } }]
  }

  expect_failures = [var.messages]
}

run "messages_function_call_arguments_not_json" {
  command = plan

  variables {
    messages = [{ role = "user", content = "x" }, { role = "assistant", function_call = { name = "f", arguments = "{oops" } }]
  }

  expect_failures = [var.messages]
}

run "messages_tool_without_tool_call_id" {
  command = plan

  variables {
    messages = [{ role = "tool", content = "x" }]
  }

  expect_failures = [var.messages]
}

run "messages_content_over_limit" {
  command = plan

  variables {
    messages = [{ role = "user", content = run.long_values.content_over_limit }]
  }

  expect_failures = [var.messages]
}

run "functions_empty" {
  command = plan

  variables {
    functions = []
  }

  expect_failures = [var.functions]
}

run "functions_over_128" {
  command = plan

  variables {
    functions = run.long_values.functions_over_128
  }

  expect_failures = [var.functions]
}

run "functions_bad_name" {
  command = plan

  variables {
    functions = [{ name = "get weather", parameters = "{\"type\":\"object\"}" }]
  }

  expect_failures = [var.functions]
}

run "functions_duplicate_names" {
  command = plan

  variables {
    functions = [{ name = "f", parameters = "{\"type\":\"object\"}" }, { name = "f", parameters = "{\"type\":\"object\"}" }]
  }

  expect_failures = [var.functions]
}

run "functions_parameters_not_json" {
  command = plan

  variables {
    functions = [{ name = "f", parameters = "{type: object" }]
  }

  expect_failures = [var.functions]
}

run "functions_parameters_not_object" {
  command = plan

  variables {
    functions = [{ name = "f", parameters = "{\"type\":\"string\"}" }]
  }

  expect_failures = [var.functions]
}

run "function_call_not_a_name" {
  command = plan

  variables {
    function_call = "sometimes please"
  }

  expect_failures = [var.function_call]
}

run "function_call_undeclared" {
  command = plan

  variables {
    functions     = [{ name = "f", parameters = "{\"type\":\"object\"}" }]
    function_call = "g"
  }

  expect_failures = [data.external.chat_completion]
}

run "function_call_without_functions" {
  command = plan

  variables {
    function_call = "f"
  }

  expect_failures = [data.external.chat_completion]
}

run "temperature_below_0" {
  command = plan

  variables {
    temperature = -0.1
  }

  expect_failures = [var.temperature]
}

run "temperature_above_2" {
  command = plan

  variables {
    temperature = 2.1
  }

  expect_failures = [var.temperature]
}

run "max_tokens_zero" {
  command = plan

  variables {
    max_tokens = 0
  }

  expect_failures = [var.max_tokens]
}

run "max_tokens_fraction" {
  command = plan

  variables {
    max_tokens = 1.5
  }

  expect_failures = [var.max_tokens]
}

run "top_p_above_1" {
  command = plan

  variables {
    top_p = 1.01
  }

  expect_failures = [var.top_p]
}

run "top_p_below_0" {
  command = plan

  variables {
    top_p = -0.5
  }

  expect_failures = [var.top_p]
}

run "n_zero" {
  command = plan

  variables {
    n = 0
  }

  expect_failures = [var.n]
}

run "n_above_128" {
  command = plan

  variables {
    n = 129
  }

  expect_failures = [var.n]
}

run "n_fraction" {
  command = plan

  variables {
    n = 2.5
  }

  expect_failures = [var.n]
}

run "stop_five" {
  command = plan

  variables {
    stop = ["a", "b", "c", "d", "e"]
  }

  expect_failures = [var.stop]
}

run "stop_empty" {
  command = plan

  variables {
    stop = []
  }

  expect_failures = [var.stop]
}

run "presence_penalty_above_2" {
  command = plan

  variables {
    presence_penalty = 2.5
  }

  expect_failures = [var.presence_penalty]
}

run "presence_penalty_below_minus_2" {
  command = plan

  variables {
    presence_penalty = -2.5
  }

  expect_failures = [var.presence_penalty]
}

run "frequency_penalty_above_2" {
  command = plan

  variables {
    frequency_penalty = 2.01
  }

  expect_failures = [var.frequency_penalty]
}

run "frequency_penalty_below_minus_2" {
  command = plan

  variables {
    frequency_penalty = -3
  }

  expect_failures = [var.frequency_penalty]
}

run "user_empty" {
  command = plan

  variables {
    user = ""
  }

  expect_failures = [var.user]
}

run "metadata_17_pairs" {
  command = plan

  variables {
    metadata = run.long_values.metadata_17_pairs
  }

  expect_failures = [var.metadata]
}

run "metadata_key_over_64" {
  command = plan

  variables {
    metadata = run.long_values.metadata_key_65_characters
  }

  expect_failures = [var.metadata]
}

run "metadata_value_over_512" {
  command = plan

  variables {
    metadata = run.long_values.metadata_value_513_characters
  }

  expect_failures = [var.metadata]
}

run "base_url_not_http" {
  command = plan

  variables {
    base_url = "ftp://example.com/v1"
  }

  expect_failures = [var.base_url]
}

run "base_url_with_credentials" {
  command = plan

  variables {
    base_url = "https://someone@api.example.com/v1"
  }

  expect_failures = [var.base_url]
}

run "base_url_with_a_space" {
  command = plan

  variables {
    base_url = "https://api.example.com/my v1"
  }

  expect_failures = [var.base_url]
}

run "timeout_seconds_zero" {
  command = plan

  variables {
    timeout_seconds = 0
  }

  expect_failures = [var.timeout_seconds]
}

run "cache_mode_unknown" {
  command = plan

  variables {
    cache_mode = "sometimes"
  }

  expect_failures = [var.cache_mode]
}

run "cache_dir_empty" {
  command = plan

  variables {
    cache_dir = " "
  }

  expect_failures = [var.cache_dir]
}

run "cache_url_not_s3" {
  command = plan

  variables {
    cache_url = "https://bucket.s3.amazonaws.com/answers"
  }

  expect_failures = [var.cache_url]
}

run "cache_url_bad_bucket" {
  command = plan

  variables {
    cache_url = "s3://My_Bucket/answers"
  }

  expect_failures = [var.cache_url]
}

run "cache_url_with_credentials_before_the_bucket" {
  command = plan

  variables {
    cache_url = "s3://AKIAEXAMPLE:secret@bucket/answers"
  }

  expect_failures = [var.cache_url]
}

run "cache_url_with_credentials_in_the_query" {
  command = plan

  variables {
    cache_url = "s3://bucket/answers?endpoint=https://minio.example.com&access_key=AKIAEXAMPLE"
  }

  expect_failures = [var.cache_url]
}

run "cache_url_with_settings_plans" {
  command = plan

  variables {
    cache_url = "s3://my-bucket/team/answers?endpoint=https://minio.example.com:9000&region=auto&path_style=true"
  }

  assert {
    condition     = data.external.chat_completion.query.cache_url == jsonencode("s3://my-bucket/team/answers?endpoint=https://minio.example.com:9000&region=auto&path_style=true")
    error_message = "cache_url travels JSON-encoded in the query"
  }
}

run "python_empty" {
  command = plan

  variables {
    python = ""
  }

  expect_failures = [var.python]
}

run "tools_empty_list" {
  command = plan

  variables {
    tools = []
  }

  expect_failures = [var.tools]
}

run "tools_bad_name" {
  command = plan

  variables {
    tools = [{ name = "has space", parameters = "{\"type\":\"object\"}" }]
  }

  expect_failures = [var.tools]
}

run "tools_duplicate_names" {
  command = plan

  variables {
    tools = [{ name = "lookup", parameters = "{\"type\":\"object\"}" }, { name = "lookup", parameters = "{\"type\":\"object\"}" }]
  }

  expect_failures = [var.tools]
}

run "tools_parameters_not_json" {
  command = plan

  variables {
    tools = [{ name = "lookup", parameters = "{not json" }]
  }

  expect_failures = [var.tools]
}

run "tools_parameters_not_an_object_schema" {
  command = plan

  variables {
    tools = [{ name = "lookup", parameters = "{\"type\":\"string\"}" }]
  }

  expect_failures = [var.tools]
}

run "tool_choice_bad_form" {
  command = plan

  variables {
    tool_choice = "no such!"
  }

  expect_failures = [var.tool_choice]
}

run "tool_choice_names_an_undeclared_tool" {
  command = plan

  variables {
    tools       = [{ name = "lookup", parameters = "{\"type\":\"object\"}" }]
    tool_choice = "other"
  }

  expect_failures = [data.external.chat_completion]
}

run "tool_choice_without_tools" {
  command = plan

  variables {
    tool_choice = "auto"
  }

  expect_failures = [data.external.chat_completion]
}

run "parallel_tool_calls_without_tools" {
  command = plan

  variables {
    parallel_tool_calls = true
  }

  expect_failures = [data.external.chat_completion]
}

run "functions_with_tools" {
  command = plan

  variables {
    tools     = [{ name = "lookup", parameters = "{\"type\":\"object\"}" }]
    functions = [{ name = "lookup", parameters = "{\"type\":\"object\"}" }]
  }

  expect_failures = [data.external.chat_completion]
}

run "response_format_unknown_type" {
  command = plan

  variables {
    response_format = { type = "xml" }
  }

  expect_failures = [var.response_format]
}

run "response_format_json_schema_without_schema" {
  command = plan

  variables {
    response_format = { type = "json_schema", name = "answer" }
  }

  expect_failures = [var.response_format]
}

run "response_format_schema_on_json_object" {
  command = plan

  variables {
    response_format = { type = "json_object", schema = "{\"type\":\"object\"}" }
  }

  expect_failures = [var.response_format]
}

run "response_format_bad_name" {
  command = plan

  variables {
    response_format = { type = "json_schema", name = "a b", schema = "{\"type\":\"object\"}" }
  }

  expect_failures = [var.response_format]
}

run "response_format_schema_not_object" {
  command = plan

  variables {
    response_format = { type = "json_schema", name = "answer", schema = "{\"type\":\"array\"}" }
  }

  expect_failures = [var.response_format]
}

run "max_completion_tokens_zero" {
  command = plan

  variables {
    max_completion_tokens = 0
  }

  expect_failures = [var.max_completion_tokens]
}

run "max_completion_tokens_fraction" {
  command = plan

  variables {
    max_completion_tokens = 10.5
  }

  expect_failures = [var.max_completion_tokens]
}

run "max_tokens_with_max_completion_tokens" {
  command = plan

  variables {
    max_tokens            = 10
    max_completion_tokens = 10
  }

  expect_failures = [data.external.chat_completion]
}

run "reasoning_effort_unknown" {
  command = plan

  variables {
    reasoning_effort = "extreme"
  }

  expect_failures = [var.reasoning_effort]
}

run "verbosity_unknown" {
  command = plan

  variables {
    verbosity = "chatty"
  }

  expect_failures = [var.verbosity]
}

run "seed_fraction" {
  command = plan

  variables {
    seed = 1.5
  }

  expect_failures = [var.seed]
}

run "service_tier_unknown" {
  command = plan

  variables {
    service_tier = "gold"
  }

  expect_failures = [var.service_tier]
}

run "safety_identifier_too_long" {
  command = plan

  variables {
    safety_identifier = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  }

  expect_failures = [var.safety_identifier]
}

run "prompt_cache_key_empty" {
  command = plan

  variables {
    prompt_cache_key = ""
  }

  expect_failures = [var.prompt_cache_key]
}

run "logit_bias_key_not_a_token_id" {
  command = plan

  variables {
    logit_bias = { "hello" = 1 }
  }

  expect_failures = [var.logit_bias]
}

run "logit_bias_out_of_range" {
  command = plan

  variables {
    logit_bias = { "50256" = -101 }
  }

  expect_failures = [var.logit_bias]
}

run "top_logprobs_out_of_range" {
  command = plan

  variables {
    top_logprobs = 21
    logprobs     = true
  }

  expect_failures = [var.top_logprobs]
}

run "top_logprobs_without_logprobs" {
  command = plan

  variables {
    top_logprobs = 2
  }

  expect_failures = [data.external.chat_completion]
}

run "azure_endpoint_not_a_url" {
  command = plan

  variables {
    azure_endpoint   = "my-resource.openai.azure.com"
    azure_deployment = "gpt-4o"
  }

  expect_failures = [var.azure_endpoint]
}

run "azure_deployment_bad_name" {
  command = plan

  variables {
    azure_endpoint   = "https://my-resource.openai.azure.com"
    azure_deployment = "has space"
  }

  expect_failures = [var.azure_deployment]
}

run "azure_api_version_bad" {
  command = plan

  variables {
    azure_endpoint    = "https://my-resource.openai.azure.com"
    azure_deployment  = "gpt-4o"
    azure_api_version = "latest"
  }

  expect_failures = [var.azure_api_version]
}

run "azure_endpoint_without_deployment" {
  command = plan

  variables {
    azure_endpoint = "https://my-resource.openai.azure.com"
  }

  expect_failures = [data.external.chat_completion]
}

# Host names with underscores (container service names) and addresses pass the URL validations.
run "base_url_of_an_underscored_host_name" {
  command = plan

  variables {
    base_url = "http://llm_server:8080/v1"
  }
}

run "azure_endpoint_of_an_address" {
  command = plan

  variables {
    azure_endpoint   = "http://[::1]:8080"
    azure_deployment = "gpt-4o"
  }
}

run "azure_endpoint_with_credentials" {
  command = plan

  variables {
    azure_endpoint   = "https://someone@my-resource.openai.azure.com"
    azure_deployment = "gpt-4o"
  }

  expect_failures = [var.azure_endpoint]
}

run "azure_endpoint_with_base_url" {
  command = plan

  variables {
    azure_endpoint   = "https://my-resource.openai.azure.com"
    azure_deployment = "gpt-4o"
    base_url         = "https://api.openai.com/v1"
  }

  expect_failures = [data.external.chat_completion]
}

run "requests_per_minute_zero" {
  command = plan

  variables {
    requests_per_minute = 0
  }

  expect_failures = [var.requests_per_minute]
}

run "current_parameters_are_sent_json_encoded_and_azure_settings_only_with_azure" {
  command = plan

  variables {
    tools                 = [{ name = "lookup", parameters = "{\"type\":\"object\"}", strict = false }]
    tool_choice           = "lookup"
    parallel_tool_calls   = false
    response_format       = { type = "json_object" }
    max_completion_tokens = 64
    seed                  = 7
    logit_bias            = { "50256" = -100 }
    logprobs              = true
    top_logprobs          = 2
    allow_refusal         = true
  }

  assert {
    condition     = jsondecode(data.external.chat_completion.query.tools)[0].name == "lookup" && data.external.chat_completion.query.tool_choice == "\"lookup\""
    error_message = "tools and tool_choice must travel JSON-encoded"
  }
  assert {
    condition     = data.external.chat_completion.query.allow_refusal == "true" && !contains(keys(data.external.chat_completion.query), "allow_length_cutoff")
    error_message = "guardrail switches travel only when they allow something"
  }
  assert {
    condition     = !contains(keys(data.external.chat_completion.query), "azure_api_version")
    error_message = "azure_api_version must not be sent without azure_endpoint"
  }
}

run "sensitive_marks_the_answer_outputs_for_a_caller" {
  command = plan

  module {
    source = "./tests/sensitive_caller"
  }

  providers = {
    external = external
  }

  variables {
    sensitive = true
  }

  assert {
    condition     = join(",", output.sensitive_outputs) == "choices,content,function_call,parsed,refusal,tool_calls"
    error_message = "sensitive = true must hide the answer outputs, and only them"
  }
}

run "a_caller_sees_ordinary_values_by_default" {
  command = plan

  module {
    source = "./tests/sensitive_caller"
  }

  providers = {
    external = external
  }

  variables {
    sensitive = false
  }

  assert {
    condition     = length(output.sensitive_outputs) == 0
    error_message = "by default no output is sensitive"
  }
}

run "answers_are_not_sensitive_by_default" {
  command = plan

  assert {
    condition     = !issensitive(output.content) && output.parsed == null
    error_message = "by default the answer is an ordinary value"
  }
}

run "messages_tool_call_arguments_not_json" {
  command = plan

  variables {
    messages = [
      { role = "user", content = "hi" },
      { role = "assistant", tool_calls = [{ id = "call_1", function = { name = "lookup", arguments = "{not json" } }] },
      { role = "tool", tool_call_id = "call_1", content = "done" },
    ]
  }

  expect_failures = [var.messages]
}

run "azure_endpoint_with_organization" {
  command = plan

  variables {
    azure_endpoint   = "https://my-resource.openai.azure.com"
    azure_deployment = "gpt-4o"
    organization     = "org-123"
  }

  expect_failures = [data.external.chat_completion]
}
