# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target = module.runbook
  outputs = {
    content            = "1. Create the new credentials."
    model              = "gpt-5-mini"
    service_tier       = "flex"
    system_fingerprint = "fp_1"
    request_sha256     = "0000000000000000000000000000000000000000000000000000000000000000"
    finish_reason      = "stop"
  }
}

run "provenance_says_what_answered" {
  command = plan

  assert {
    condition     = output.provenance.service_tier == "flex" && output.provenance.model == "gpt-5-mini" && output.provenance.finish_reason == "stop"
    error_message = "provenance must carry the answer's model, tier and finish reason"
  }

  assert {
    condition     = nonsensitive(output.runbook) == "1. Create the new credentials."
    error_message = "runbook must be the answer (sensitive)"
  }
}
