# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target  = module.stored_chat
  outputs = { id = "chatcmpl-stored", content = "State in a bucket" }
}

run "the_stored_completions_id_is_an_output" {
  command = plan

  assert {
    condition     = output.completion_id == "chatcmpl-stored" && output.haiku == "State in a bucket"
    error_message = "completion_id and haiku must be the answer's"
  }
}
