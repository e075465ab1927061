# stored_response at plan, with the provider mocked: how the helper's answer comes back, as Terraform types,
# and marked sensitive when asked. Run with `terraform test` or `tofu test` in modules/stored_response.

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        id                = "\"resp_mock\""
        created_at        = "1700000000"
        status            = "\"failed\""
        model             = "\"gpt-4o\""
        output_text       = "\"\""
        parsed            = "null"
        refusal           = "null"
        function_calls    = "[]"
        reasoning_summary = "null"
        output            = "[]"
        incomplete_reason = "null"
        usage             = "null"
        service_tier      = "\"flex\""
        metadata          = "{\"team\":\"infra\"}"
        error             = "{\"code\":\"server_error\",\"message\":\"It broke.\"}"
        input_items       = "[{\"arguments\":null,\"arguments_decoded\":null,\"call_id\":null,\"content\":[{\"refusal\":null,\"text\":\"hi\",\"type\":\"input_text\"}],\"id\":\"msg_1\",\"json\":\"{}\",\"name\":null,\"output\":null,\"role\":\"user\",\"status\":null,\"summary\":null,\"text\":\"hi\",\"type\":\"message\"}]"
      }
    }
  }
}

variables {
  response_id = "resp_mock"
}

run "outputs_decode_to_terraform_types" {
  command = plan

  assert {
    condition     = output.service_tier == "flex"
    error_message = "service_tier must say which tier served the response"
  }

  assert {
    condition     = output.metadata == tomap({ team = "infra" }) && output.error.code == "server_error" && output.usage == null
    error_message = "metadata must be a map of strings, error an object, a missing usage null"
  }

  assert {
    condition     = output.input_items[0].text == "hi" && output.input_items[0].content[0].type == "input_text" && output.created_at == 1700000000
    error_message = "the input items must decode to a list of objects"
  }

  assert {
    condition     = !issensitive(output.input_items) && !issensitive(output.output_text)
    error_message = "by default the answer and the prompt are ordinary values"
  }
}

run "sensitive_marks_the_answer_and_prompt_outputs_for_a_caller" {
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
    condition     = join(",", output.sensitive_outputs) == "function_calls,input_items,output,output_text,parsed,reasoning_summary,refusal"
    error_message = "sensitive = true must hide the answer and prompt outputs, and only them"
  }
}
