# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target = module.runbook
  outputs = {
    id             = "chatcmpl-pinned"
    content        = "1. Upload the new certificate."
    request_sha256 = "1111111111111111111111111111111111111111111111111111111111111111"
  }
}

run "the_answer_is_pinned_in_state" {
  assert {
    condition     = output.runbook == "1. Upload the new certificate." && output.completion_id == "chatcmpl-pinned"
    error_message = "the pinned answer must be the first answer"
  }
}

run "a_new_answer_to_the_same_request_is_ignored" {
  override_module {
    target = module.runbook
    outputs = {
      id             = "chatcmpl-other"
      content        = "A different answer."
      request_sha256 = "1111111111111111111111111111111111111111111111111111111111111111"
    }
  }

  assert {
    condition     = output.runbook == "1. Upload the new certificate."
    error_message = "an answer to an unchanged request must not replace the pinned one"
  }
}

run "a_changed_request_replaces_the_pinned_answer" {
  override_module {
    target = module.runbook
    outputs = {
      id             = "chatcmpl-new"
      content        = "A new runbook."
      request_sha256 = "2222222222222222222222222222222222222222222222222222222222222222"
    }
  }

  assert {
    condition     = output.runbook == "A new runbook." && output.completion_id == "chatcmpl-new"
    error_message = "a changed request must pin its new answer"
  }
}
