# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target = module.policy
  outputs = {
    parsed = { statements = [{ effect = "Allow", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::logs/*"] }] }
  }
}

run "a_field_of_the_parsed_answer_is_an_ordinary_value" {
  command = plan

  assert {
    condition     = output.first_effect == "Allow" && output.policy.statements[0].actions == ["s3:GetObject"]
    error_message = "policy and first_effect must come from the parsed answer"
  }
}
