# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target = module.ask
  outputs = {
    id = "resp_ask"
    function_calls = [{
      id                = "fc_1"
      call_id           = "call_1"
      name              = "get_weather"
      arguments         = "{\"city\":\"Paris\",\"unit\":\"celsius\"}"
      arguments_decoded = { city = "Paris", unit = "celsius" }
    }]
  }
}

override_module {
  target  = module.answer
  outputs = { output_text = "Yes: 12 degrees and rain." }
}

run "the_calls_and_the_final_answer_are_the_outputs" {
  command = plan

  assert {
    condition     = output.function_calls[0].call_id == "call_1" && output.answer == "Yes: 12 degrees and rain."
    error_message = "function_calls must be the first response's, answer the second's"
  }
}
