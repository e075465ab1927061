module "triage" {
  source = "../../modules/chat_completion"
  model  = "gpt-4o"
  messages = [
    { role = "system", content = "You triage alerts into tickets." },
    { role = "user", content = "Disk /var is 97% full on web-3." },
  ]
  tools = [
    {
      name        = "open_ticket"
      description = "Open an incident ticket"
      strict      = true
      parameters = jsonencode({
        type = "object"
        properties = {
          title    = { type = "string" }
          severity = { type = "string", enum = ["low", "high", "critical"] }
          host     = { type = "string" }
        }
        required             = ["title", "severity", "host"]
        additionalProperties = false
      })
    },
    { name = "page_on_call", description = "Page whoever is on call (no arguments)" },
  ]
  tool_choice         = "open_ticket"
  parallel_tool_calls = false
}

# The second turn: the tool's result goes back with the call's ID, and the model answers in text.
module "follow_up" {
  source = "../../modules/chat_completion"
  model  = "gpt-4o"
  messages = [
    { role = "user", content = "Disk /var is 97% full on web-3." },
    {
      role = "assistant"
      tool_calls = [for call in module.triage.tool_calls : {
        id       = call.id
        function = { name = call.name, arguments = call.arguments }
      }]
    },
    { role = "tool", tool_call_id = module.triage.tool_calls[0].id, content = "Ticket INC-42 opened." },
    { role = "user", content = "Summarise what was done." },
  ]
  tools       = [{ name = "open_ticket", parameters = jsonencode({ type = "object" }) }]
  tool_choice = "none"
}
