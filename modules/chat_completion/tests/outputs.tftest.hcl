# chat_completion at plan, with the provider mocked: how the helper's answer comes back, as Terraform types,
# and marked sensitive when asked. Run with `terraform test` or `tofu test` in modules/chat_completion; tests/e2e
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

run "outputs_decode_to_terraform_types" {
  command = plan

  variables {
    temperature = 0.7
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
