# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target  = module.azure_chat
  outputs = { content = "A subnet with no route to the internet.", model = "gpt-4o-2024-08-06" }
}

run "the_deployments_answer_is_the_output" {
  command = plan

  assert {
    condition     = output.description == "A subnet with no route to the internet." && output.deployment_model == "gpt-4o-2024-08-06"
    error_message = "description and deployment_model must come from the deployment's answer"
  }
}
