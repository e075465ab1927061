# chat_completion at plan, with the provider mocked: what the module sends the helper (the query), how the
# answer comes back (output types, sensitive), and the rules HCL keeps because the helper cannot see
# them. The helper checks every other rule: tests/test_module_rules.py. Run with `terraform test` or
# `tofu test` in modules/chat_completion (tests/e2e runs both, on the current versions and the floors).

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

  expect_failures = [data.external.chat_completion]
}

run "azure_api_version_bad" {
  command = plan

  variables {
    azure_endpoint    = "https://my-resource.openai.azure.com"
    azure_deployment  = "gpt-4o"
    azure_api_version = "latest"
  }

  expect_failures = [data.external.chat_completion]
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
