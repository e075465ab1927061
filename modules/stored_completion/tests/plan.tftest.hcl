# stored_completion at plan, with the provider mocked: what the module sends the helper (the query), how the
# answer comes back (output types, sensitive), and the rules HCL keeps because the helper cannot see
# them. The helper checks every other rule: tests/test_module_rules.py. Run with `terraform test` or
# `tofu test` in modules/stored_completion (tests/e2e runs both, on the current versions and the floors).

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

run "python_empty" {
  command = plan

  variables {
    python = ""
  }

  expect_failures = [data.external.stored_completion]
}
