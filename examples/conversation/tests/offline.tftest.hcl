# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target  = module.conversation
  outputs = { content = "Globe Life Field, in Arlington, Texas.", finish_reason = "stop" }
}

run "the_last_answer_is_the_output" {
  command = plan

  assert {
    condition     = output.answer == "Globe Life Field, in Arlington, Texas." && output.finish_reason == "stop"
    error_message = "answer and finish_reason must be the last answer's"
  }
}
