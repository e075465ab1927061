# stored_completion at plan, with the provider mocked: how the helper's answer comes back, as Terraform types,
# and marked sensitive when asked. Run with `terraform test` or `tofu test` in modules/stored_completion; tests/e2e
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

run "reading_one_outputs_decode_to_terraform_types" {
  command = plan

  variables {
    completion_id = "chatcmpl-abc123"
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
