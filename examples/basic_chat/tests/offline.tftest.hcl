# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target = module.chat
  outputs = {
    content = "The solar system has eight planets."
    usage   = { prompt_tokens = 20, completion_tokens = 7, total_tokens = 27 }
  }
}

run "the_answer_and_its_usage_are_the_outputs" {
  command = plan

  assert {
    condition     = output.assistant_response == "The solar system has eight planets." && output.usage.total_tokens == 27
    error_message = "assistant_response and usage must be the answer's content and usage"
  }
}
