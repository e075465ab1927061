# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target  = module.chat
  outputs = { id = "chatcmpl-1" }
}

override_module {
  target = module.stored
  outputs = {
    content  = "Paris."
    metadata = { category = "geography", example = "stored_completion" }
    messages = [
      { role = "system", content = "Answer in one sentence." },
      { role = "user", content = "What is the capital of France?" },
    ]
  }
}

override_module {
  target  = module.geography
  outputs = { ids = ["chatcmpl-1"] }
}

run "the_stored_completion_is_read_back" {
  command = plan

  assert {
    condition     = output.stored_answer == "Paris." && output.geography_ids == ["chatcmpl-1"]
    error_message = "stored_answer and geography_ids must come from the reads"
  }

  assert {
    condition     = output.stored_prompt == ["system: Answer in one sentence.", "user: What is the capital of France?"]
    error_message = "stored_prompt must be the stored messages as role: content"
  }
}
