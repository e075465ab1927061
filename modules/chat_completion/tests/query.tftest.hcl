# chat_completion at plan, with the provider mocked: what the module sends the helper (the query), and the
# rules HCL keeps because the helper cannot see them (the helper checks every other rule:
# tests/test_module_rules.py). Run with `terraform test` or `tofu test` in modules/chat_completion; tests/e2e
# runs both files on the current versions and the floors.

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
    condition     = join(",", sort(keys(data.external.chat_completion.query))) == "cache_mode,flow,messages,model,temperature"
    error_message = "the query must hold the inputs that were set and the settings with defaults, nothing else"
  }

  assert {
    condition     = data.external.chat_completion.query.temperature == "0.7"
    error_message = "numbers travel JSON-encoded"
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

run "flex_fallback_and_prompt_cache_retention_travel_and_timeout_is_left_to_the_helper" {
  command = plan

  variables {
    service_tier           = "flex"
    flex_fallback          = true
    prompt_cache_retention = "24h"
  }

  assert {
    condition     = data.external.chat_completion.query.flex_fallback == "true" && data.external.chat_completion.query.prompt_cache_retention == "\"24h\""
    error_message = "flex_fallback and prompt_cache_retention travel JSON-encoded"
  }

  assert {
    condition     = !contains(keys(data.external.chat_completion.query), "timeout_seconds")
    error_message = "timeout_seconds left null is not sent: the helper's default is 120, or 900 for Flex"
  }
}
