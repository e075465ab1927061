# response at plan, with the provider mocked: how the helper's answer comes back, as Terraform types, and
# marked sensitive when asked. Run with `terraform test` or `tofu test` in modules/response; tests/e2e runs
# both files on the current versions and the floors.

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        id                = "\"resp_mock\""
        created_at        = "1700000000"
        status            = "\"completed\""
        model             = "\"gpt-4o\""
        output_text       = "\"mocked\""
        parsed            = "{\"capital\":\"Madrid\"}"
        refusal           = "null"
        function_calls    = "[{\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\",\"arguments_decoded\":{\"city\":\"Paris\"},\"call_id\":\"call_1\",\"id\":\"fc_1\",\"name\":\"get_weather\"}]"
        reasoning_summary = "\"Weighed it.\""
        output            = "[{\"arguments\":null,\"arguments_decoded\":null,\"call_id\":null,\"content\":[{\"refusal\":null,\"text\":\"mocked\",\"type\":\"output_text\"}],\"id\":\"msg_1\",\"json\":\"{}\",\"name\":null,\"output\":null,\"role\":\"assistant\",\"status\":\"completed\",\"summary\":null,\"text\":\"mocked\",\"type\":\"message\"}]"
        incomplete_reason = "null"
        usage             = "{\"cached_tokens\":1,\"input_tokens\":2,\"output_tokens\":3,\"reasoning_tokens\":1,\"total_tokens\":5}"
        service_tier      = "\"flex\""
        request_sha256    = "\"0000\""
      }
    }
  }
}

variables {
  model = "gpt-4o"
  input = "hi"
}

run "outputs_decode_to_terraform_types" {
  command = plan

  assert {
    condition     = output.service_tier == "flex"
    error_message = "service_tier must say which tier served the response"
  }

  assert {
    condition     = output.created_at == 1700000000 && output.usage.total_tokens == 5 && output.usage.cached_tokens == 1 && output.refusal == null
    error_message = "numbers, objects and nulls must decode to Terraform types"
  }

  assert {
    condition     = output.function_calls[0].arguments_decoded.city == "Paris" && output.output[0].content[0].text == "mocked" && output.parsed.capital == "Madrid"
    error_message = "lists of objects and the parsed answer must decode to Terraform values"
  }

  assert {
    condition     = !issensitive(output.output_text) && !issensitive(output.output) && output.output_text == "mocked"
    error_message = "by default the answer is an ordinary value"
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
    condition     = join(",", output.sensitive_outputs) == "function_calls,output,output_text,parsed,reasoning_summary,refusal"
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
