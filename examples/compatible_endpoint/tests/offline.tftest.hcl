# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target  = module.local_model
  outputs = { content = "SSH access, auditing, jump host.", model = "llama-3.1-8b-instruct" }
}

run "the_local_models_answer_is_the_output" {
  command = plan

  variables {
    base_url = "http://127.0.0.1:9/v1" # never reached: the module is overridden
  }

  assert {
    condition     = output.answer == "SSH access, auditing, jump host." && output.served_by == "llama-3.1-8b-instruct"
    error_message = "answer and served_by must come from the local model's answer"
  }
}
