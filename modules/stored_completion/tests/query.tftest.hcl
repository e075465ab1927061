# stored_completion at plan, with the provider mocked: what the module sends the helper (the query), and the
# rules HCL keeps because the helper cannot see them (the helper checks every other rule:
# tests/test_module_rules.py). Run with `terraform test` or `tofu test` in modules/stored_completion; tests/e2e
# runs both files on the current versions and the floors.

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
