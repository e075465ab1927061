output "tool_calls" {
  description = "The calls the model made: { id, type, name, arguments, arguments_decoded }."
  value       = module.triage.tool_calls
}

output "ticket" {
  description = "The first call's arguments, already decoded."
  value       = module.triage.tool_calls[0].arguments_decoded
}

output "summary" {
  description = "The model's answer after reading the tool's result."
  value       = module.follow_up.content
}
