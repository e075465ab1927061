# Runs with no API key and no server: `terraform test` (or `tofu test`) in this folder. The module is
# replaced by the outputs an answer would give (override_module), so this checks what the example does
# with an answer; docs/testing.md says what that covers and what it does not.

override_module {
  target = module.triage
  outputs = {
    tool_calls = [{
      id                = "call_1"
      type              = "function"
      name              = "open_ticket"
      arguments         = "{\"title\":\"Disk full\",\"severity\":\"high\",\"host\":\"db-1\"}"
      arguments_decoded = { title = "Disk full", severity = "high", host = "db-1" }
    }]
  }
}

override_module {
  target  = module.follow_up
  outputs = { content = "Opened a ticket for db-1." }
}

run "the_ticket_is_the_first_calls_arguments" {
  command = plan

  assert {
    condition     = output.ticket.host == "db-1" && output.summary == "Opened a ticket for db-1."
    error_message = "ticket must be the first call's decoded arguments, summary the follow-up's answer"
  }
}
