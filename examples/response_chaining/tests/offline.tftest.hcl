# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target  = module.first
  outputs = { id = "resp_first", output_text = "A saturated disk." }
}

override_module {
  target  = module.follow_up
  outputs = { id = "resp_second", output_text = "iostat -x 1" }
}

run "the_chain_is_in_order" {
  command = plan

  assert {
    condition     = output.chain == ["resp_first", "resp_second"] && output.follow_up_answer == "iostat -x 1"
    error_message = "chain must list the first response, then the follow-up"
  }
}
