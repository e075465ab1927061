# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target = module.answer
  outputs = {
    output_text = "It lets private subnets reach the internet."
    id          = "resp_1"
    usage       = { input_tokens = 30, cached_tokens = 0, output_tokens = 12, reasoning_tokens = 0, total_tokens = 42 }
  }
}

run "the_answer_its_id_and_usage_are_the_outputs" {
  command = plan

  assert {
    condition     = output.answer == "It lets private subnets reach the internet." && output.response_id == "resp_1" && output.usage.total_tokens == 42
    error_message = "answer, response_id and usage must be the response's"
  }
}
