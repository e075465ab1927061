# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target = module.weather
  outputs = {
    function_call = { name = "get_current_weather", arguments = "{\"location\":\"Boston, MA\"}" }
  }
}

run "the_call_s_arguments_are_decoded" {
  command = plan

  assert {
    condition     = output.function_call.name == "get_current_weather" && output.function_arguments.location == "Boston, MA"
    error_message = "function_arguments must be the call's arguments, decoded"
  }
}

run "no_call_gives_null_arguments" {
  command = plan

  override_module {
    target  = module.weather
    outputs = { function_call = null }
  }

  assert {
    condition     = output.function_arguments == null
    error_message = "with no function call, function_arguments must be null"
  }
}
