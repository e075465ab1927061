# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target = module.capital
  outputs = {
    parsed = { city = "Madrid", population = 3300000, landmarks = ["Prado"] }
  }
}

run "the_parsed_answer_is_a_terraform_object" {
  command = plan

  assert {
    condition     = output.city == "Madrid" && output.capital.landmarks == ["Prado"]
    error_message = "capital and city must come from the parsed answer"
  }
}
