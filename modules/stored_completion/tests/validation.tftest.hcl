# Every variable validation and precondition of the module, at plan, with the provider mocked.
# Run with `terraform test` or `tofu test` in modules/stored_completion (tests/e2e runs both).

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        id                 = "\"chatcmpl-mock\""
        created            = "1700000000"
        model              = "\"gpt-4o\""
        choices            = "[{\"finish_reason\":\"stop\",\"index\":0,\"message\":{\"content\":\"mocked\",\"function_call\":null,\"refusal\":null,\"role\":\"assistant\",\"tool_calls\":null}}]"
        content            = "\"mocked\""
        finish_reason      = "\"stop\""
        function_call      = "null"
        tool_calls         = "null"
        refusal            = "null"
        usage              = "{\"completion_tokens\":1,\"prompt_tokens\":2,\"total_tokens\":3}"
        system_fingerprint = "null"
        service_tier       = "null"
        metadata           = "{\"category\":\"geography\"}"
        messages           = "[{\"content\":\"hi\",\"content_parts\":null,\"function_call\":null,\"id\":\"chatcmpl-mock-0\",\"name\":null,\"role\":\"user\",\"tool_call_id\":null,\"tool_calls\":null}]"
        completions        = "null"
        ids                = "null"
        has_more           = "null"
      }
    }
  }
}

# Values that need functions to write: run variables may not call functions on OpenTofu < 1.9.
run "long_values" {
  command = apply

  module {
    source = "./tests/long_values"
  }
}

run "reading_one_sends_only_the_id_and_the_settings" {
  command = plan

  variables {
    completion_id = "chatcmpl-abc123"
  }

  assert {
    condition     = join(",", sort(keys(data.external.stored_completion.query))) == "completion_id,flow,operation,timeout_seconds"
    error_message = "a read must send the operation, the id and the settings with defaults, nothing else"
  }
  assert {
    condition     = data.external.stored_completion.query.operation == "\"retrieve\"" && data.external.stored_completion.query.completion_id == "\"chatcmpl-abc123\""
    error_message = "values travel JSON-encoded"
  }
  assert {
    condition     = output.created == 1700000000 && output.usage.total_tokens == 3 && output.content == "mocked"
    error_message = "outputs must decode to Terraform types"
  }
  assert {
    condition     = output.metadata["category"] == "geography" && output.messages[0].role == "user"
    error_message = "metadata must decode to a map and messages to a list of objects"
  }
  assert {
    condition     = output.completions == null && output.ids == null && output.has_more == null
    error_message = "the list outputs are null when reading one completion"
  }
}

run "listing_sends_only_the_filters_that_were_set" {
  command = plan

  variables {
    metadata = { category = "geography" }
    order    = "desc"
  }

  assert {
    condition     = join(",", sort(keys(data.external.stored_completion.query))) == "flow,metadata,operation,order,timeout_seconds"
    error_message = "a list must send the operation, the filters that were set and the settings, nothing else"
  }
  assert {
    condition     = data.external.stored_completion.query.operation == "\"list\"" && data.external.stored_completion.query.metadata == "{\"category\":\"geography\"}"
    error_message = "the metadata filter travels JSON-encoded"
  }
}

run "sensitive_marks_the_answers_and_prompts_for_a_caller" {
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
    condition     = join(",", output.sensitive_outputs) == "choices,completions,content,function_call,messages,refusal,tool_calls"
    error_message = "sensitive = true must hide the answer and prompt outputs, and only them"
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

run "completion_id_empty" {
  command = plan

  variables {
    completion_id = ""
  }

  expect_failures = [var.completion_id]
}

run "completion_id_with_a_slash" {
  command = plan

  variables {
    completion_id = "chatcmpl-abc/../models"
  }

  expect_failures = [var.completion_id]
}

run "completion_id_with_spaces" {
  command = plan

  variables {
    completion_id = " chatcmpl-abc123"
  }

  expect_failures = [var.completion_id]
}

run "completion_id_over_256_characters" {
  command = plan

  variables {
    completion_id = run.long_values.completion_id_257_characters
  }

  expect_failures = [var.completion_id]
}

run "completion_id_with_list_filters" {
  command = plan

  variables {
    completion_id = "chatcmpl-abc123"
    metadata      = { category = "geography" }
  }

  expect_failures = [data.external.stored_completion]
}

run "completion_id_with_limit" {
  command = plan

  variables {
    completion_id = "chatcmpl-abc123"
    limit         = 5
  }

  expect_failures = [data.external.stored_completion]
}

run "model_empty" {
  command = plan

  variables {
    model = " "
  }

  expect_failures = [var.model]
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

run "metadata_key_empty" {
  command = plan

  variables {
    metadata = { "" = "value" }
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

run "order_unknown" {
  command = plan

  variables {
    order = "newest"
  }

  expect_failures = [var.order]
}

run "limit_zero" {
  command = plan

  variables {
    limit = 0
  }

  expect_failures = [var.limit]
}

run "limit_over_1000" {
  command = plan

  variables {
    limit = 1001
  }

  expect_failures = [var.limit]
}

run "limit_fraction" {
  command = plan

  variables {
    limit = 2.5
  }

  expect_failures = [var.limit]
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

run "timeout_seconds_over_3600" {
  command = plan

  variables {
    timeout_seconds = 3601
  }

  expect_failures = [var.timeout_seconds]
}

run "python_empty" {
  command = plan

  variables {
    python = ""
  }

  expect_failures = [var.python]
}
