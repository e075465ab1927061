# chat_completions at plan, with the provider mocked: how the helper's answer comes back, as Terraform types,
# and marked sensitive when asked. Run with `terraform test` or `tofu test` in modules/chat_completions.

mock_provider "external" {
  mock_data "external" {
    defaults = {
      result = {
        results = "{\"a\":{\"content\":\"first answer\",\"usage\":{\"completion_tokens\":2,\"prompt_tokens\":3,\"total_tokens\":5},\"parsed\":null},\"b\":{\"content\":null,\"usage\":{\"completion_tokens\":1,\"prompt_tokens\":1,\"total_tokens\":2},\"parsed\":{\"ok\":true}}}"
        usage   = "{\"completion_tokens\":3,\"prompt_tokens\":4,\"total_tokens\":7}"
      }
    }
  }
}

variables {
  model = "gpt-4o"
  requests = {
    a = { messages = [{ role = "user", content = "first" }] }
    b = { messages = [{ role = "user", content = "second" }] }
  }
}

run "outputs_decode_to_terraform_types_keyed_like_requests" {
  command = plan

  assert {
    condition     = output.contents == { a = "first answer", b = null } && output.results["b"].parsed.ok && output.results["a"].usage.total_tokens == 5
    error_message = "results and contents must be keyed like requests, with Terraform types"
  }

  assert {
    condition     = output.usage.total_tokens == 7
    error_message = "usage is the block's sum"
  }

  assert {
    condition     = !issensitive(output.contents) && !issensitive(output.results)
    error_message = "by default the answers are ordinary values"
  }
}

run "sensitive_marks_the_answers_for_a_caller" {
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
    condition     = join(",", output.sensitive_outputs) == "contents,results"
    error_message = "sensitive = true must hide the answers, and only them"
  }
}
