# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target = module.descriptions
  outputs = {
    contents = {
      billing  = "Bills customers."
      search   = "Finds things."
      payments = "Moves money."
    }
    results = { billing = { model = "gpt-4o-mini-2024-07-18" } }
    usage   = { total_tokens = 90 }
  }
}

run "one_description_per_service" {
  command = plan

  assert {
    condition     = keys(output.descriptions) == ["billing", "payments", "search"] && output.descriptions["search"] == "Finds things."
    error_message = "descriptions must be keyed like local.services"
  }

  assert {
    condition     = output.billing_model == "gpt-4o-mini-2024-07-18" && output.tokens_used == 90
    error_message = "billing_model and tokens_used must come from the block's results and usage"
  }
}
